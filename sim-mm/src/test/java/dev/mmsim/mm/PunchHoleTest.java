package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import org.junit.jupiter.api.Test;

/**
 * MADV_REMOVE of a shared file mapping punches a hole (madvise_remove(), vfs_fallocate()): the
 * page-cache pages go from every mapping, but private copies made by a MAP_PRIVATE mapping of the
 * same file stay (truncate_pagecache_range() and shmem_fallocate() unmap without even_cows;
 * measured on 6.18 with a file on ext4).
 */
class PunchHoleTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));

    static long page(long n) {
        return BASE + n * PAGE_SIZE;
    }

    void privateCopiesSurvive(MappedFile file) {
        assertThat(Mmap.doMmap(mm, page(0), 8 * PAGE_SIZE, RW, MapFlag.MAP_SHARED | MapFlag.MAP_FIXED, file, 0)).isZero();
        assertThat(Mmap.doMmap(mm, page(16), 8 * PAGE_SIZE, RW, MapFlag.MAP_PRIVATE | MapFlag.MAP_FIXED, file, 0)).isZero();
        Memory.handleMmFault(mm, page(16), true);   // a private copy of page 0
        Memory.handleMmFault(mm, page(17), false);  // page 1 of the page cache, mapped
        long copy = PteBits.ptePfn(mm.pageTables().pte(page(16)));
        assertThat(mm.frames().isAnon(copy)).isTrue();

        assertThat(MadviseOps.doMadvise(mm, page(0), 2 * PAGE_SIZE, Madvise.REMOVE)).isZero();
        assertThat(PteBits.ptePfn(mm.pageTables().pte(page(16)))).isEqualTo(copy);
        assertThat(PteBits.pteP(mm.pageTables().pte(page(17)))).isFalse();
    }

    @Test
    void aRegularFileKeepsPrivateCopies() {
        privateCopiesSurvive(MappedFile.regular("f", 8 * PAGE_SIZE, mm.frames()));
    }

    @Test
    void aMemfdKeepsPrivateCopies() {
        privateCopiesSurvive(MappedFile.memfd("m", 8 * PAGE_SIZE));
    }
}
