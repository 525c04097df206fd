package dev.mmsim.scenarios.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.scenarios.run.HostProbe;
import dev.mmsim.scenarios.run.Transcript;

import java.util.List;

import org.junit.jupiter.api.Test;

/** One agent serves many scenarios: after reset, nothing of the last one is left for the next. */
class DifferentialRunnerTest {
    static final FuzzCase BUSY = new FuzzCase(1, List.of("file f0 4p", "mmap A 4p rw shared file f0", "write A 4p",
            "fork c1", "mmap B 2p rw private anon at A+8p", "uffd_register B 2p wp async", "write B 2p",
            "mmap C 1p rw private anon at arena-1p"));
    static final FuzzCase FRESH_LOOK = new FuzzCase(2, List.of("file f0 1p", "mmap A 1p rw private anon",
            "fork c1", "mmap C 1p rw private anon at arena-1p", "scan A 16p", "smaps"));

    @Test
    void afterResetTheNextScenarioFindsAFreshAgent() {
        HostProbe probe = Fuzzing.hostOrSkip();
        Transcript fresh;
        try (DifferentialRunner runner = Fuzzing.runner(probe)) {
            fresh = runner.onKernel(Campaign.scenario(FRESH_LOOK));
        }
        try (DifferentialRunner runner = Fuzzing.runner(probe)) {
            runner.onKernel(Campaign.scenario(BUSY));
            Transcript reused = runner.onKernel(Campaign.scenario(FRESH_LOOK));
            assertThat(reused.render()).isEqualTo(fresh.render());
        }
    }
}
