package dev.mmsim.scenarios.fuzz;

import dev.mmsim.core.Semantic;
import dev.mmsim.core.SemanticChoice;
import dev.mmsim.core.SemanticExtension;
import dev.mmsim.scenarios.run.HostProbe;
import dev.mmsim.scenarios.run.Layout;

import java.util.Map;

/** A simulator with one semantic flipped: VM_MAYBE_GUARD is not sticky (as before 6.18). */
final class Flipped {
    static final SemanticChoice WITHOUT_STICKY_FLAGS =
            new SemanticChoice(null, Map.of(Semantic.STICKY_FLAGS, false), SemanticExtension.KERNEL);

    private Flipped() {}

    /** A runner comparing that simulator with this host's kernel. */
    static DifferentialRunner runner(HostProbe probe) {
        return new DifferentialRunner(probe, WITHOUT_STICKY_FLAGS, Layout.DEFAULT_ARENA, 10);
    }
}
