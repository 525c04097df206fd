package dev.mmsim.scenarios.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.scenarios.run.HostProbe;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CI-sized differential campaign: fixed seeds, the simulator against this host's kernel, every
 * mismatch explained by a known gap. Skipped, with the reason, where the kernel backend is
 * unavailable.
 */
class DifferentialCampaignTest {
    static final long FIRST_SEED = 1_000_000;
    static final long SCENARIOS = 2500;

    @TempDir
    Path out;

    @Test
    void everyMismatchIsAKnownGap() throws Exception {
        HostProbe probe = Fuzzing.hostOrSkip();
        Campaign campaign = new Campaign(
                new Campaign.Settings(FIRST_SEED, SCENARIOS, 2, null, out, "mmsim fuzz --seed SEED --count 1"),
                Fuzzing.GENERATOR, KnownGaps.load(KnownGaps.defaultDirectory()), () -> Fuzzing.runner(probe));
        campaign.run();
        CampaignStats s = campaign.stats();
        assertThat(s.done()).isEqualTo(SCENARIOS);
        assertThat(s.errorMessages()).isEmpty();
        assertThat(campaign.findings()).as("unexplained mismatches (minimal scenarios in %s)", out)
                .extracting(f -> f.signature().render() + "\n" + f.minimal().text()).isEmpty();
        assertThat(s.agree()).as("scenarios that agree").isGreaterThan(SCENARIOS / 2);
    }
}
