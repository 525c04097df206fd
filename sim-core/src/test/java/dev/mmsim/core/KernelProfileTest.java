package dev.mmsim.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The profiles are the releases of semantics.md: each switch is on from its first release on. */
class KernelProfileTest {
    /** The first profile with each release or stable-fix switch on, as semantics.md lists them. */
    static final Map<Semantic, String> FIRST = Map.ofEntries(
            Map.entry(Semantic.PAGEMAP_SCAN, "linux-6.7"),
            Map.entry(Semantic.SCAN_SOFT_DIRTY, "linux-6.7"),
            Map.entry(Semantic.IOVEC_SINGLE_UBUF, "linux-6.4"),
            Map.entry(Semantic.UFFD_WP_ASYNC, "linux-6.7"),
            Map.entry(Semantic.MPROTECT_UNACCOUNT, "linux-6.7"),
            Map.entry(Semantic.MADVISE_POPULATE_RANGE, "linux-6.10"),
            Map.entry(Semantic.MSEAL, "linux-6.10"),
            Map.entry(Semantic.HUGETLB_RESTORE_RESERVE, "linux-6.8"),
            Map.entry(Semantic.MMAP_FIXED_UNMAP_ERROR, "linux-6.12"),
            Map.entry(Semantic.GUARD_REGIONS, "linux-6.13"),
            Map.entry(Semantic.PAGEMAP_CMD_EINVAL, "linux-6.13"),
            Map.entry(Semantic.HUGE_ZERO_WP_THP, "linux-6.13"),
            Map.entry(Semantic.PROCESS_MADVISE_SELF, "linux-6.13"),
            Map.entry(Semantic.PT_RECLAIM, "linux-6.14"),
            Map.entry(Semantic.FILE_GUARD, "linux-6.15"),
            Map.entry(Semantic.PAGEMAP_GUARD, "linux-6.15"),
            Map.entry(Semantic.MREMAP_PARAM_CHECKS, "linux-6.15"),
            Map.entry(Semantic.MREMAP_DONTUNMAP_LOCKED, "linux-6.15"),
            Map.entry(Semantic.SCAN_GUARD, "linux-6.16"),
            Map.entry(Semantic.ANON_MERGE_UNFAULTED, "linux-6.16"),
            Map.entry(Semantic.KSM_NEW_VMA_MERGE, "linux-6.17"),
            Map.entry(Semantic.MREMAP_MULTI_VMA, "linux-6.17"),
            Map.entry(Semantic.MAYBE_GUARD, "linux-6.19"),
            Map.entry(Semantic.STICKY_FLAGS, "linux-6.19"),
            Map.entry(Semantic.COPY_ON_FORK_GUARD, "linux-6.19"),
            Map.entry(Semantic.PAGEMAP_FOLIO_EXCLUSIVE, "linux-6.15"),
            Map.entry(Semantic.PAGEMAP_PMD_FILE, "linux-6.11"),
            Map.entry(Semantic.USER_PTR_MAX, "linux-6.12"),
            Map.entry(Semantic.ACCESS_OK_END, "linux-6.13"),
            Map.entry(Semantic.PTE_NONE_WRITTEN, "newest"),
            Map.entry(Semantic.PMD_HOLE_WRITTEN, "newest"));

    @TestFactory
    Stream<DynamicTest> eachSwitchIsOnFromItsFirstProfileOn() {
        return KernelProfile.all().stream().map(p -> DynamicTest.dynamicTest(p.name(), () -> {
            int index = KernelProfile.all().indexOf(p);
            for (var e : FIRST.entrySet()) {
                int first = KernelProfile.all().indexOf(KernelProfile.named(e.getValue()));
                assertThat(p.on(e.getKey())).as(e.getKey().scenarioName).isEqualTo(index >= first);
            }
            assertThat(p.on(Semantic.ZERO_PAGE)).as("host switches belong to no profile").isFalse();
        }));
    }

    @Test
    void everySwitchButTheHostsHasAFirstProfile() {
        for (Semantic s : Semantic.values()) assertThat(FIRST.containsKey(s)).as(s.scenarioName).isNotEqualTo(s.followsHost());
    }

    @Test
    void profilesSpanSixOneToSixNineteenThenNewest() {
        assertThat(KernelProfile.all()).extracting(KernelProfile::name).startsWith("linux-6.1", "linux-6.2")
                .endsWith("linux-6.19", "newest").hasSize(20);
    }

    @Test
    void beforeSixSevenThereIsNoPagemapScan() {
        assertThat(KernelProfile.linux(6).switches()).containsExactly(Semantic.IOVEC_SINGLE_UBUF);
        assertThat(KernelProfile.linux(3).switches()).isEmpty();
        assertThat(KernelProfile.linux(1)).isEqualTo(new KernelProfile("linux-6.1", 1, java.util.Set.of()));
        assertThat(KernelProfile.linux(7).switches()).containsExactlyInAnyOrder(Semantic.PAGEMAP_SCAN,
                Semantic.SCAN_SOFT_DIRTY, Semantic.UFFD_WP_ASYNC, Semantic.IOVEC_SINGLE_UBUF, Semantic.MPROTECT_UNACCOUNT);
        assertThat(KernelProfile.linux(8).switches()).contains(Semantic.HUGETLB_RESTORE_RESERVE);
    }

    @Test
    void unknownProfilesNameTheValidOnes() {
        assertThatThrownBy(() -> KernelProfile.named("linux-6.0")).hasMessageContaining("linux-6.1 to linux-6.19");
        assertThatThrownBy(() -> KernelProfile.named("linux-7.0")).hasMessageContaining("unknown profile 'linux-7.0'");
    }

    /**
     * A stable point release has its series' mainline switches and the stable fixes measured in
     * it: Debian's 6.12.101 had neither 2026 PAGEMAP_SCAN fix, 6.12.107 both.
     */
    @org.junit.jupiter.api.Test
    void stablePointReleasesCarryTheFixesFromTheirFirstPointOn() {
        KernelProfile before = KernelProfile.named("linux-6.12.101");
        KernelProfile after = KernelProfile.named("linux-6.12.107");
        assertThat(KernelProfile.named("linux-6.12.99").switches()).isEqualTo(KernelProfile.linux(12).switches());
        // the access_ok() off-by-one fix of 6.13 went back to 6.12.y before 6.12.100
        assertThat(before.switches()).containsAll(KernelProfile.linux(12).switches()).contains(Semantic.ACCESS_OK_END)
                .doesNotContain(Semantic.PTE_NONE_WRITTEN);
        assertThat(after.switches()).containsAll(KernelProfile.linux(12).switches())
                .contains(Semantic.PTE_NONE_WRITTEN, Semantic.PMD_HOLE_WRITTEN);
        assertThat(after.name()).isEqualTo("linux-6.12.107");
        assertThat(KernelProfile.linux(18, 500).switches()).isEqualTo(KernelProfile.linux(18).switches());
    }
}
