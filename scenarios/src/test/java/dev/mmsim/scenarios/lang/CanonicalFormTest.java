package dev.mmsim.scenarios.lang;

import static dev.mmsim.scenarios.lang.Scenarios.PRELUDE;
import static dev.mmsim.scenarios.lang.Scenarios.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.PageCategory;
import dev.mmsim.core.ScanFlag;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every statement and option: parse, render, parse again gives an equal record, and rendering is
 * idempotent.
 */
class CanonicalFormTest {
    /** The statement on the last line of {@code text}. */
    private static Stmt last(String text) {
        return parse(text).steps().getLast().stmt();
    }

    private static void assertRoundTrip(String prelude, String input, String canonical) {
        Stmt parsed = last(prelude + input + "\n");
        String rendered = parsed.render();
        assertThat(rendered).isEqualTo(canonical);
        Stmt reparsed = last(prelude + rendered + "\n");
        assertThat(reparsed).isEqualTo(parsed);
        assertThat(reparsed.render()).isEqualTo(rendered);
        assertThat(rendered + " ").startsWith(parsed.keyword() + " ");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " -> ", value = {
        "file g 3p -> file g 3p",
        "file h 0x1000 -> file h 1p",
        "memfd m 100p -> memfd m 100p",
        "truncate f 8K -> truncate f 2p",
        "seal f write shrink -> seal f shrink write",
        "seal f future_write seal -> seal f seal future_write",
        "reopen f ro -> reopen f ro",
        "reopen f rw -> reopen f rw",
        "mmap B 2M rw private -> mmap B 2M rw private anon",
        "mmap B 8K r shared file f off 1p populate -> mmap B 2p r shared populate file f off 1p",
        "mmap B 4p rwx fixed growsdown locked hugetlb noreserve populate anon private at A+4p align 2M"
                + " -> mmap B 4p rwx private anon populate noreserve hugetlb locked growsdown fixed at A+4p align 2M",
        "mmap B 4p none private at arena+0x1000 -> mmap B 4p none private anon at arena+1p",
        "mmap B 1p x shared file f -> mmap B 1p x shared file f",
        "munmap A 4096 -> munmap A 1p",
        "munmap A+1p-0x10 6K -> munmap A+0xff0 6K",
        "mprotect A 4p none -> mprotect A 4p none",
        "mprotect A-1p 16384 rx -> mprotect A-1p 4p rx",
        "madvise A 4p guard_install -> madvise A 4p guard_install",
        "madvise A 2M populate_write -> madvise A 2M populate_write",
        "process_madvise guard_install A 1p -> process_madvise guard_install A 1p",
        "process_madvise  cold A 4096  A+2p-0x10 8K A 0 -> process_madvise cold A 1p A+1p+0xff0 2p A 0",
        "mremap A 4p 8p -> mremap A 4p 8p",
        "mremap A 4p 8p as B dontunmap fixed A+8p maymove -> mremap A 4p 8p maymove fixed A+8p dontunmap as B",
        "mlock A 4p -> mlock A 4p",
        "munlock A 1G -> munlock A 1G",
        "mseal A 4p -> mseal A 4p",
        "mseal   A+1p 8192 -> mseal A+1p 2p",
        "prctl memory_merge on -> prctl memory_merge on",
        "uprobe f 0 -> uprobe f 0",
        "uprobe f 0x1005 -> uprobe f 4101",
        "uprobe f 8192 -> uprobe f 2p",
        "prctl  memory_merge   off -> prctl memory_merge off",
        "read A -> read A",
        "write A 3p value 7 -> write A 3p value 7",
        "write A value 0x10 -> write A value 16",
        "write A+2p 8K value 9223372036854775807 -> write A+2p 2p value 9223372036854775807",
        "values A -> values A",
        "values A+1p 0x3000 -> values A+1p 3p",
        "write   A+2p   8K -> write A+2p 2p",
        "fork c2 -> fork c2",
        "uffd_register A 4p async minor wp missing -> uffd_register A 4p missing wp minor async",
        "uffd_register A 4p wp -> uffd_register A 4p wp",
        "uffd_wp A 4p on -> uffd_wp A 4p on",
        "uffd_wp A 4p off -> uffd_wp A 4p off",
        "clear_refs 4 -> clear_refs 4",
        "scan A 16p -> scan A 16p",
        "scan A 16p return all vec 1024 max 0 -> scan A 16p",
        "trace scan A 16p max 2 -> trace scan A 16p max 2",
        "scan A 16p flags check_wpasync,wp_matching inverted written mask guard|present anyof all return none"
                + " vec 0 max 3 size 95 start 0x800000000000 end A+2p"
                + " -> scan A 16p flags wp_matching,check_wpasync inverted written mask present|guard anyof all"
                + " return none vec 0 max 3 size 95 start 0x800000000000 end A+2p",
        "scan A 16p flags 0x4,wp_matching return 0x200|present vec null"
                + " -> scan A 16p flags wp_matching,0x4 return present|0x200 vec null",
        "scan A 4p start arena end 140737488355328 -> scan A 4p start arena end 0x800000000000",
        "pagemap A -> pagemap A",
        "pagemap A 4p -> pagemap A 4p",
        "pagemap_raw 0x800000000 16 -> pagemap_raw 34359738368 16",
        "pagemap_raw 8 8 bufat A+0x1000 -> pagemap_raw 8 8 bufat A+1p",
        "pagemap_raw 8 8 bufat 4096 -> pagemap_raw 8 8 bufat 0x1000",
        "scan A 4p max 1 on f -> scan A 4p max 1 on f",
        "scan A 4p argat 0 of c1 -> scan A 4p of c1 argat 0x0",
        "scan A 4p cmd 3231737360 -> scan A 4p cmd 0xc0a06610",
        "scan A 4p on f vecat A+8192 vec 2 -> scan A 4p vec 2 vecat A+2p on f",
        "scan A 4p of c1 vecat 0 -> scan A 4p vecat 0x0 of c1",
        "smaps -> smaps",
        "smaps A 4p -> smaps A 4p",
        "maps -> maps",
        "maps A+1p 2p -> maps A+1p 2p",
        "set maybe_guard off -> set maybe_guard off",
        "set scan_guard on -> set scan_guard on",
    })
    void operationsRoundTrip(String input, String canonical) {
        assertRoundTrip(PRELUDE, input, canonical);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " -> ", value = {
        "mirrors tools/testing/selftests/mm/guard-regions.c   guard_regions.split_merge"
                + " -> mirrors tools/testing/selftests/mm/guard-regions.c guard_regions.split_merge",
        "requires guard_regions  scan_guard -> requires guard_regions scan_guard",
        "requires mseal ksm uprobe -> requires mseal ksm uprobe",
        "profile linux-6.18 -> profile linux-6.18",
        "profile linux-6.7 -> profile linux-6.7",
        "profile linux-6.1 -> profile linux-6.1",
        "profile newest -> profile newest",
    })
    void headerStatementsRoundTrip(String input, String canonical) {
        assertRoundTrip("scenario t\n", input, canonical);
    }

