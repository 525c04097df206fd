package dev.mmsim.proc;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.mm.Memory;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.Mmap;

import org.junit.jupiter.api.Test;

/** do_pagemap_scan() with the vector at a user address: access_ok() and copy_to_user(). */
class PagemapScanVecTest {
    static final long BASE = 0x100000000000L;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));

    long page(long n) {
        return BASE + n * PAGE_SIZE;
    }

    PmScanArg at(long vec, long vecLen) {
        PmScanArg a = PmScanArg.of(page(0), page(4), vecLen);
        return new PmScanArg(a.size(), 0, a.start(), a.end(), 0, vec, vecLen, 0, 0, 0, 0, a.returnMask());
    }

    void setUp() {
        Mmap.doMmap(mm, page(0), 4 * PAGE_SIZE, Prot.PROT_READ | Prot.PROT_WRITE, ANON, null, 0);
        Memory.handleMmFault(mm, page(0), true);
        Mmap.doMmap(mm, page(10), PAGE_SIZE, Prot.PROT_READ | Prot.PROT_WRITE, ANON, null, 0);
        Mmap.doMmap(mm, page(11), PAGE_SIZE, Prot.PROT_READ, ANON, null, 0);
    }

    @Test
    void aVectorPastTaskSizeFailsBeforeTheWalk() {
        setUp();
        ScanResult r = PagemapScan.doPagemapScan(mm, at(TASK_SIZE - PAGE_SIZE, 1024), null, mm);
        assertThat(r.ret()).isEqualTo(-14);
        assertThat(r.walkEnd()).isZero();
    }

    @Test
    void aReadOnlyVectorFailsAfterTheWalk() {
        setUp();
        ScanResult r = PagemapScan.doPagemapScan(mm, at(page(11), 8), null, mm);
        assertThat(r.ret()).isEqualTo(-14);
        assertThat(r.walkEnd()).isEqualTo(page(4));
    }

    @Test
    void aWritableVectorIsFaultedInAndARegionCrossingIntoReadOnlyMemoryFails() {
        setUp();
        ScanResult ok = PagemapScan.doPagemapScan(mm, at(page(11) - 24, 1), null, mm);
        assertThat(ok.ret()).isEqualTo(1);
        assertThat(Pagemap.entries(mm, page(10), 1).words()[0] & Pagemap.PM_PRESENT).isNotZero();
        ScanResult crossing = PagemapScan.doPagemapScan(mm, at(page(11) - 16, 1), null, mm);
        assertThat(crossing.ret()).isEqualTo(-14);
        // without a user address the vector is a buffer that is always writable
        assertThat(PagemapScan.doPagemapScan(mm, at(page(11), 8), null).ret()).isEqualTo(2);
    }
}
