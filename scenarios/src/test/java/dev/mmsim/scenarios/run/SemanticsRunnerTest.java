package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.KernelProfile;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.SemanticChoice;
import dev.mmsim.core.SemanticExtension;
import dev.mmsim.scenarios.lang.ProfileStmt;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;

import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Profiles and chosen semantics in the runner: what the simulator follows, what the kernel skips. */
class SemanticsRunnerTest {
    static final String GUARD = """
            scenario t
            %s
            mmap A 2p rw private anon
            madvise A 1p guard_install
            """;

    static Scenario guard(String profileLine) throws Exception {
        return ScenarioParser.parse("t.scn", GUARD.formatted(profileLine));
    }

    static void assumeKernelBackend() {
        try {
            HostProbe.get();
        } catch (AgentBuild.Unavailable e) {
            Assumptions.abort("kernel backend unavailable: " + e.getMessage());
        }
    }

    @Test
    void everyProfileTheLanguageAcceptsIsModelled() throws Exception {
        assertThat(ProfileStmt.OLDEST_MINOR).isEqualTo(KernelProfile.OLDEST_MINOR);
        assertThat(ProfileStmt.NEWEST_MINOR).isEqualTo(KernelProfile.NEWEST_MINOR);
        Runner runner = new Runner(Layout.DEFAULT_ARENA, 60);
        for (KernelProfile p : KernelProfile.all()) {
            Transcript t = runner.sim(guard("profile " + p.name()), HostProfile.UPSTREAM);
            assertThat(t.outcome()).as(p.name()).isEqualTo(Outcome.PASSED);
            assertThat(t.lines().get(3).result()).as(p.name()).isEqualTo(p.on(Semantic.GUARD_REGIONS) ? "ok" : "EINVAL");
        }
    }

    /**
     * mremap under every profile: before 6.17 (semantic mremap_multi_vma off) a move of a range
     * spanning two VMAs fails with EFAULT, from 6.17 on it moves both.
     */
    @Test
    void mremapIsModelledUnderEveryProfile() throws Exception {
        String text = """
                scenario t
                %s
                mmap A 1p rw private anon
                mmap B 1p r private anon at A+1p
                mmap D 2p rw private anon
                mremap A 2p 2p maymove fixed D
                """;
        Runner runner = new Runner(Layout.DEFAULT_ARENA, 60);
        for (KernelProfile p : KernelProfile.all()) {
            Transcript t = runner.sim(ScenarioParser.parse("t.scn", text.formatted("profile " + p.name())),
                    HostProfile.UPSTREAM);
            assertThat(t.outcome()).as(p.name()).isEqualTo(Outcome.PASSED);
            assertThat(t.lines().get(5).result()).as(p.name())
                    .isEqualTo(p.on(Semantic.MREMAP_MULTI_VMA) ? "ok at D" : "EFAULT");
        }
    }

    @Test
    void theSimulatorNamesSemanticsOtherThanNewest() throws Exception {
        Runner runner = new Runner(Layout.DEFAULT_ARENA, 60);
        assertThat(runner.sim(guard("profile linux-6.12"), HostProfile.UPSTREAM).header()).contains("semantics: linux-6.12");
        assertThat(runner.sim(guard(""), HostProfile.UPSTREAM).header()).noneMatch(h -> h.startsWith("semantics:"));
    }

    @Test
    void aScenarioProfileIsSimulatorOnly() throws Exception {
        assumeKernelBackend();
        Transcript t = new Runner(Layout.DEFAULT_ARENA, 60).kernel(guard("profile linux-6.19"));
        assertThat(t.outcome()).isEqualTo(Outcome.skipped("simulator-only semantics (linux-6.19)"));
    }

    @Test
    void chosenSwitchesAndExtensionsAreSimulatorOnly() throws Exception {
        assumeKernelBackend();
        Runner switched = new Runner(Layout.DEFAULT_ARENA, 60,
                new SemanticChoice(null, Map.of(Semantic.STICKY_FLAGS, false), SemanticExtension.KERNEL));
        assertThat(switched.kernel(guard("")).outcome())
                .isEqualTo(Outcome.skipped("simulator-only semantics (newest sticky_flags=off)"));
        Runner extended = new Runner(Layout.DEFAULT_ARENA, 60,
                new SemanticChoice(null, Map.of(), new SemanticExtension() {
                    @Override
                    public String name() {
                        return "Rule";
                    }
                }));
        assertThat(extended.kernel(guard("")).outcome())
                .isEqualTo(Outcome.skipped("simulator-only semantics (newest extension=Rule)"));
    }

    @Test
    void settingTheHostsOwnValueKeepsTheKernelBackend() throws Exception {
        assumeKernelBackend();
        boolean zero = HostProbe.get().host().zeroPage();
        Runner same = new Runner(Layout.DEFAULT_ARENA, 60,
                new SemanticChoice(KernelProfile.newest(), Map.of(Semantic.ZERO_PAGE, zero), SemanticExtension.KERNEL));
        assertThat(same.kernel(guard("")).outcome()).isEqualTo(Outcome.PASSED);
    }
}
