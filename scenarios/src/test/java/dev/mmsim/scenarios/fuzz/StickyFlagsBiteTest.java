package dev.mmsim.scenarios.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.scenarios.run.Comparison;
import dev.mmsim.scenarios.run.HostProbe;

import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

/**
 * The fuzzer bites: with VM_MAYBE_GUARD no longer sticky in the simulator, it finds a scenario on
 * which the simulator and this host's kernel differ only because of that, and shrinks it to a
 * handful of statements.
 */
class StickyFlagsBiteTest {
    static final int MAX_SEEDS = 3000;
    static final int MAX_STATEMENTS = 6;

    @Test
    void withoutStickyFlagsTheFuzzerFindsAndShrinksAMismatch() {
        HostProbe probe = Fuzzing.hostOrSkip();
        try (DifferentialRunner flipped = Flipped.runner(probe); DifferentialRunner faithful = Fuzzing.runner(probe)) {
            FuzzCase found = null;
            Signature signature = null;
            for (long seed = 1; seed <= MAX_SEEDS && found == null; seed++) {
                FuzzCase c = Fuzzing.GENERATOR.generate(seed);
                Comparison cmp = flipped.compare(Campaign.scenario(c));
                if (cmp.verdict() == Comparison.Verdict.DIFFER && agrees(faithful, c)) {
                    found = c;
                    signature = Signature.of(cmp);
                }
            }
            assertThat(found).as("a scenario that differs only with the flip, in %d seeds", MAX_SEEDS).isNotNull();
            Signature target = signature;
            Predicate<FuzzCase> onlyTheFlip = c -> Campaign.shows(flipped, c, target) && agrees(faithful, c);
            FuzzCase minimal = new Shrinker(onlyTheFlip).shrink(found);
            assertThat(minimal.lines()).as(minimal.text()).hasSizeLessThanOrEqualTo(MAX_STATEMENTS);
            assertThat(minimal.lines()).as(minimal.text()).anyMatch(l -> l.contains("guard_install"));
        }
    }

    private static boolean agrees(DifferentialRunner runner, FuzzCase c) {
        return runner.compare(Campaign.scenario(c)).verdict() == Comparison.Verdict.AGREE;
    }
}
