package dev.mmsim.proc;

import static dev.mmsim.core.Geometry.PAGE_SIZE;
import static dev.mmsim.core.Geometry.PMD_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.KernelProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.mm.MadviseOps;
import dev.mmsim.mm.Memory;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.Mmap;

import org.junit.jupiter.api.Test;

/**
 * What /proc/pid/pagemap says about the two zero pages (pte_to_pagemap_entry() and
 * pagemap_pmd_range_thp(), fs/proc/task_mmu.c), as measured on Debian's 6.12 kernel.
 */
class PagemapZeroPageTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;

    Mm mm = new Mm(Semantics.newest(HostProfile.parse("zero_page=on")));

    long word(long addr) {
        return Pagemap.entries(mm, addr, 1).words()[0];
    }

    @Test
    void pteToPagemapEntryFindsNoPageBehindTheSharedZeroPage() {
        // vm_normal_page() is NULL for the zero PFN: present, neither file nor exclusive
        assertThat(Mmap.doMmap(mm, BASE, 4 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(Memory.handleMmFault(mm, BASE, false)).isEqualTo(Memory.FaultResult.OK);
        assertThat(word(BASE) & (Pagemap.PM_PRESENT | Pagemap.PM_FILE | Pagemap.PM_MMAP_EXCLUSIVE))
                .isEqualTo(Pagemap.PM_PRESENT);
    }

    void hugeZeroPage() {
        assertThat(Mmap.doMmap(mm, BASE, 2 * PMD_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(MadviseOps.doMadvise(mm, BASE, 2 * PMD_SIZE, Madvise.HUGEPAGE)).isZero();
        assertThat(Memory.handleMmFault(mm, BASE, false)).isEqualTo(Memory.FaultResult.OK);
        assertThat(mm.pageTables().pmdLeaf(BASE)).isNotNull();
    }

    @Test
    void beforeSixElevenPagemapPmdRangeNeverSetPmFile() {
        mm = new Mm(new Semantics(KernelProfile.linux(10), HostProfile.parse("zero_page=on")));
        hugeZeroPage();
        assertThat(word(BASE) & (Pagemap.PM_PRESENT | Pagemap.PM_FILE | Pagemap.PM_MMAP_EXCLUSIVE))
                .isEqualTo(Pagemap.PM_PRESENT);
    }

    @Test
    void pagemapPmdRangeThpReportsTheHugeZeroPageAsAFileFolioThatNoPageMapsExclusively() {
        // pmd_page() gives the huge zero folio, which is not anonymous (PM_FILE) and never rmap'd
        // (precise mapcount 0, so no PM_MMAP_EXCLUSIVE), on every page of the leaf
        assertThat(Mmap.doMmap(mm, BASE, 2 * PMD_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(MadviseOps.doMadvise(mm, BASE, 2 * PMD_SIZE, Madvise.HUGEPAGE)).isZero();
        assertThat(Memory.handleMmFault(mm, BASE, false)).isEqualTo(Memory.FaultResult.OK);
        assertThat(mm.pageTables().pmdLeaf(BASE)).isNotNull();
        long[] words = Pagemap.entries(mm, BASE, 512).words();
        for (int i : new int[] {0, 1, 2, 255, 511}) {
            assertThat(words[i] & (Pagemap.PM_PRESENT | Pagemap.PM_FILE | Pagemap.PM_MMAP_EXCLUSIVE))
                    .as("page %d", i).isEqualTo(Pagemap.PM_PRESENT | Pagemap.PM_FILE);
            assertThat(words[i] & Pagemap.PM_PFRAME_MASK).isEqualTo((words[0] & Pagemap.PM_PFRAME_MASK) + i);
        }
    }
}
