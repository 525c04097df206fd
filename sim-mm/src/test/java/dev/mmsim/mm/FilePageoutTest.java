package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MADV_PAGEOUT of a regular file's pages (madvise_pageout(), shrink_folio_list()): a dirty page is
 * unmapped and kept, marked PG_reclaim, which fault-around reads as PG_readahead; a clean one is
 * dropped.
 */
class FilePageoutTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int SHARED = MapFlag.MAP_SHARED | MapFlag.MAP_FIXED_NOREPLACE;

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));
    MappedFile file;

    static long page(long n) {
        return BASE + n * PAGE_SIZE;
    }

    boolean present(long n) {
        return PteBits.pteP(mm.pageTables().pte(page(n)));
    }

    @BeforeEach
    void fourWrittenPages() {
        file = MappedFile.regular("f", 4 * PAGE_SIZE, mm.frames());
        assertThat(Mmap.doMmap(mm, page(0), 4 * PAGE_SIZE, RW, SHARED, file, 0)).isZero();
        for (int i = 0; i < 4; i++) Memory.handleMmFault(mm, page(i), true);
    }

    @Test
    void dirtyPagesStayCachedAndFaultAroundPassesThemBy() {
        assertThat(MadviseOps.doMadvise(mm, page(0), 4 * PAGE_SIZE, Madvise.PAGEOUT)).isZero();
        assertThat(file.cachedPages()).isEqualTo(4);
        for (int i = 0; i < 4; i++) assertThat(present(i)).isFalse();

        // the read maps its own page only: its neighbours are marked
        Memory.handleMmFault(mm, page(1), false);
        assertThat(present(1)).isTrue();
        assertThat(present(0) || present(2) || present(3)).isFalse();
        assertThat(file.readaheadMarked(1)).isFalse();
        assertThat(file.readaheadMarked(2)).isTrue();
    }

    @Test
    void aRandomReadVmaKeepsTheMark() {
        assertThat(MadviseOps.doMadvise(mm, page(0), 4 * PAGE_SIZE, Madvise.RANDOM)).isZero();
        assertThat(MadviseOps.doMadvise(mm, page(0), 4 * PAGE_SIZE, Madvise.PAGEOUT)).isZero();
        Memory.handleMmFault(mm, page(1), false);
        assertThat(file.readaheadMarked(1)).isTrue();
    }

    @Test
    void unmappingADirtyEntryDirtiesTheCleanPage() {
        assertThat(FileOps.truncate(file, 8 * PAGE_SIZE, mm.frames())).isZero();
        assertThat(Mmap.doMmap(mm, page(8), PAGE_SIZE, RW, SHARED, file, 4 * PAGE_SIZE)).isZero();
        Memory.handleMmFault(mm, page(8), false); // read in clean
        Memory.handleMmFault(mm, page(8), true); // written through the mapping: a dirty entry
        assertThat(VmaMerge.doVmiMunmap(mm, page(8), PAGE_SIZE)).isZero(); // zap_present_folio_ptes()
        assertThat(Mmap.doMmap(mm, page(8), PAGE_SIZE, RW, SHARED, file, 4 * PAGE_SIZE)).isZero();
        Memory.handleMmFault(mm, page(8), false); // a clean entry for a dirty page
        assertThat(MadviseOps.doMadvise(mm, page(8), PAGE_SIZE, Madvise.PAGEOUT)).isZero();
        assertThat(file.lookup(4)).isNotZero();
    }

    @Test
    void aCleanPageIsDropped() {
        // grow the file: the new page is a hole, read in clean
        assertThat(FileOps.truncate(file, 8 * PAGE_SIZE, mm.frames())).isZero();
        assertThat(Mmap.doMmap(mm, page(8), PAGE_SIZE, RW, SHARED, file, 4 * PAGE_SIZE)).isZero();
        Memory.handleMmFault(mm, page(8), false);
        assertThat(file.lookup(4)).isNotZero();
        assertThat(MadviseOps.doMadvise(mm, page(8), PAGE_SIZE, Madvise.PAGEOUT)).isZero();
        assertThat(file.lookup(4)).isZero();
        assertThat(present(8)).isFalse();
    }
}
