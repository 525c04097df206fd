package dev.mmsim.scenarios.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.scenarios.run.Comparison;
import dev.mmsim.scenarios.run.HostProbe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A known gap explains a mismatch only when its triggering statements caused it: on a simulator
 * without sticky VM_MAYBE_GUARD, a gap triggered by the guard installation explains the missing
 * merge, a gap triggered by something else that ran does not.
 */
class ExplanationTest {
    static final FuzzCase NO_MERGE = new FuzzCase(1, List.of("mmap A 2p rw private anon",
            "madvise A 1p guard_install", "read A+1p", "mmap B 2p rw private anon at A+2p", "maps"));

    @TempDir
    Path dir;

    KnownGaps gap(String trigger) throws Exception {
        Files.writeString(dir.resolve("no-sticky.scn"), "scenario known-gaps/no-sticky\n# trigger: " + trigger + "\n"
                + String.join("\n", NO_MERGE.lines()) + "\n");
        return KnownGaps.load(dir);
    }

    Mismatch mismatch(DifferentialRunner flipped) {
        Comparison c = flipped.compare(Campaign.scenario(NO_MERGE));
        assertThat(c.verdict()).as(c.explain()).isEqualTo(Comparison.Verdict.DIFFER);
        return Mismatch.of(NO_MERGE, c);
    }

    @Test
    void theGapWhoseTriggerCausedTheMismatchExplainsIt() throws Exception {
        HostProbe probe = Fuzzing.hostOrSkip();
        try (DifferentialRunner flipped = Flipped.runner(probe)) {
            KnownGaps.Explanation e = gap("madvise @ # guard_install").explain(flipped, mismatch(flipped));
            assertThat(e.rest()).isNull();
            assertThat(e.gaps()).extracting(KnownGap::name).containsExactly("no-sticky");
        }
    }

    @Test
    void aGapWhoseTriggerMerelyRanExplainsNothing() throws Exception {
        HostProbe probe = Fuzzing.hostOrSkip();
        try (DifferentialRunner flipped = Flipped.runner(probe)) {
            Mismatch m = mismatch(flipped);
            KnownGaps.Explanation e = gap("read @").explain(flipped, m);
            assertThat(e.gaps()).isEmpty();
            assertThat(e.rest()).isEqualTo(m);
        }
    }
}
