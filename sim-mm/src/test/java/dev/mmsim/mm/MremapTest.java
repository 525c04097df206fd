package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmsim.core.Errno;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.KernelProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.core.VmFlag;

import org.junit.jupiter.api.Test;

/**
 * mremap_to() (mm/mremap.c) across releases: where it checks its arguments and whether the old
 * range must lie in one VMA, as semantic switches mremap_param_checks (6.15) and mremap_multi_vma
 * (6.17) select.
 */
class MremapTest {
    static final long BASE = 0x100000000000L;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int MOVE = Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_FIXED;
    static final long EFAULT = Errno.EFAULT.neg();
    static final long EINVAL = Errno.EINVAL.neg();
    static final long EPERM = Errno.EPERM.neg();

    static long page(long n) {
        return BASE + n * PAGE_SIZE;
    }

    static Mm mm(String profile) {
        return new Mm(new Semantics(KernelProfile.named(profile), HostProfile.UPSTREAM));
    }

    /** A: 2 pages rw at page 0, B: 2 pages read-only at page 2 (two VMAs), D: 4 pages at page 10. */
    static Mm twoVmasAndADestination(String profile) {
        Mm mm = mm(profile);
        assertThat(Mmap.doMmap(mm, page(0), 2 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(Mmap.doMmap(mm, page(2), 2 * PAGE_SIZE, Prot.PROT_READ, ANON, null, 0)).isZero();
        assertThat(Mmap.doMmap(mm, page(10), 4 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
        return mm;
    }

    static long[] starts(Mm mm) {
        return mm.vmas().stream().mapToLong(Vma::start).toArray();
    }

    /**
     * remap_move(): a VMA registered with a userfaultfd without UFFD_FEATURE_EVENT_REMAP
     * (vma_has_uffd_without_event_remap()) stops a multi-VMA move with EFAULT when the loop reaches
     * it; the VMA before it has moved, it has not, and its destination was not unmapped (6.18).
     */
    @Test
    void remapMoveStopsAtAVmaRegisteredWithoutEventRemap() {
        Mm mm = mm("linux-6.17");
        assertThat(Mmap.doMmap(mm, page(0), 3 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(Userfaultfd.register(mm, page(1), PAGE_SIZE, Userfaultfd.MODE_WP,
                UffdCtx.UFFD_FEATURE_WP_ASYNC | UffdCtx.UFFD_FEATURE_WP_UNPOPULATED)).isZero();
        assertThat(Mmap.doMmap(mm, page(6), PAGE_SIZE, Prot.PROT_READ, ANON, null, 0)).isZero();
        assertThat(Mremap.doMremap(mm, page(0), 3 * PAGE_SIZE, 3 * PAGE_SIZE, MOVE, page(5))).isEqualTo(EFAULT);
        assertThat(starts(mm)).containsExactly(page(1), page(2), page(5), page(6));
        // starting at the registered VMA: nothing moves
        assertThat(Mremap.doMremap(mm, page(1), 2 * PAGE_SIZE, 2 * PAGE_SIZE, MOVE, page(8))).isEqualTo(EFAULT);
        assertThat(starts(mm)).containsExactly(page(1), page(2), page(5), page(6));
    }

    @Test
    void mremapToOfSeveralVmasMovesThemSinceSixSeventeen() {
        Mm mm = twoVmasAndADestination("linux-6.17");
        assertThat(Mremap.doMremap(mm, page(0), 4 * PAGE_SIZE, 4 * PAGE_SIZE, MOVE, page(10))).isEqualTo(page(10));
        assertThat(starts(mm)).containsExactly(page(10), page(12));
    }

    /**
     * Before 6.17 mremap_to() unmaps the destination, then vma_to_resize() (resize_is_valid() by
     * 6.15) finds the old range leaving its VMA: EFAULT, the destination gone.
     */
    @Test
    void vmaToResizeRefusesARangeLeavingItsVmaAfterTheDestinationIsUnmapped() {
        for (String profile : new String[] {"linux-6.1", "linux-6.12", "linux-6.16"}) {
            Mm mm = twoVmasAndADestination(profile);
            assertThat(Mremap.doMremap(mm, page(0), 4 * PAGE_SIZE, 4 * PAGE_SIZE, MOVE, page(10))).as(profile)
                    .isEqualTo(EFAULT);
            assertThat(starts(mm)).as(profile).containsExactly(page(0), page(2));
        }
    }

    /**
     * A shrinking move: mremap_to() unmaps the tail past the new length before vma_to_resize(), so
     * before 6.17 it is the shrunk range that must lie in one VMA; since 6.17 a shrunk range still
     * spanning VMAs is EFAULT before anything is unmapped (remap_is_valid() in check_prep_vma()).
     */
    @Test
    void mremapToShrinksBeforeVmaToResizeBeforeSixSeventeen() {
        Mm fits = twoVmasAndADestination("linux-6.16");
        assertThat(Mremap.doMremap(fits, page(0), 4 * PAGE_SIZE, 2 * PAGE_SIZE, MOVE, page(10))).isEqualTo(page(10));
        assertThat(starts(fits)).containsExactly(page(10));

        Mm old = twoVmasAndADestination("linux-6.16");
        assertThat(Mremap.doMremap(old, page(1), 3 * PAGE_SIZE, 2 * PAGE_SIZE, MOVE, page(10))).isEqualTo(EFAULT);
        // the destination's new length (2 pages of D) and the tail page(3) were unmapped before the EFAULT
        assertThat(old.vmas()).extracting(Vma::start, Vma::end)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(page(0), page(2)),
                        org.assertj.core.groups.Tuple.tuple(page(2), page(3)),
                        org.assertj.core.groups.Tuple.tuple(page(12), page(14)));

        Mm now = twoVmasAndADestination("newest");
        assertThat(Mremap.doMremap(now, page(1), 3 * PAGE_SIZE, 2 * PAGE_SIZE, MOVE, page(10))).isEqualTo(EFAULT);
        assertThat(starts(now)).containsExactly(page(0), page(2), page(10));
    }

    /**
     * check_mremap_params() (6.15) checks the new address's alignment before the VMA lookup, and
     * (6.17) TASK_SIZE and the overlap of the ranges too; before, mremap_to() checked them after it,
     * so a missing VMA (EFAULT) or a sealed one (EPERM) came first.
     */
    @Test
    void mremapChecksItsArgumentsBeforeOrAfterTheVmaLookupByRelease() {
        long unaligned = page(20) + 16;
        for (String profile : new String[] {"linux-6.12", "linux-6.14"}) {
            Mm mm = mm(profile);
            assertThat(Mremap.doMremap(mm, page(0), PAGE_SIZE, PAGE_SIZE, MOVE, unaligned)).as(profile).isEqualTo(EFAULT);
        }
        for (String profile : new String[] {"linux-6.15", "linux-6.16", "newest"}) {
            Mm mm = mm(profile);
            assertThat(Mremap.doMremap(mm, page(0), PAGE_SIZE, PAGE_SIZE, MOVE, unaligned)).as(profile).isEqualTo(EINVAL);
        }
        // overlapping ranges, and a range past TASK_SIZE, with no VMA at the old address
        for (String profile : new String[] {"linux-6.12", "linux-6.16"}) {
            assertThat(Mremap.doMremap(mm(profile), page(0), 4 * PAGE_SIZE, 4 * PAGE_SIZE, MOVE, page(2)))
                    .as(profile).isEqualTo(EFAULT);
            assertThat(Mremap.doMremap(mm(profile), page(0), PAGE_SIZE, PAGE_SIZE, MOVE, TASK_SIZE))
                    .as(profile).isEqualTo(EFAULT);
        }
        assertThat(Mremap.doMremap(mm("linux-6.17"), page(0), 4 * PAGE_SIZE, 4 * PAGE_SIZE, MOVE, page(2)))
                .isEqualTo(EINVAL);
        assertThat(Mremap.doMremap(mm("linux-6.17"), page(0), PAGE_SIZE, PAGE_SIZE, MOVE, TASK_SIZE)).isEqualTo(EINVAL);

        // a sealed VMA: EPERM before the alignment check in 6.12, after it since 6.15
        Mm sealed = mm("linux-6.12");
        Mmap.doMmap(sealed, page(0), PAGE_SIZE, RW, ANON, null, 0);
        assertThat(Mseal.doMseal(sealed, page(0), PAGE_SIZE, 0)).isZero();
        assertThat(Mremap.doMremap(sealed, page(0), PAGE_SIZE, PAGE_SIZE, MOVE, unaligned)).isEqualTo(EPERM);
        Mm sealed16 = mm("linux-6.16");
        Mmap.doMmap(sealed16, page(0), PAGE_SIZE, RW, ANON, null, 0);
        assertThat(Mseal.doMseal(sealed16, page(0), PAGE_SIZE, 0)).isZero();
        assertThat(Mremap.doMremap(sealed16, page(0), PAGE_SIZE, PAGE_SIZE, MOVE, unaligned)).isEqualTo(EINVAL);
        assertThat(Mremap.doMremap(sealed16, page(0), PAGE_SIZE, PAGE_SIZE, MOVE, page(0))).isEqualTo(EPERM);
    }

    /**
     * MREMAP_DONTUNMAP without MREMAP_FIXED: before 6.17 mremap_to() runs vma_to_resize() before
     * get_unmapped_area() picks the address, so a range leaving its VMA is EFAULT; a kernel-chosen
     * address is not modelled.
     */
    @Test
    void dontunmapToAKernelChosenAddressChecksTheRangeFirstBeforeSixSeventeen() {
        int dontunmap = Mremap.MREMAP_MAYMOVE | Mremap.MREMAP_DONTUNMAP;
        Mm old = twoVmasAndADestination("linux-6.16");
        assertThat(Mremap.doMremap(old, page(0), 4 * PAGE_SIZE, 4 * PAGE_SIZE, dontunmap, 0)).isEqualTo(EFAULT);
        assertThatThrownBy(() -> Mremap.doMremap(old, page(0), 2 * PAGE_SIZE, 2 * PAGE_SIZE, dontunmap, 0))
                .isInstanceOf(NotModelledException.class);
        Mm now = twoVmasAndADestination("newest");
        assertThatThrownBy(() -> Mremap.doMremap(now, page(0), 4 * PAGE_SIZE, 4 * PAGE_SIZE, dontunmap, 0))
                .isInstanceOf(NotModelledException.class);
    }

    /** vma_to_resize(): MREMAP_DONTUNMAP of a VM_DONTEXPAND VMA is EINVAL before the range is checked. */
    @Test
    void vmaToResizeRefusesDontunmapOfADontexpandVmaBeforeCheckingTheRange() {
        Mm mm = twoVmasAndADestination("linux-6.16");
        mm.vmaLookup(page(0)).vmFlagsSet(VmFlag.VM_DONTEXPAND.mask());
        assertThat(Mremap.doMremap(mm, page(0), 4 * PAGE_SIZE, 4 * PAGE_SIZE, MOVE | Mremap.MREMAP_DONTUNMAP, page(10)))
                .isEqualTo(EINVAL);
        assertThat(Mremap.vmaToResize(mm.vmaLookup(page(0)), page(0), 4 * PAGE_SIZE, 4 * PAGE_SIZE, 0)).isEqualTo(EFAULT);
    }

    /** Growing in place: vma_to_resize() refuses a range leaving its VMA in every release. */
    @Test
    void growingARangeThatLeavesItsVmaIsEfaultInEveryRelease() {
        for (KernelProfile p : KernelProfile.all()) {
            Mm mm = twoVmasAndADestination(p.name());
            assertThat(Mremap.doMremap(mm, page(0), 4 * PAGE_SIZE, 6 * PAGE_SIZE, Mremap.MREMAP_MAYMOVE, 0))
                    .as(p.name()).isEqualTo(EFAULT);
        }
    }
}
