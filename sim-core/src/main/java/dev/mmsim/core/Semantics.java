package dev.mmsim.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * The set of {@link Semantic} switches in force for one simulated mm, plus the host profile the
 * simulator follows. Mutable: a scenario's {@code set} statement flips a switch mid-run.
 */
public final class Semantics {
    private final EnumSet<Semantic> on;
    private HostProfile host;

    public Semantics(HostProfile host) {
        this.host = host;
        this.on = EnumSet.allOf(Semantic.class);
    }

    /** The newest behaviour (every switch on) for the given host. */
    public static Semantics newest(HostProfile host) {
        return new Semantics(host);
    }

    public boolean on(Semantic s) {
        return on.contains(s);
    }

    public void set(Semantic s, boolean enabled) {
        if (enabled) on.add(s);
        else on.remove(s);
    }

    public Set<Semantic> enabled() {
        return EnumSet.copyOf(on);
    }

    public HostProfile host() {
        return host;
    }

    public void host(HostProfile host) {
        this.host = host;
    }

    /** CONFIG_MEM_SOFT_DIRTY: off on the hosts here; the simulator follows the host. */
    public boolean softDirtyConfigured() {
        return false;
    }
}
