package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;

import org.junit.jupiter.api.Test;

/**
 * Page contents: the value (first 8 bytes) of a page follows the memory its entry maps, through
 * the kernel paths that allocate, copy, free or swap frames.
 */
class PageContentsTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
    static final int SHARED = MapFlag.MAP_SHARED | MapFlag.MAP_FIXED_NOREPLACE;
    static final int PRIVATE = MapFlag.MAP_PRIVATE | MapFlag.MAP_FIXED_NOREPLACE;

    final Mm mm = new Mm(Semantics.newest(HostProfile.parse("zero_page=off")));

    static long page(long n) {
        return BASE + n * PAGE_SIZE;
    }

    long load(Mm m, long n) {
        Memory.Load l = Memory.loadValue(m, page(n));
        assertThat(l.fault()).isEqualTo(Memory.FaultResult.OK);
        return l.value();
    }

    void store(Mm m, long n, long value) {
        assertThat(Memory.storeValue(m, page(n), value)).isEqualTo(Memory.FaultResult.OK);
    }

    void madvise(long n, long pages, Madvise advice) {
        assertThat(MadviseOps.doMadvise(mm, page(n), pages * PAGE_SIZE, advice)).isZero();
    }

    void anon(long pages) {
        assertThat(Mmap.doMmap(mm, BASE, pages * PAGE_SIZE, RW, ANON, null, 0)).isZero();
    }

    @Test
    void aPlainWriteCostsNoMapEntryAndReplacesOneByte() {
        FrameTable frames = new FrameTable();
        int pfn = frames.alloc(FrameTable.ANON);
        assertThat(frames.value(pfn)).isZero();
        frames.setValue(pfn, FrameTable.plainWrite(frames.value(pfn), 0));
        assertThat(frames.value(pfn)).isEqualTo(0x5a);
        frames.setValue(pfn, 0x1234);
        frames.setValue(pfn, FrameTable.plainWrite(frames.value(pfn), 1));
        assertThat(frames.value(pfn)).isEqualTo(0x5a34);
        assertThat(FrameTable.plainWrite(0x1234, 8)).as("past the first 8 bytes").isEqualTo(0x1234);
        frames.setValue(pfn, 0);
        assertThat(frames.nonZero(pfn)).as("zero-filled again").isFalse();
        frames.setValue(pfn, 7);
        frames.free(pfn);
        assertThat(frames.value(frames.alloc(FrameTable.ANON))).as("a reused frame is zeroed").isZero();
    }

    @Test
    void aPlainWritePastTheFirst8BytesKeepsTheValueButTheFrameHoldsData() {
        anon(1);
        assertThat(Memory.handleMmFault(mm, page(0) + 0x10, true)).isEqualTo(Memory.FaultResult.OK);
        assertThat(load(mm, 0)).isZero();
        long pfn = PteBits.ptePfn(mm.pageTables().pte(page(0)));
        assertThat(mm.frames().nonZero(pfn)).as("memchr_inv() finds the byte").isTrue();
        store(mm, 0, 0);
        assertThat(mm.frames().nonZero(pfn)).as("the byte at 0x10 stays").isTrue();
        assertThat(Memory.handleMmFault(mm, page(0) + 3, true)).isEqualTo(Memory.FaultResult.OK);
        assertThat(load(mm, 0)).isEqualTo(0x5a000000L);
    }

    @Test
    void wpPageCopyGivesTheChildACopyAndTheParentKeepsItsData() {
        anon(2);
        store(mm, 0, 7);
        Mm child = Fork.dupMmap(mm);
        assertThat(load(child, 0)).isEqualTo(7);
        store(child, 0, 9); // do_wp_page() -> wp_page_copy()
        assertThat(load(child, 0)).isEqualTo(9);
        assertThat(load(mm, 0)).isEqualTo(7);
        assertThat(load(child, 1)).isZero();
    }

    @Test
    void dontneedZeroFillsAnonymousMemoryWhileFreeKeepsItUntilReclaimDropsACleanPage() {
        mm.frames().swap().enable();
        anon(4);
        for (int i = 0; i < 4; i++) store(mm, i, 11);
        madvise(0, 1, Madvise.DONTNEED);           // zap_page_range_single()
        madvise(1, 3, Madvise.FREE);               // madvise_free_pte_range()
        assertThat(load(mm, 0)).isZero();
        assertThat(load(mm, 1)).as("lazyfree keeps the data until reclaim").isEqualTo(11);
        store(mm, 2, 12);                          // redirtied: reclaim must keep it
        madvise(0, 4, Madvise.PAGEOUT);            // shrink_folio_list(): clean lazyfree pages go
        assertThat(load(mm, 1)).isZero();
        assertThat(load(mm, 3)).isZero();
        assertThat(load(mm, 2)).isEqualTo(12);
    }

    @Test
    void swapOutAndInCarriesTheValue() {
        mm.frames().swap().enable();
        anon(2);
        store(mm, 0, 21);
        madvise(0, 2, Madvise.PAGEOUT);            // swap_writeout()
        assertThat(PteBits.pteP(mm.pageTables().pte(page(0)))).isFalse();
        assertThat(load(mm, 0)).isEqualTo(21);    // do_swap_page() -> swap_read_folio()
    }

    @Test
    void aWriteToASwapCachePageAnotherProcessStillHoldsCopiesIt() {
        mm.frames().swap().enable();
        anon(1);
        store(mm, 0, 23);
        madvise(0, 1, Madvise.PAGEOUT);
        Mm child = Fork.dupMmap(mm);               // swap_duplicate(): both hold the slot
        assertThat(load(child, 0)).isEqualTo(23); // do_swap_page(): into the swap cache
        store(child, 0, 24);                       // wp_can_reuse_anon_folio() refuses: a copy
        assertThat(load(mm, 0)).isEqualTo(23);
        assertThat(load(child, 0)).isEqualTo(24);
    }

    @Test
    void aPrivateFileMappingCopiesTheFilePageAndDontneedReadsItAgain() {
        MappedFile f = MappedFile.regular("f", 4 * PAGE_SIZE, mm.frames());
        assertThat(Mmap.doMmap(mm, page(0), 4 * PAGE_SIZE, RW, SHARED, f, 0)).isZero();
        assertThat(Mmap.doMmap(mm, page(8), 4 * PAGE_SIZE, RW, PRIVATE, f, 0)).isZero();
        store(mm, 0, 31);
        assertThat(load(mm, 8)).isEqualTo(31);    // the page-cache page
        store(mm, 9, 32);                          // do_cow_fault(): a copy of page 1 (0), then 32
        store(mm, 8, 33);                          // do_wp_page() of a page-cache page: copied
        assertThat(load(mm, 0)).isEqualTo(31);
        assertThat(load(mm, 1)).isZero();
        madvise(8, 4, Madvise.DONTNEED);
        assertThat(load(mm, 8)).as("file data again").isEqualTo(31);
        assertThat(load(mm, 9)).isZero();
    }

    @Test
    void truncationDropsTheDataAndAPartialPageLosesItsTail() {
        MappedFile f = MappedFile.regular("f", 4 * PAGE_SIZE, mm.frames());
        assertThat(Mmap.doMmap(mm, page(0), 4 * PAGE_SIZE, RW, SHARED, f, 0)).isZero();
        store(mm, 1, 0x0102030405060708L);
        store(mm, 2, 41);
        assertThat(FileOps.truncate(f, PAGE_SIZE + 3, mm.frames())).isZero();
        assertThat(FileOps.truncate(f, 4 * PAGE_SIZE, mm.frames())).isZero();
        assertThat(load(mm, 1)).as("truncate_inode_partial_folio()").isEqualTo(0x060708L);
        assertThat(load(mm, 2)).as("a hole reads zeroes").isZero();
    }

    @Test
    void madvRemoveOfShmemPunchesAHole() {
        MappedFile m = MappedFile.memfd("m", 4 * PAGE_SIZE);
        assertThat(Mmap.doMmap(mm, page(0), 4 * PAGE_SIZE, RW, SHARED, m, 0)).isZero();
        store(mm, 0, 51);
        store(mm, 1, 52);
        madvise(1, 1, Madvise.REMOVE);             // shmem_fallocate(FALLOC_FL_PUNCH_HOLE)
        madvise(0, 1, Madvise.DONTNEED);
        assertThat(load(mm, 0)).isEqualTo(51);
        assertThat(load(mm, 1)).isZero();
    }

    @Test
    void aHolePunchedInARegularFileKeepsThePrivateCopies() {
        MappedFile f = MappedFile.regular("f", 2 * PAGE_SIZE, mm.frames());
        assertThat(Mmap.doMmap(mm, page(0), 2 * PAGE_SIZE, RW, SHARED, f, 0)).isZero();
        assertThat(Mmap.doMmap(mm, page(8), 2 * PAGE_SIZE, RW, PRIVATE, f, 0)).isZero();
        store(mm, 0, 55);
        store(mm, 1, 56);
        store(mm, 9, 57);
        madvise(0, 2, Madvise.REMOVE);             // truncate_pagecache_range(): no even_cows
        assertThat(load(mm, 0)).isZero();
        assertThat(load(mm, 9)).as("the private copy").isEqualTo(57);
        assertThat(load(mm, 8)).as("the hole, read again").isZero();
    }

    @Test
    void guardInstallAndRemoveZapAnonymousData() {
        anon(2);
        store(mm, 0, 61);
        store(mm, 1, 62);
        madvise(0, 1, Madvise.GUARD_INSTALL);
        assertThat(Memory.loadValue(mm, page(0)).fault()).isEqualTo(Memory.FaultResult.SIGSEGV);
        madvise(0, 1, Madvise.GUARD_REMOVE);
        assertThat(load(mm, 0)).isZero();
        assertThat(load(mm, 1)).isEqualTo(62);
    }

    @Test
    void mremapMovesTheValuesWithTheEntries() {
        anon(2);
        store(mm, 0, 71);
        store(mm, 1, 72);
        long to = page(20);
        assertThat(Mremap.doMremap(mm, page(0), 2 * PAGE_SIZE, 2 * PAGE_SIZE,
                Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED, to)).isEqualTo(to);
        assertThat(load(mm, 20)).isEqualTo(71);
        assertThat(load(mm, 21)).isEqualTo(72);
    }

    @Test
    void aCollapseCopiesEveryBasePage() {
        Mm m = new Mm(Semantics.newest(HostProfile.parse("zero_page=off,thp=madvise")));
        assertThat(Mmap.doMmap(m, BASE, PMD_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(Memory.storeValue(m, page(0), 81)).isEqualTo(Memory.FaultResult.OK);
        assertThat(Memory.storeValue(m, page(300), 82)).isEqualTo(Memory.FaultResult.OK);
        assertThat(MadviseOps.doMadvise(m, BASE, PMD_SIZE, Madvise.COLLAPSE)).isZero(); // __collapse_huge_page_copy()
        assertThat(m.pageTables().pmdLeaf(BASE)).isNotNull();
        assertThat(load(m, 0)).isEqualTo(81);
        assertThat(load(m, 300)).isEqualTo(82);
        assertThat(load(m, 1)).isZero();
    }

    @Test
    void aHugetlbCopyOnWriteCopiesEveryBasePage() {
        mm.frames().hugetlb().setNrHugePages(4);
        int flags = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_HUGETLB | MapFlag.MAP_FIXED_NOREPLACE;
        assertThat(Mmap.doMmap(mm, BASE, Hugetlb.HPAGE_SIZE, RW, flags, null, 0)).isZero();
        store(mm, 3, 91);
        Mm child = Fork.dupMmap(mm);
        store(child, 5, 92);                       // hugetlb_wp() -> copy_user_large_folio()
        assertThat(load(child, 3)).isEqualTo(91);
        assertThat(load(child, 5)).isEqualTo(92);
        assertThat(load(mm, 5)).isZero();
    }

    @Test
    void whatTheKernelWroteIsUnknownWhereItReachesTheFirst8Bytes() {
        anon(2);
        assertThat(Memory.copyToUserPage(mm, page(0) + 16)).isEqualTo(Memory.FaultResult.OK);
        assertThat(load(mm, 0)).as("copy_to_user() past the value").isZero();
        assertThat(Memory.copyToUserPage(mm, page(1))).isEqualTo(Memory.FaultResult.OK);
        assertThat(load(mm, 1)).isNegative();
        assertThat(Memory.handleMmFault(mm, page(1), true)).isEqualTo(Memory.FaultResult.OK);
        assertThat(load(mm, 1)).as("a plain write leaves the rest unknown").isNegative();
    }
}
