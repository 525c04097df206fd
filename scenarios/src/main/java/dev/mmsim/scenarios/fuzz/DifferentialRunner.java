package dev.mmsim.scenarios.fuzz;

import dev.mmsim.core.SemanticChoice;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.run.Agent;
import dev.mmsim.scenarios.run.AgentBuild;
import dev.mmsim.scenarios.run.Comparison;
import dev.mmsim.scenarios.run.HostLock;
import dev.mmsim.scenarios.run.HostProbe;
import dev.mmsim.scenarios.run.Interpreter;
import dev.mmsim.scenarios.run.KernelBackend;
import dev.mmsim.scenarios.run.KernelTarget;
import dev.mmsim.core.KernelProfile;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Outcome;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.io.IOException;

/**
 * Replays scenarios on the simulator and on the kernel and compares the transcripts, like
 * {@code mmsim diff}, but fast enough for fuzzing: one agent process serves scenario after
 * scenario, readied for the next one with the protocol's {@code reset} (the arena and
 * {@value #RESET_BELOW_ARENA} bytes below it unmapped, children, uffd and files gone). An agent
 * that broke, timed out or hung in the kernel (a watchdog closes it, which ends in SIGKILL) is
 * replaced. The simulator runs first; a scenario it does not model is not run on the kernel at
 * all.
 *
 * <p>Not thread-safe: each fuzzing thread owns one.
 */
public final class DifferentialRunner implements AutoCloseable {
    /**
     * How far below the arena reset unmaps too: generated scenarios map only inside the arena, but
     * shrinking may move a mapping placed right below another one past the arena's start.
     */
    static final long RESET_BELOW_ARENA = Layout.ZONE_BELOW_ARENA;

    private final HostProbe probe;
    private final KernelTarget target;
    private final KernelProfile kernelProfile;
    private final Runner simulator;
    private final long arena;
    private final int timeoutSeconds;
    private KernelBackend kernel;

    /**
     * @param probe the host, whose profile the simulator follows
     * @param choice the simulator's semantics ({@link SemanticChoice#NONE}: the newest)
     * @param arena where mappings are placed
     * @param timeoutSeconds the time limit of one scenario on the kernel
     */
    public DifferentialRunner(HostProbe probe, SemanticChoice choice, long arena, int timeoutSeconds) {
        this(KernelTarget.host(), probe, choice, arena, timeoutSeconds);
    }

    /**
     * @param target the kernel under test (this host's, or a VM's), already probed
     * @param probe  its probe, whose host profile the simulator follows
     */
    public DifferentialRunner(KernelTarget target, HostProbe probe, SemanticChoice choice, long arena, int timeoutSeconds) {
        if (arena < 2 * RESET_BELOW_ARENA) throw new IllegalArgumentException("the arena must start at 2 TiB or above");
        this.target = target;
        this.probe = probe;
        this.simulator = new Runner(arena, timeoutSeconds, choice, target, false);
        this.kernelProfile = simulator.baseProfile();
        this.arena = arena;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Both transcripts of the scenario, compared. */
    public Comparison compare(Scenario scenario) {
        return compare(scenario, simulate(scenario));
    }

    /** The simulator's transcript sim (of {@link #simulate}) compared with the kernel's. */
    public Comparison compare(Scenario scenario, Transcript sim) {
        if (sim.outcome().kind() == Outcome.Kind.UNSUPPORTED) {
            return Comparison.of(sim, Interpreter.notRun(scenario, "kernel", Outcome.skipped("not run: " + sim.outcome().render())));
        }
        return Comparison.of(sim, onKernel(scenario));
    }

    /** The simulator's transcript, as {@code mmsim diff} makes it. */
    public Transcript simulate(Scenario scenario) {
        return simulator.sim(scenario, probe.host());
    }

    /** The kernel's transcript, on the agent this runner keeps. */
    Transcript onKernel(Scenario scenario) {
        String missing = probe.missing(scenario.requires());
        if (missing != null) return Interpreter.notRun(scenario, "kernel", Outcome.skipped("missing " + missing));
        if (scenario.requires().contains("swap") && !CampaignSwap.active()) {
            return Interpreter.notRun(scenario, "kernel", Outcome.skipped("missing swap (no campaign swap device: mmsim fuzz --swap)"));
        }
        if (scenario.requires().contains("swap")) {
            String gone = CampaignSwap.gone();
            if (gone != null) return Interpreter.notRun(scenario, "kernel", Outcome.error(gone));
        }
        try (HostLock.Hold turn = target.onThisHost() ? HostLock.hold(scenario.requires().contains("hugetlb")) : null) {
            return onKernel(scenario, turn);
        }
    }

    private Transcript onKernel(Scenario scenario, HostLock.Hold turn) {
        KernelBackend k;
        try {
            k = kernel();
        } catch (IOException | AgentBuild.Unavailable e) {
            return Interpreter.notRun(scenario, "kernel", Outcome.error("agent: " + e.getMessage()));
        }
        // The grown pool (and the lock that lets agents take turns on it) goes with the agent: an
        // agent that ran a hugetlb scenario is not kept.
        boolean hugetlb = scenario.requires().contains("hugetlb");
        if (hugetlb) {
            long r = k.hugetlbOn(Runner.HUGETLB_PAGES, arena - RESET_BELOW_ARENA, arena + Layout.ARENA_SIZE);
            if (r < 0) {
                discardKernel();
                return Interpreter.notRun(scenario, "kernel",
                        Outcome.skipped("missing hugetlb (hugetlb_on: " + dev.mmsim.core.Errno.nameOf(r) + ")"));
            }
        }
        // the time limit is the agent supervisor's (SIGKILL of the worker, re-armed by reset),
        // with the Agent's watchdog behind it
        Transcript t = Interpreter.replay(scenario, k, arena, true, timeoutSeconds);
        if (hugetlb || t.outcome().kind() == Outcome.Kind.ERROR || t.outcome().kind() == Outcome.Kind.TIMEOUT || !reset(k))
            discardKernel();
        return t;
    }

    private KernelBackend kernel() throws IOException, AgentBuild.Unavailable {
        if (kernel == null) kernel = new KernelBackend(target.agent(timeoutSeconds), probe.host(), kernelProfile);
        return kernel;
    }

    private boolean reset(KernelBackend k) {
        try {
            return k.reset(arena - RESET_BELOW_ARENA, arena + Layout.ARENA_SIZE) == 0;
        } catch (Agent.AgentException e) {
            return false;
        }
    }

    private void discardKernel() {
        if (kernel != null) kernel.close();
        kernel = null;
    }

    @Override
    public void close() {
        discardKernel();
    }
}
