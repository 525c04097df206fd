package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.ScenarioParser;

import org.junit.jupiter.api.Test;

/** The interpreter on the simulator: placement, rendering, expectations and outcomes. */
class ReplayTest {
    static final Runner RUNNER = new Runner(Layout.DEFAULT_ARENA, 60);

    static Transcript sim(String text, HostProfile host) throws Exception {
        return RUNNER.sim(ScenarioParser.parse("t.scn", text), host);
    }

    @Test
    void placesMappingsWithAGapAndRendersRelativeAddresses() throws Exception {
        Transcript t = sim("""
                scenario t
                mmap A 2p rw private anon
                mmap B 1p r private anon
                maps
                """, HostProfile.UPSTREAM);
        assertThat(t.lines().get(3).result()).isEqualTo("A..A+2p rw-p; B..B+1p r--p");
    }

    @Test
    void followsTheHostProfileForReadFaults() throws Exception {
        String text = """
                scenario t
                mmap A 1p rw private anon
                read A
                scan A 1p
                pagemap A
                """;
        Transcript zero = sim(text, HostProfile.parse("zero_page=on"));
        assertThat(zero.lines().get(3).result()).isEqualTo("1 [A..A+1p pfnzero|present|written] walk_end=A+1p");
        assertThat(zero.lines().get(4).result()).isEqualTo("A..A+1p present pfn");
        Transcript noZero = sim(text, HostProfile.parse("zero_page=off"));
        assertThat(noZero.lines().get(3).result()).isEqualTo("1 [A..A+1p present|written] walk_end=A+1p");
        assertThat(noZero.lines().get(4).result()).isEqualTo("A..A+1p present exclusive pfn");
    }

    @Test
    void aNameWhoseMremapFailedIsReportedUnboundAndTheReplayGoesOn() throws Exception {
        Transcript t = sim("""
                scenario t
                mmap A 2p rw private anon
                mremap A 2p 0p maymove as B
                write B
                write A => ok
                """, HostProfile.UPSTREAM);
        assertThat(t.lines().get(2).result()).isEqualTo("EINVAL");
        assertThat(t.lines().get(3).result()).isEqualTo("unbound B (its mremap failed with EINVAL)");
        assertThat(t.outcome()).isNotEqualTo(Outcome.FAILED);
        assertThat(t.lines()).hasSize(5);
    }

    @Test
    void anExitedChildsPagemapCannotBeScannedAndItsPagesAreTheParentsAgain() throws Exception {
        Transcript t = sim("""
                scenario t
                mmap A 2p rw private anon
                write A 2p
                fork c
                pagemap A 2p
                scan A 2p of c
                c: exit
                scan A 2p of c
                pagemap A 2p
                """, HostProfile.UPSTREAM);
        assertThat(t.lines().get(4).result()).isEqualTo("A..A+2p present pfn");
        assertThat(t.lines().get(5).result()).isEqualTo("1 [A..A+2p present|written] walk_end=A+2p");
        assertThat(t.lines().get(7).result()).isEqualTo("ESRCH walk_end=0");
        assertThat(t.lines().get(8).result()).isEqualTo("A..A+2p present exclusive pfn");
    }

    @Test
    void anArgumentPointerTheSimulatorCannotReadIsEfaultAndOneItCouldIsUnsupported() throws Exception {
        Transcript unreadable = sim("""
                scenario t
                mmap A 2p none private anon
                scan A 2p argat A
                """, HostProfile.UPSTREAM);
        assertThat(unreadable.lines().get(2).result()).isEqualTo("EFAULT walk_end=0");
        Transcript readable = sim("""
                scenario t
                mmap A 2p r private anon
                scan A 2p argat A
                """, HostProfile.UPSTREAM);
        assertThat(readable.outcome()).isEqualTo(Outcome.unsupported("scan argat readable memory (its contents)"));
    }

