package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.Errno;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * vm.max_map_count (65530 on the hosts): split_vma() refuses a split once mm->map_count reaches it,
 * vms_gather_munmap_vmas() refuses an unmap that would leave one VMA more, and do_mmap() refuses a
 * new mapping only once the count is past it (mm/vma.c, mm/mmap.c).
 */
class MaxMapCountTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
    static final int LIMIT = 8;

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));

    static long page(long n) {
        return BASE + n * PAGE_SIZE;
    }

    @BeforeEach
    void oneBigMappingAndALowLimit() {
        mm.maxMapCount(LIMIT);
        assertThat(Mmap.doMmap(mm, page(0), 64 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
    }

    /**
     * mprotect of pages 1, 3 and 5 (two VMAs more each: 7), then of the last page (one more): the
     * VMAs are [0] [1] [2] [3] [4] [5] [6..63) [63], LIMIT of them.
     */
    void atTheLimit() {
        for (int i = 1; i <= 5; i += 2)
            assertThat(Mprotect.doMprotect(mm, page(i), PAGE_SIZE, Prot.PROT_READ)).isZero();
        assertThat(Mprotect.doMprotect(mm, page(63), PAGE_SIZE, Prot.PROT_READ)).isZero();
        assertThat(mm.mapCount()).isEqualTo(LIMIT);
    }

    @Test
    void theDefaultIsTheHostsSysctl() {
        assertThat(new Mm(Semantics.newest(HostProfile.UPSTREAM)).maxMapCount()).isEqualTo(65530);
    }

    @Test
    void splitVmaRefusesAtTheLimit() {
        atTheLimit();
        // mprotect, madvise, mlock and mseal all split through split_vma(): ENOMEM, nothing changed
        assertThat(Mprotect.doMprotect(mm, page(40), PAGE_SIZE, Prot.PROT_READ)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(MadviseOps.doMadvise(mm, page(40), PAGE_SIZE, Madvise.DONTFORK)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(Mlock.doMlock(mm, page(40), PAGE_SIZE)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(Mseal.doMseal(mm, page(40), PAGE_SIZE, 0)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(mm.mapCount()).isEqualTo(LIMIT);
        // a change that merges instead of splitting still works: page 62 joins its neighbour 63
        assertThat(Mprotect.doMprotect(mm, page(62), PAGE_SIZE, Prot.PROT_READ)).isZero();
    }

    @Test
    void munmapRefusesOnlyAHoleInsideOneVma() {
        atTheLimit();
        // a hole inside the last VMA would leave one VMA more: ENOMEM, checked before anything
        assertThat(VmaMerge.doVmiMunmap(mm, page(40), PAGE_SIZE)).isEqualTo(Errno.ENOMEM.neg());
        // an unmap at a VMA's edge splits with __split_vma(), unchecked: the count stays
        assertThat(VmaMerge.doVmiMunmap(mm, page(6), PAGE_SIZE)).isZero();
        assertThat(mm.mapCount()).isEqualTo(LIMIT);
    }

    @Test
    void doMmapRefusesOnlyPastTheLimit() {
        atTheLimit();
        // map_count == max_map_count is not "too many" for do_mmap(): this one makes LIMIT + 1
        assertThat(Mmap.doMmap(mm, page(100), PAGE_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(mm.mapCount()).isEqualTo(LIMIT + 1);
        assertThat(Mmap.doMmap(mm, page(102), PAGE_SIZE, RW, ANON, null, 0)).isEqualTo(Errno.ENOMEM.neg());
    }
}
