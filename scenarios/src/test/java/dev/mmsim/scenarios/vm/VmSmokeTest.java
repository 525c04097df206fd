package dev.mmsim.scenarios.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmsim.core.SemanticChoice;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.run.Agent;
import dev.mmsim.scenarios.run.AgentBuild;
import dev.mmsim.scenarios.run.Comparison;
import dev.mmsim.scenarios.run.Corpus;
import dev.mmsim.scenarios.run.HostProbe;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Runner;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The kernel matrix end to end: Debian's newest 6.12 kernel fetched (or taken from the cache),
 * booted under QEMU with the static agent, probed, and a handful of corpus scenarios compared with
 * the simulator following it. Where QEMU or Debian's package index is missing, every test here is
 * skipped with that reason (.ci/run installs qemu-system-x86, so CI runs them).
 */
class VmSmokeTest {
    /** Scenarios that exercise the zero page, soft-dirty, swap, hugetlb, uffd-wp and THP there. */
    static final List<String> SCENARIOS = List.of("soft-dirty/simple.scn", "soft-dirty/vma-reuse.scn",
            "swap/pageout.scn", "hugetlb/faults.scn", "uffd/wp-async.scn", "thp/nohugepage.scn",
            "pagemap-ioctl/zeropfn.scn", "semantics/pt-reclaim.scn");

    static VmTarget target;
    static String unavailable;

    @BeforeAll
    static void boot() {
        try {
            Tools.require("qemu-system-x86_64", "qemu-system-x86");
            target = VmTarget.open(KernelSpec.parse("debian:6.12"), msg -> System.err.println("VmSmokeTest: " + msg));
        } catch (VmException e) {
            unavailable = e.getMessage();
        }
    }

    @AfterAll
    static void shutDown() {
        if (target != null) target.close();
    }

    /** Skips where the VM cannot be had here (no QEMU, no package index); a kernel that fails to boot fails. */
    static void assumeVm() {
        assertThat(unavailable == null ? "" : unavailable).as("booting debian:6.12").doesNotContain("did not come up");
        Assumptions.assumeTrue(target != null, () -> "no VM of debian:6.12: " + unavailable);
    }

    @Test
    void theProbeShowsWhatSetsThisKernelApart() throws AgentBuild.Unavailable {
        assumeVm();
        HostProbe p = target.probe();
        assertThat(p.host().kernel()).startsWith("6.12.");
        assertThat(p.host().zeroPage()).isTrue();
        assertThat(p.host().softDirty()).isTrue();
        assertThat(p.features().get("pagemap_scan")).isNull();
        assertThat(p.features().get("guard_regions")).contains("einval");
        assertThat(p.features().get("swap")).isNull();
        assertThat(target.profile().name()).startsWith("linux-6.12.");
    }

    @TestFactory
    Stream<DynamicTest> corpusScenariosAgree() {
        assumeVm();
        Runner runner = new Runner(Layout.DEFAULT_ARENA, 60, SemanticChoice.NONE, target, true);
        return SCENARIOS.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Comparison c = Comparison.of(runner.sim(ScenarioParser.parse(scenario(name)), runner.host()),
                    runner.kernel(ScenarioParser.parse(scenario(name))));
            assertThat(c.verdict()).as(c.explain()).isEqualTo(Comparison.Verdict.AGREE);
        }));
    }

    /**
     * A worker that dies (here: it unmaps its own stack) is reported as such, and the
     * VM's init hands the next scenario a fresh agent on a restored guest.
     */
    @Test
    void aCrashedAgentIsReportedAndTheNextOneWorks() throws Exception {
        assumeVm();
        int boots = target.boots();
        try (Agent a = target.agent(30)) {
            assertThat(a.call("swap_on 16384")).containsExactly("ok");
            assertThatThrownBy(() -> a.call("munmap 0x7f0000000000 0xfffffff000"))
                    .isInstanceOf(Agent.AgentException.class).hasMessageContaining("killed by signal 11");
        }
        try (Agent b = target.agent(30)) {
            List<String> probe = b.call("probe");
            assertThat(probe).contains("swap no");   // the dead agent's swap was turned off by init
        }
        assertThat(target.boots()).isEqualTo(boots);
    }

    static Path scenario(String name) {
        return Corpus.builtin().resolve(name);
    }
}
