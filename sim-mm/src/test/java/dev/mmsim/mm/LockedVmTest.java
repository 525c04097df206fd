package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import org.junit.jupiter.api.Test;

/**
 * mm->locked_vm as the kernel keeps it (VmLck in /proc/pid/status): raised by mmap(MAP_LOCKED)
 * (__mmap_complete()), mlock_fixup() and mremap (expand_vma_in_place(), move_vma()), lowered by
 * munlock and by unmapping locked VMAs (vms_complete_munmap_vmas()); MREMAP_DONTUNMAP unlocks the
 * old VMA without lowering it (measured on 6.18: VmLck stays raised after everything is unmapped).
 */
class LockedVmTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));

    static long page(long n) {
        return BASE + n * PAGE_SIZE;
    }

    @Test
    void mlockCountsOnlyNewlyLockedPagesAndMunlockGivesThemBack() {
        assertThat(Mmap.doMmap(mm, page(0), 16 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(Mlock.doMlock(mm, page(0), 4 * PAGE_SIZE)).isZero();
        assertThat(mm.lockedVm()).isEqualTo(4);
        assertThat(Mlock.doMlock(mm, page(2), 4 * PAGE_SIZE)).isZero(); // two of them locked already
        assertThat(mm.lockedVm()).isEqualTo(6);
        assertThat(Mlock.doMunlock(mm, page(1), 2 * PAGE_SIZE)).isZero();
        assertThat(mm.lockedVm()).isEqualTo(4);
        assertThat(VmaMerge.doVmiMunmap(mm, page(0), 16 * PAGE_SIZE)).isZero();
        assertThat(mm.lockedVm()).isZero();
    }

    @Test
    void mapLockedCountsAndMapFixedOverItUncounts() {
        assertThat(Mmap.doMmap(mm, page(0), 8 * PAGE_SIZE, RW, ANON | MapFlag.MAP_LOCKED, null, 0)).isZero();
        assertThat(mm.lockedVm()).isEqualTo(8);
        int fixed = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED;
        assertThat(Mmap.doMmap(mm, page(2), 2 * PAGE_SIZE, RW, fixed, null, 0)).isZero();
        assertThat(mm.lockedVm()).isEqualTo(6);
    }

    @Test
    void aMoveCountsTheNewRangeAndDontunmapNeverUncountsTheOld() {
        assertThat(Mmap.doMmap(mm, page(0), 4 * PAGE_SIZE, RW, ANON | MapFlag.MAP_LOCKED, null, 0)).isZero();
        int move = Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED;
        assertThat(Mremap.doMremap(mm, page(0), 4 * PAGE_SIZE, 4 * PAGE_SIZE, move, page(100))).isEqualTo(page(100));
        assertThat(mm.lockedVm()).isEqualTo(4);
        assertThat(Mremap.doMremap(mm, page(100), 4 * PAGE_SIZE, 4 * PAGE_SIZE, move | Mremap.MREMAP_DONTUNMAP, page(200)))
                .isEqualTo(page(200));
        assertThat(mm.lockedVm()).isEqualTo(8);
        assertThat(mm.vmaLookup(page(100)).has(dev.mmsim.core.VmFlag.VM_LOCKED)).isFalse();
        assertThat(VmaMerge.doVmiMunmap(mm, page(0), 300 * PAGE_SIZE)).isZero();
        assertThat(mm.lockedVm()).isEqualTo(4);
    }

    /** Semantic mremap_dontunmap_locked off (measured on Debian's 6.12): a DONTUNMAP move counts nothing. */
    @Test
    void beforeSixFifteenADontunmapMoveLeavesLockedVmAlone() {
        mm = new Mm(new Semantics(dev.mmsim.core.KernelProfile.named("linux-6.12"), HostProfile.UPSTREAM));
        assertThat(Mmap.doMmap(mm, page(0), 4 * PAGE_SIZE, RW, ANON | MapFlag.MAP_LOCKED, null, 0)).isZero();
        int flags = Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED | Mremap.MREMAP_DONTUNMAP;
        assertThat(Mremap.doMremap(mm, page(0), 4 * PAGE_SIZE, 4 * PAGE_SIZE, flags, page(200))).isEqualTo(page(200));
        assertThat(mm.lockedVm()).isEqualTo(4);
    }

    @Test
    void growingInPlaceCountsTheNewPages() {
        assertThat(Mmap.doMmap(mm, page(0), 4 * PAGE_SIZE, RW, ANON | MapFlag.MAP_LOCKED, null, 0)).isZero();
        assertThat(Mremap.doMremap(mm, page(0), 4 * PAGE_SIZE, 6 * PAGE_SIZE, 0, 0)).isEqualTo(page(0));
        assertThat(mm.lockedVm()).isEqualTo(6);
    }
}
