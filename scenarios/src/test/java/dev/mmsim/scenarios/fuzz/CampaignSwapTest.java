package dev.mmsim.scenarios.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.run.Comparison;
import dev.mmsim.scenarios.run.HostProbe;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code mmsim fuzz --swap}: with the campaign's swap file on, generated cases that page out
 * require swap, both backends really swap (pagemap or smaps shows a swap entry that is not a marker), and every
 * mismatch is a known gap. Skipped, with the reason, where the host cannot set up swap.
 */
class CampaignSwapTest {
    static final int SWAP_CASES = 40;

    @Test
    void casesThatPageOutSwapOnBothBackends() throws Exception {
        HostProbe probe = Fuzzing.hostOrSkip();
        Generator generator = new Generator(
                OpSet.modelled(new Runner(Layout.DEFAULT_ARENA, 10), HostProfile.UPSTREAM), Layout.DEFAULT_ARENA, true);
        KnownGaps gaps = KnownGaps.load(KnownGaps.defaultDirectory());
        CampaignSwap device = startOrSkip(probe);
        List<String> unexplained = new ArrayList<>();
        int swapping = 0;
        int ran = 0;
        try (device; DifferentialRunner runner = Fuzzing.runner(probe)) {
            for (long seed = 1; ran < SWAP_CASES && seed < 20_000; seed++) {
                FuzzCase c = generator.generate(seed);
                // hugetlb cases may be skipped by a host whose pool is not clean (see HugetlbPoolTest)
                if (!c.requires().contains("swap") || c.requires().contains("hugetlb")) continue;
                ran++;
                Comparison cmp = runner.compare(Campaign.scenario(c));
                assertThat(cmp.verdict()).as("seed %d", seed)
                        .isNotIn(Comparison.Verdict.ERROR, Comparison.Verdict.SKIPPED);
                if (cmp.verdict() == Comparison.Verdict.DIFFER
                        && gaps.explain(runner, Mismatch.of(c, cmp)).rest() != null) {
                    unexplained.add(c.text() + cmp.explain());
                }
                if (showsSwap(cmp.kernel()) && showsSwap(cmp.sim())) swapping++;
            }
        }
        assertThat(ran).isEqualTo(SWAP_CASES);
        assertThat(unexplained).isEmpty();
        assertThat(swapping).as("cases whose pagemap or smaps shows a real swap entry on both backends").isPositive();
    }

    /** A real swap entry: in pagemap a swap type other than 31 (markers), or a nonzero smaps Swap. */
    static final java.util.regex.Pattern SWAP_ENTRY = java.util.regex.Pattern.compile("type=(?!31\\b)\\d+|swap=[1-9]");

    private static boolean showsSwap(Transcript t) {
        return t.lines().stream().anyMatch(l -> l.result() != null && SWAP_ENTRY.matcher(l.result()).find());
    }

    @Test
    void aCampaignWhoseSwapAgentDiedSaysSoInsteadOfRunningWithoutSwap() throws Exception {
        HostProbe probe = Fuzzing.hostOrSkip();
        CampaignSwap device = startOrSkip(probe);
        try (device; DifferentialRunner runner = Fuzzing.runner(probe)) {
            // the holder's agent: this JVM's one child so far; its worker is the supervisor's child
            ProcessHandle supervisor = ProcessHandle.current().children().findFirst().orElseThrow();
            ProcessHandle worker = supervisor.children().findFirst().orElseThrow();
            worker.destroyForcibly();
            supervisor.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);   // it turned swap off
            Comparison cmp = runner.compare(dev.mmsim.scenarios.lang.ScenarioParser.parse("s.scn", """
                    scenario s
                    requires swap
                    mmap A 4p rw private
                    write A 4p
                    madvise A 4p pageout
                    """));
            assertThat(cmp.verdict()).isEqualTo(Comparison.Verdict.ERROR);
            assertThat(cmp.explain()).contains("the campaign's swap device is gone");
        }
        assertThat(java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/swaps"))).hasSize(1);
    }

    /** The campaign's swap device, or the test skipped with the reason the host cannot have one. */
    static CampaignSwap startOrSkip(HostProbe probe) throws Exception {
        try {
            return CampaignSwap.start(probe);
        } catch (IOException e) {
            Assumptions.abort("no campaign swap file: " + e.getMessage());
            throw new AssertionError(e);   // not reached: abort throws
        }
    }
}
