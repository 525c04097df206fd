package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;

import org.junit.jupiter.api.Test;

/**
 * move_page_tables() (mm/mremap.c): which page tables a move takes along and which it leaves
 * behind, seen with MREMAP_DONTUNMAP (the old VMA stays, so its leftover tables stay too). The
 * figures are those /proc/pid/status VmPTE showed on 6.18 (corpus ops/mremap-tables.scn).
 */
class MovePageTablesTest {
    static final long BASE = 0x100000000000L;               // 1 GiB aligned
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
    static final int DONTUNMAP = Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED | Mremap.MREMAP_DONTUNMAP;

    Mm mm = new Mm(Semantics.newest(HostProfile.parse("zero_page=off,thp=madvise")));

    long tables() {
        PageTables pt = mm.pageTables();
        return pt.pteTableCount() + pt.pmdTableCount() + pt.pudTableCount();
    }

    void mapAndWrite(long addr, long len) {
        assertThat(Mmap.doMmap(mm, addr, len, RW, ANON, null, 0)).isZero();
        for (long a = addr; a < addr + len; a += PAGE_SIZE) Memory.handleMmFault(mm, a, true);
    }

    /** try_realign_addr(): equal offsets within a PMD, nothing below either VMA: the first PTE table moves whole. */
    @Test
    void aMoveAtEqualPmdOffsetsIsRealignedAndTakesEveryTable() {
        mapAndWrite(BASE + PMD_SIZE / 2, 3 * PMD_SIZE / 2);
        assertThat(tables()).isEqualTo(4); // PUD, PMD, two PTE tables
        long to = BASE + PUD_SIZE + PMD_SIZE / 2;
        assertThat(Mremap.doMremap(mm, BASE + PMD_SIZE / 2, 3 * PMD_SIZE / 2, 3 * PMD_SIZE / 2, DONTUNMAP, to)).isEqualTo(to);
        assertThat(tables()).isEqualTo(5); // a second PMD table; both PTE tables moved
        assertThat(mm.pageTables().pteTable(BASE)).isNull();
    }

    /** Unequal offsets: the first part moves entry by entry into new tables, the old table stays. */
    @Test
    void aMoveAtUnequalOffsetsLeavesTheFirstTableBehind() {
        mapAndWrite(BASE + PMD_SIZE / 2, 3 * PMD_SIZE / 2);
        long to = BASE + PUD_SIZE + PMD_SIZE / 2 + PAGE_SIZE;
        assertThat(Mremap.doMremap(mm, BASE + PMD_SIZE / 2, 3 * PMD_SIZE / 2, 3 * PMD_SIZE / 2, DONTUNMAP, to)).isEqualTo(to);
        assertThat(mm.pageTables().pteTable(BASE)).isNotNull();
    }

    /** vma_has_uffd_without_event_remap(): no table moves whole, so every old table stays. */
    @Test
    void aUffdRegisteredVmaMovesEntryByEntry() {
        mapAndWrite(BASE, 2 * PMD_SIZE);
        assertThat(Userfaultfd.register(mm, BASE, 2 * PMD_SIZE, Userfaultfd.MODE_WP, 0)).isZero();
        assertThat(Mremap.doMremap(mm, BASE, 2 * PMD_SIZE, 2 * PMD_SIZE, DONTUNMAP, BASE + PUD_SIZE)).isEqualTo(BASE + PUD_SIZE);
        assertThat(tables()).isEqualTo(7); // PUD, two PMD tables, two PTE tables on each side
    }

    /** move_normal_pud(): a whole, PUD-aligned gigabyte moves its PMD table. */
    @Test
    void aWholeGigabyteMovesItsPmdTable() {
        assertThat(Mmap.doMmap(mm, BASE, PUD_SIZE, RW, ANON, null, 0)).isZero();
        Memory.handleMmFault(mm, BASE, true);
        Memory.handleMmFault(mm, BASE + 2 * PMD_SIZE, true);
        assertThat(tables()).isEqualTo(4);
        assertThat(Mremap.doMremap(mm, BASE, PUD_SIZE, PUD_SIZE, DONTUNMAP, BASE + 2 * PUD_SIZE)).isEqualTo(BASE + 2 * PUD_SIZE);
        assertThat(tables()).isEqualTo(4);
        assertThat(mm.pageTables().pmdTable(BASE)).isNull();
    }
}
