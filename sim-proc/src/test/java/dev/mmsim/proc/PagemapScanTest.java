package dev.mmsim.proc;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.core.PageCategory.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.mm.MadviseOps;
import dev.mmsim.mm.Memory;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.Mmap;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** do_pagemap_scan(): argument errors, categories, limits and the bounce buffer. */
class PagemapScanTest {
    static final long BASE = 0x100000000000L;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));

    long page(long n) {
        return BASE + n * PAGE_SIZE;
    }

    ScanResult scan(PmScanArg arg) {
        return PagemapScan.doPagemapScan(mm, arg, null);
    }

    /** do_pagemap_cmd() knows one request; before 6.7 (semantic PAGEMAP_SCAN off) there is no ioctl. */
    @Test
    void pagemapIoctlDispatchesPagemapScanOnlyAndIsEnottyBeforeSixSeven() {
        assertThat(PagemapScan.pagemapIoctl(mm, dev.mmsim.core.ScanFlag.PAGEMAP_SCAN)).isZero();
        assertThat(PagemapScan.pagemapIoctl(mm, 0x1234)).isEqualTo(-22);
        Mm old = new Mm(new Semantics(dev.mmsim.core.KernelProfile.linux(dev.mmsim.core.KernelProfile.OLDEST_MINOR),
                HostProfile.UPSTREAM));
        old.semantics().set(dev.mmsim.core.Semantic.PAGEMAP_SCAN, false);
        assertThat(PagemapScan.pagemapIoctl(old, dev.mmsim.core.ScanFlag.PAGEMAP_SCAN)).isEqualTo(-25);
        assertThat(PagemapScan.pagemapIoctl(old, 0x1234)).isEqualTo(-25);
    }

    @Test
    void argumentErrors() {
        PmScanArg ok = PmScanArg.of(page(0), page(4), 8);
        assertThat(scan(new PmScanArg(95, 0, page(0), page(4), 0, 1, 8, 0, 0, 0, 0, 0)).ret()).isEqualTo(-22);
        assertThat(scan(new PmScanArg(96, 4, page(0), page(4), 0, 1, 8, 0, 0, 0, 0, 0)).ret()).isEqualTo(-22);
        assertThat(scan(ok.withMasks(0, 1L << 9, 0, 0)).ret()).isEqualTo(-22);
        assertThat(scan(new PmScanArg(96, 0, page(0) + 1, page(4), 0, 1, 8, 0, 0, 0, 0, 0)).ret()).isEqualTo(-22);
        assertThat(scan(new PmScanArg(96, 0, page(0), page(4), 0, 0, 8, 0, 0, 0, 0, 0)).ret()).isEqualTo(-22);
        ScanResult backwards = scan(new PmScanArg(96, 0, page(4), page(0), 0, 1, 8, 0, 0, 0, 0, 0));
        assertThat(backwards.ret()).isEqualTo(-14);
        assertThat(backwards.walkEnd()).isZero();
    }

    @Test
    void categoriesOfPresentNoneAndGuardEntries() {
        Mmap.doMmap(mm, page(0), 10 * PAGE_SIZE, Prot.PROT_READ | Prot.PROT_WRITE, ANON, null, 0);
        Memory.handleMmFault(mm, page(0), true);
        MadviseOps.doMadvise(mm, page(4), 2 * PAGE_SIZE, Madvise.GUARD_INSTALL);
        ScanResult r = scan(PmScanArg.of(page(0), page(10), 16));
        long written = PAGE_IS_WRITTEN.mask();
        assertThat(r.regions()).containsExactly(
                new PageRegion(page(0), page(1), written | PAGE_IS_PRESENT.mask()),
                new PageRegion(page(1), page(4), written),
                new PageRegion(page(4), page(6), written | PAGE_IS_SWAPPED.mask() | PAGE_IS_GUARD.mask()),
                new PageRegion(page(6), page(10), written));
        assertThat(r.walkEnd()).isEqualTo(page(10));
    }

    @Test
    void maxPagesTruncatesAndSetsWalkEnd() {
        Mmap.doMmap(mm, page(0), 10 * PAGE_SIZE, Prot.PROT_READ | Prot.PROT_WRITE, ANON, null, 0);
        for (int i = 0; i < 10; i++) Memory.handleMmFault(mm, page(i), true);
        PmScanArg arg = new PmScanArg(96, 0, page(0), page(10), 0, 1, 16, 3, 0, 0, 0, PM_SCAN_CATEGORIES);
        ScanResult r = scan(arg);
        assertThat(r.ret()).isEqualTo(1);
        assertThat(r.regions()).containsExactly(new PageRegion(page(0), page(3),
                PAGE_IS_PRESENT.mask() | PAGE_IS_WRITTEN.mask()));
        assertThat(r.walkEnd()).isEqualTo(page(3));
    }

    @Test
    void resumingAtWalkEndWithASmallVectorEqualsOneBigScan() {
        long pages = 1200;
        Mmap.doMmap(mm, page(0), pages * PAGE_SIZE, Prot.PROT_READ | Prot.PROT_WRITE, ANON, null, 0);
        for (long i = 0; i < pages; i += 2) Memory.handleMmFault(mm, page(i), true);
        ScanResult big = scan(PmScanArg.of(page(0), page(pages), 2000));
        assertThat(big.ret()).isEqualTo(pages);
        List<PageRegion> pieces = new ArrayList<>();
        long start = page(0);
        while (start < page(pages)) {
            ScanResult r = scan(PmScanArg.of(start, page(pages), 7));
            pieces.addAll(r.regions());
            start = r.walkEnd();
        }
        assertThat(pieces).isEqualTo(big.regions());
    }

    /**
     * The kernel's quirk, measured on 6.18: each time the 512-entry bounce buffer fills, walk_end is
     * set to where the walk stopped; the last walk ends normally and leaves it there, so a scan that
     * covered the whole range reports the last flush point.
     */
    @Test
    void aFullBounceBufferIsFlushedAndWalkEndKeepsTheLastFlushPoint() {
        long pages = 1100;
        Mmap.doMmap(mm, page(0), pages * PAGE_SIZE, Prot.PROT_READ | Prot.PROT_WRITE, ANON, null, 0);
        for (long i = 0; i < pages; i += 2) Memory.handleMmFault(mm, page(i), true);
        ScanResult r = scan(PmScanArg.of(page(0), page(pages), 4096));
        assertThat(r.ret()).isEqualTo(pages);
        assertThat(r.regions()).hasSize((int) pages);
        assertThat(r.walkEnd()).isEqualTo(page(1024));
    }
}
