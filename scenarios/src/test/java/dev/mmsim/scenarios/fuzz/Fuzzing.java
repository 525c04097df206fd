package dev.mmsim.scenarios.fuzz;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.SemanticChoice;
import dev.mmsim.scenarios.run.AgentBuild;
import dev.mmsim.scenarios.run.HostProbe;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Runner;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Assumptions;

/** What the fuzz tests share: the generator over the simulator's moves, fixed seeds, the host. */
final class Fuzzing {
    /** The generator drawing the moves the simulator models. */
    static final Generator GENERATOR = new Generator(
            OpSet.modelled(new Runner(Layout.DEFAULT_ARENA, 10), HostProfile.UPSTREAM), Layout.DEFAULT_ARENA);

    private Fuzzing() {}

    /** n fixed seeds. */
    static LongStream seeds(int n) {
        return LongStream.rangeClosed(1, n);
    }

    /** The probed host, or the test is skipped naming why the kernel backend is unavailable. */
    static HostProbe hostOrSkip() {
        try {
            return HostProbe.get();
        } catch (AgentBuild.Unavailable e) {
            Assumptions.abort("kernel backend unavailable: " + e.getMessage());
            throw new AssertionError(e);
        }
    }

    /** A runner following this host with the newest semantics. */
    static DifferentialRunner runner(HostProbe probe) {
        return new DifferentialRunner(probe, SemanticChoice.NONE, Layout.DEFAULT_ARENA, 10);
    }
}
