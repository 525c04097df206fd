package dev.mmsim.scenarios.fuzz;

import dev.mmsim.scenarios.run.AgentBuild;
import dev.mmsim.scenarios.run.HostLock;
import dev.mmsim.scenarios.run.HostProbe;
import dev.mmsim.scenarios.run.KernelBackend;
import dev.mmsim.scenarios.run.Render;

import java.io.IOException;

/**
 * The one swap device of a {@code mmsim fuzz --swap} campaign. Scenarios run many to an agent, so
 * the per-scenario swap file that {@code mmsim diff} sets up would not do; and one device per
 * worker would not either, because the kernel spreads pages over devices of equal priority and
 * pagemap reports the swap type. So one agent, started before the workers and living until they
 * are done, holds a single swap file; the workers' agents page out to it. The agent swaps it off
 * and removes it on every exit path (also when this JVM dies: the agent sees end of input).
 */
public final class CampaignSwap implements AutoCloseable {
    /** The device's size: 64 MiB, as for {@code requires swap} in {@code mmsim diff}. */
    static final long PAGES = 16384;

    private static volatile boolean active;
    private final KernelBackend holder;
    private final HostLock.Hold turn;

    private CampaignSwap(KernelBackend holder, HostLock.Hold turn) {
        this.holder = holder;
        this.turn = turn;
    }

    /**
     * Sets up the device.
     *
     * @throws IOException with the reason when the host cannot (no swap support, a swap device
     *                     already on: its type would differ, not root)
     */
    public static synchronized CampaignSwap start(HostProbe probe) throws IOException, AgentBuild.Unavailable {
        if (active) throw new IOException("a campaign swap device is already on");
        String missing = probe.missing(java.util.List.of("swap"));
        if (missing != null) throw new IOException("missing " + missing);
        if (probe.host().swap()) throw new IOException("the host already has a swap device (see /proc/swaps)");
        HostLock.Hold turn = HostLock.hold(true);   // the campaign's swap is on for its whole length
        KernelBackend k;
        try {
            k = new KernelBackend(probe, 0);
        } catch (IOException | AgentBuild.Unavailable | RuntimeException e) {
            turn.close();
            throw e;
        }
        long r = k.swapOn(PAGES);
        if (r < 0) {
            k.close();
            turn.close();
            throw new IOException("swap_on: " + Render.status(r));
        }
        active = true;
        current = new CampaignSwap(k, turn);
        return current;
    }

    /** Whether a campaign swap device is on in this JVM. */
    static boolean active() {
        return active;
    }

    private static volatile CampaignSwap current;

    /**
     * Why the campaign's swap device is gone, or null while its agent lives. Its agent's supervisor
     * turned swap off when the agent ended (killed, crashed): a swap scenario would then run without
     * swap, so the campaign must report it, not carry on.
     */
    static synchronized String gone() {
        CampaignSwap c = current;
        if (c == null) return "no campaign swap device";
        try {
            c.holder.khugepagedCollapsed();   // any command: a round trip to its agent
            return null;
        } catch (dev.mmsim.scenarios.run.Agent.AgentException e) {
            return "the campaign's swap device is gone: " + e.getMessage();
        }
    }

    @Override
    public synchronized void close() {
        active = false;
        current = null;
        holder.close();
        turn.close();
    }
}