    @Test
    void scenarioRoundTrips() {
        assertRoundTrip("", "scenario  guard-regions/split-merge", "scenario guard-regions/split-merge");
    }

    @Test
    void anonIsImpliedWithoutAFile() {
        MmapStmt anon = (MmapStmt) last(PRELUDE + "mmap B 4p rw shared\n");
        MmapStmt file = (MmapStmt) last(PRELUDE + "mmap B 4p rw shared file f\n");
        assertThat(anon.flags()).containsExactlyInAnyOrder(MmapFlag.SHARED, MmapFlag.ANON);
        assertThat(file.flags()).containsExactly(MmapFlag.SHARED);
    }

    @Test
    void scanDefaults() {
        assertThat(last(PRELUDE + "scan A 4p\n")).isEqualTo(new ScanStmt(
                new Addr("A", 0), Size.parse("4p"), 0, 0, 0, 0, PageCategory.PM_SCAN_CATEGORIES,
                ScanStmt.DEFAULT_VEC, false, 0, null, null, null, false));
    }

    @Test
    void scanOptionsFillPmScanArg() {
        ScanStmt scan = (ScanStmt) last(PRELUDE
                + "trace scan A+1p 4p flags wp_matching mask written|guard return all vec null size 96 end 4096\n");
        assertThat(scan.flags()).isEqualTo(ScanFlag.PM_SCAN_WP_MATCHING);
        assertThat(scan.mask())
                .isEqualTo(PageCategory.PAGE_IS_WRITTEN.mask() | PageCategory.PAGE_IS_GUARD.mask());
        assertThat(scan.vecNull()).isTrue();
        assertThat(scan.rawSize()).isEqualTo(96);
        assertThat(scan.rawEnd()).isEqualTo(new Addr(null, 4096));
        assertThat(scan.trace()).isTrue();
        assertThat(scan.keyword()).isEqualTo("trace");
    }

    @Test
    void uffdModesAreASet() {
        UffdRegisterStmt register = (UffdRegisterStmt) last(PRELUDE + "uffd_register A 4p wp minor\n");
        assertThat(register.modes()).isEqualTo(Set.of(UffdMode.WP, UffdMode.MINOR));
        assertThat(register.async()).isFalse();
    }

    @Test
    void childStepsRenderWithTheirPrefix() {
        Step step = parse(PRELUDE + "c1:   write A   2p => ok\n").steps().getLast();
        assertThat(step.child()).isEqualTo("c1");
        assertThat(step.render()).isEqualTo("c1: write A 2p");
        assertThat(last(PRELUDE + step.render() + "\n")).isEqualTo(step.stmt());
    }
}