    /**
     * Semantic pagemap_scan off (before 6.7): the pagemap file has no ioctl, so every scan on it is
     * ENOTTY whatever its request and arguments, after the open (ESRCH for an exited child) and
     * before the argument is read; the ioctl on another file is ENOTTY as always.
     */
    @Test
    void withoutThePagemapIoctlEveryScanOfAPagemapIsEnotty() throws Exception {
        Transcript t = sim("""
                scenario t
                set pagemap_scan off
                mmap A 2p r private anon
                file f 1p
                fork c
                scan A 2p
                trace scan A 2p
                scan A 2p return present|0x4000 size 7
                scan A 2p cmd 0x1234
                scan A 2p argat A
                scan A 2p vecat A
                scan A 2p of c
                scan A 2p on f
                c: exit
                scan A 2p of c
                """, HostProfile.UPSTREAM);
        assertThat(t.outcome()).as(t.failures().toString()).isEqualTo(Outcome.PASSED);
        for (int line = 5; line <= 12; line++) assertThat(t.lines().get(line).result()).as("line %d", line + 1)
                .isEqualTo("ENOTTY walk_end=0");
        assertThat(t.lines().get(6).notes()).isEmpty();
        assertThat(t.lines().get(14).result()).isEqualTo("ESRCH walk_end=0");
    }

    @Test
    void reportsExpectationMismatchesWithFileAndLine() throws Exception {
        Transcript t = sim("""
                scenario t
                mmap A 1p rw private anon
                read A+1p => ok
                """, HostProfile.UPSTREAM);
        assertThat(t.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(t.failures()).containsExactly("t.scn:3: expected ok, got SIGSEGV at A+1p");
    }

    @Test
    void unmodelledStatementsMakeTheScenarioUnsupported() throws Exception {
        Transcript t = sim("""
                scenario t
                mmap A 1p rw private anon growsdown
                read A
                """, HostProfile.UPSTREAM);
        assertThat(t.outcome()).isEqualTo(Outcome.unsupported("mmap growsdown"));
        assertThat(t.lines()).hasSize(1);
    }

    @Test
    void setStatementsSkipTheKernelBackend() throws Exception {
        Transcript t = RUNNER.kernel(ScenarioParser.parse("t.scn", """
                scenario t
                set sticky_flags off
                """));
        assertThat(t.outcome().kind()).isEqualTo(Outcome.Kind.SKIPPED);
        assertThat(t.outcome().reason()).contains("set");
    }

    @Test
    void scenariosThatAskForThpsAreTheOnesCheckedForKhugepaged() throws Exception {
        assertThat(new Runner(Layout.DEFAULT_ARENA, 60).mayHaveThp(ScenarioParser.parse("t.scn", """
                scenario t
                requires thp
                mmap A 2M rw private anon
                """))).isTrue();
        assertThat(new Runner(Layout.DEFAULT_ARENA, 60).mayHaveThp(ScenarioParser.parse("t.scn", """
                scenario t
                mmap A 4M rw private anon
                madvise A 4M collapse
                """))).isTrue();
        // without a THP request a scenario is checked only on a thp=always host
        boolean always = "always".equals(Runner.defaultHost().thp());
        assertThat(new Runner(Layout.DEFAULT_ARENA, 60).mayHaveThp(ScenarioParser.parse("t.scn", """
                scenario t
                mmap A 4M rw private anon
                write A
                """))).isEqualTo(always);
    }

    @Test
    void theSimulatorMapsAThpAndSplitsItOnAPartialZap() throws Exception {
        Transcript t = sim("""
                scenario t
                mmap A 4M rw private anon align 2M
                madvise A 4M hugepage
                write A
                scan A 2M
                madvise A+1p 1p dontneed
                scan A 2M
                """, HostProfile.parse("zero_page=off,thp=madvise"));
        assertThat(t.lines().get(4).result()).isEqualTo("1 [A..A+512p huge|present|written] walk_end=A+512p");
        assertThat(t.lines().get(6).result())
                .isEqualTo("3 [A..A+1p present|written, A+1p..A+2p written, A+2p..A+512p present|written] walk_end=A+512p");
        Transcript never = sim("""
                scenario t
                mmap A 4M rw private anon align 2M
                madvise A 4M hugepage
                write A
                scan A 2M
                """, HostProfile.parse("zero_page=off,thp=never"));
        assertThat(never.lines().get(4).result()).isEqualTo("2 [A..A+1p present|written, A+1p..A+512p written] walk_end=A+512p");
    }
}
