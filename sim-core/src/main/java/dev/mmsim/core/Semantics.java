package dev.mmsim.core;

import java.util.EnumSet;
import java.util.StringJoiner;

/**
 * The semantics in force for one simulated mm: the {@link Semantic} switches, the host profile
 * the simulator follows, and an optional {@link SemanticExtension}. Mutable: a scenario's
 * {@code set} statement flips a switch mid-run.
 *
 * <p>Release switches start from a {@link KernelProfile}. A host switch ({@link Semantic#ZERO_PAGE})
 * follows the host profile until it is set explicitly; from then on the explicit value wins, so
 * {@code --set zero_page=on} simulates the zero page even on a host booted without it, and a
 * profile never changes it.
 */
public final class Semantics {
    private final KernelProfile profile;
    private final HostProfile host;
    private final EnumSet<Semantic> on;
    /** Switches set explicitly: a host switch among them no longer follows the host. */
    private final EnumSet<Semantic> explicit = EnumSet.noneOf(Semantic.class);
    private SemanticExtension extension = SemanticExtension.KERNEL;

    public Semantics(KernelProfile profile, HostProfile host) {
        this.profile = profile;
        this.host = host;
        this.on = EnumSet.noneOf(Semantic.class);
        on.addAll(profile.switches());
    }

    /** The newest behaviour (every release switch on) for the given host. */
    public static Semantics newest(HostProfile host) {
        return new Semantics(KernelProfile.newest(), host);
    }

    public boolean on(Semantic s) {
        if (s.followsHost() && !explicit.contains(s)) return s.hostDefault(host);
        return on.contains(s);
    }

    /** Sets a switch explicitly (a scenario's {@code set}, the CLI's {@code --set}). */
    public void set(Semantic s, boolean enabled) {
        explicit.add(s);
        if (enabled) on.add(s);
        else on.remove(s);
    }

    public HostProfile host() {
        return host;
    }

    public KernelProfile profile() {
        return profile;
    }

    public SemanticExtension extension() {
        return extension;
    }

    public void extension(SemanticExtension extension) {
        this.extension = extension;
    }

    /**
     * Whether the release switches equal those of {@code other} and no host switch was set away
     * from the host and no extension is loaded: the simulator then claims to be that kernel on
     * this host.
     */
    public boolean isExactly(KernelProfile other) {
        for (Semantic s : Semantic.values()) {
            boolean expected = s.followsHost() ? s.hostDefault(host) : other.on(s);
            if (on(s) != expected) return false;
        }
        return extension == SemanticExtension.KERNEL;
    }

    /**
     * The profile, then each switch whose state differs from it (or from the host), then the
     * extension: {@code linux-6.18 sticky_flags=on extension=BoundedSticky}.
     */
    public String describe() {
        StringJoiner out = new StringJoiner(" ");
        out.add(profile.name());
        for (Semantic s : Semantic.values()) {
            boolean base = s.followsHost() ? s.hostDefault(host) : profile.on(s);
            if (on(s) != base) out.add(s.scenarioName + "=" + (on(s) ? "on" : "off"));
        }
        if (extension != SemanticExtension.KERNEL) out.add("extension=" + extension.name());
        return out.toString();
    }

    /**
     * CONFIG_MEM_SOFT_DIRTY (pgtable_supports_soft_dirty()): the host profile's {@code soft_dirty}.
     * Off on the hosts mmsim is checked on; the runner simulates a host that has it for a scenario
     * that {@code requires soft_dirty}, and {@code --host-profile soft_dirty=on} does it for any.
     */
    public boolean softDirtyConfigured() {
        return host.softDirty();
    }
}
