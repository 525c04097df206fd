package dev.mmsim.proc;

import static dev.mmsim.core.Geometry.PAGE_SIZE;
import static dev.mmsim.core.Geometry.PMD_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.KernelProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.Semantics;
import dev.mmsim.mm.Fork;
import dev.mmsim.mm.MadviseOps;
import dev.mmsim.mm.Memory;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.Mmap;

import org.junit.jupiter.api.Test;

/**
 * PM_MMAP_EXCLUSIVE in pte_to_pagemap_entry() and pagemap_pmd_range() (fs/proc/task_mmu.c) after
 * fork and a copy-on-write fault in a THP: a page asks its own folio_precise_page_mapcount() == 1;
 * every page of a PMD leaf asks the leaf's first page's since 6.15 with CONFIG_PAGE_MAPCOUNT
 * (semantic {@link Semantic#PAGEMAP_FOLIO_EXCLUSIVE}, as measured on the hosts) and before 6.11,
 * its own on 6.11 to 6.14 (as measured on Debian's 6.12).
 */
class PagemapExclusiveTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;

    /** A THP at BASE shared with a child; the parent then writes page 1 (its PMD splits, the page is copied). */
    static Mm[] forkedThp(KernelProfile profile) {
        Mm parent = new Mm(new Semantics(profile, HostProfile.parse("zero_page=off")));
        assertThat(Mmap.doMmap(parent, BASE, PMD_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(MadviseOps.doMadvise(parent, BASE, PMD_SIZE, Madvise.HUGEPAGE)).isZero();
        assertThat(Memory.handleMmFault(parent, BASE, true)).isEqualTo(Memory.FaultResult.OK);
        Mm child = Fork.dupMmap(parent);
        assertThat(Memory.handleMmFault(parent, BASE + PAGE_SIZE, true)).isEqualTo(Memory.FaultResult.OK);
        assertThat(child.pageTables().pmdLeaf(BASE)).isNotNull();
        assertThat(parent.pageTables().pmdLeaf(BASE)).isNull();
        return new Mm[] {parent, child};
    }

    static boolean[] exclusive(Mm mm, int pages) {
        long[] words = Pagemap.entries(mm, BASE, pages).words();
        boolean[] out = new boolean[pages];
        for (int i = 0; i < pages; i++) out[i] = (words[i] & Pagemap.PM_MMAP_EXCLUSIVE) != 0;
        return out;
    }

    @Test
    void pagemapPmdRangeCountsEachPageOfTheLeafOn612() {
        Mm[] mms = forkedThp(KernelProfile.linux(12));
        // the child's leaf: page 1 is mapped by the child's PMD alone, pages 0 and 2 by the parent's PTEs too
        assertThat(exclusive(mms[1], 3)).containsExactly(false, true, false);
        // the parent's PTEs: its copy of page 1 is its own; the rest of the folio is mapped twice
        assertThat(exclusive(mms[0], 3)).containsExactly(false, true, false);
    }

    @Test
    void pteToPagemapEntryCountsThePageItselfOn612() {
        Mm[] mms = forkedThp(KernelProfile.linux(12));
        // the parent drops page 5; once the child's leaf is split too, the child's PTE maps it alone
        assertThat(MadviseOps.doMadvise(mms[0], BASE + 5 * PAGE_SIZE, PAGE_SIZE, Madvise.DONTNEED)).isZero();
        assertThat(dev.mmsim.mm.Mprotect.doMprotect(mms[1], BASE + 10 * PAGE_SIZE, PAGE_SIZE, Prot.PROT_READ)).isZero();
        assertThat(mms[1].pageTables().pmdLeaf(BASE)).isNull();
        assertThat(exclusive(mms[1], 7)).containsExactly(false, true, false, false, false, true, false);
    }

    @Test
    void sinceTheMapcountReworkNoPageOfAFolioMappedSharedIsExclusive() {
        Mm[] mms = forkedThp(KernelProfile.newest());
        assertThat(exclusive(mms[1], 3)).containsExactly(false, false, false);
        // the copy is a folio of its own
        assertThat(exclusive(mms[0], 3)).containsExactly(false, true, false);
    }

    @Test
    void before611EveryPageOfALeafTakesItsFirstPagesCount() {
        Mm[] mms = forkedThp(KernelProfile.linux(10));
        // page 0 is mapped by the parent's PTE too: so is, for the leaf, every page (6.12: page 1 was exclusive)
        assertThat(exclusive(mms[1], 3)).containsExactly(false, false, false);
    }

    /** Measured on the hosts' 6.18.y (thp/pagemap-exclusive-first-page.scn). */
    @Test
    void onTheHostsALeafWhoseFirstPageIsMappedOnceIsExclusiveThrough() {
        Mm parent = new Mm(new Semantics(KernelProfile.newest(), HostProfile.parse("zero_page=off")));
        assertThat(Mmap.doMmap(parent, BASE, PMD_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(MadviseOps.doMadvise(parent, BASE, PMD_SIZE, Madvise.HUGEPAGE)).isZero();
        assertThat(Memory.handleMmFault(parent, BASE, true)).isEqualTo(Memory.FaultResult.OK);
        Mm child = Fork.dupMmap(parent);
        assertThat(MadviseOps.doMadvise(child, BASE, PAGE_SIZE, Madvise.DONTNEED)).isZero();
        assertThat(exclusive(parent, 3)).containsExactly(true, true, true);
        assertThat(exclusive(child, 3)).containsExactly(false, false, false);
    }
}
