package dev.mmsim.mm;

import static dev.mmsim.core.VmFlag.*;
import static dev.mmsim.mm.VmaTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmsim.core.VmFlag;

import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Mirror of the kernel's userland VMA tests, tools/testing/vma/tests/vma.c: copy_vma() against
 * {@link VmaMerge#copyVma}, and the vma_flags_t tests against the model's flag word.
 *
 * <p>The model keeps a VMA's flags in one {@code long} (the legacy vm_flags_t word) with
 * {@link VmFlag} masks, so NUM_VMA_FLAG_BITS is 64 here: the C {@code #if NUM_VMA_FLAG_BITS > 64}
 * parts are compiled out as on a 64-bit-flags build, and the flags tests check the model's idioms
 * for the vma_flags_*() helpers: mk_vma_flags() = {@link VmFlag#of}, vma_flags_test() =
 * {@link Vma#has}, test_any = {@code (f & m) != 0}, test_all = {@code (f & m) == m},
 * clear = {@code f & ~m}, diff_pair = {@code a ^ b} (as is_mergeable_vma() uses it), and =
 * {@code a & b} (as the sticky-flag propagation uses it). struct vm_area_desc (mmap_prepare) is
 * not modelled.
 */
class VmaMirrorTest {
    static final int NUM_VMA_FLAG_BITS = Long.SIZE;

    final Mm mm = newMm();

    @Test
    @DisplayName("test_copy_vma")
    void copyVma() {
        // need_locks (need_rmap_locks) is not modelled.

        // Move backwards and do not merge.
        /*
         * 0123456
         * ** VV
         */
        Vma vma = allocAndLinkVma(mm, 0x3000, 0x5000, 3, VMA_FLAGS);
        Vma vmaNew = VmaMerge.copyVma(mm, vma, 0, 0x2000, 0);
        validateMmMerged(mm);
        assertThat(vmaNew).isNotSameAs(vma);
        assertThat(vmaNew.start()).isEqualTo(0);
        assertThat(vmaNew.end()).isEqualTo(0x2000);
        assertThat(vmaNew.pgoff()).isEqualTo(0);
        assertThat(mm.vmaLookup(0)).isSameAs(vmaNew); // vma_assert_attached()

        cleanupMm(mm);

        // Move a VMA into position next to another and merge the two.
        /*
         * 012345678
         * VV  **NN
         */
        vma = allocAndLinkVma(mm, 0, 0x2000, 0, VMA_FLAGS);
        Vma vmaNext = allocAndLinkVma(mm, 0x6000, 0x8000, 6, VMA_FLAGS);
        vmaNew = VmaMerge.copyVma(mm, vma, 0x4000, 0x2000, 4);
        validateMmMerged(mm);
        assertThat(mm.vmaLookup(0x4000)).isSameAs(vmaNew); // vma_assert_attached()

        assertThat(vmaNew).isSameAs(vmaNext);
        assertThat(vmaNext.start()).isEqualTo(0x4000);
        assertThat(vmaNext.end()).isEqualTo(0x8000);
        assertThat(vmaNext.pgoff()).isEqualTo(4);

        cleanupMm(mm);
    }

    /** The VMA_*_BIT numbers of include/linux/mm.h (64-bit) for every flag the model has. */
    static final Map<VmFlag, Integer> KERNEL_BITS = Map.ofEntries(
            Map.entry(VM_READ, 0), Map.entry(VM_WRITE, 1), Map.entry(VM_EXEC, 2), Map.entry(VM_SHARED, 3),
            Map.entry(VM_MAYREAD, 4), Map.entry(VM_MAYWRITE, 5), Map.entry(VM_MAYEXEC, 6),
            Map.entry(VM_MAYSHARE, 7), Map.entry(VM_GROWSDOWN, 8), Map.entry(VM_UFFD_MISSING, 9),
            Map.entry(VM_PFNMAP, 10), Map.entry(VM_MAYBE_GUARD, 11), Map.entry(VM_UFFD_WP, 12),
            Map.entry(VM_LOCKED, 13), Map.entry(VM_IO, 14), Map.entry(VM_SEQ_READ, 15),
            Map.entry(VM_RAND_READ, 16), Map.entry(VM_DONTCOPY, 17), Map.entry(VM_DONTEXPAND, 18),
            Map.entry(VM_LOCKONFAULT, 19), Map.entry(VM_ACCOUNT, 20), Map.entry(VM_NORESERVE, 21),
            Map.entry(VM_HUGETLB, 22), Map.entry(VM_SYNC, 23), Map.entry(VM_ARCH_1, 24),
            Map.entry(VM_WIPEONFORK, 25), Map.entry(VM_DONTDUMP, 26), Map.entry(VM_SOFTDIRTY, 27),
            Map.entry(VM_MIXEDMAP, 28), Map.entry(VM_HUGEPAGE, 29), Map.entry(VM_NOHUGEPAGE, 30),
            Map.entry(VM_MERGEABLE, 31), Map.entry(VM_DROPPABLE, 40), Map.entry(VM_UFFD_MINOR, 41),
            Map.entry(VM_SEALED, 42));

    @Test
    @DisplayName("test_vma_flags_unchanged")
    void vmaFlagsUnchanged() {
        // The model's flag word is the legacy vm_flags_t: each VmFlag's mask must be the legacy
        // VM_* value, i.e. 1 << VMA_*_BIT with the kernel's bit number.
        for (VmFlag f : VmFlag.values()) {
            assertThat(KERNEL_BITS).as("kernel bit for %s", f).containsKey(f);
            assertThat(f.bit).as("%s bit", f).isEqualTo(KERNEL_BITS.get(f));
            assertThat(f.mask()).as("%s mask", f).isEqualTo(1L << KERNEL_BITS.get(f));
        }

        long legacyFlags = 0;
        long flags = 0;
        Vma vma = allocVma(0, 0x1000, 0, 0);
        for (int bit = 0; bit < Long.SIZE; bit++) {
            long mask = 1L << bit;
            legacyFlags |= 1L << bit;
            // Individual flags, and via mask.
            flags |= 1L << bit;
            assertThat(flags).isEqualTo(legacyFlags);
            flags |= mask;
            assertThat(flags).isEqualTo(legacyFlags);
            // Same for VMA.
            vma.vmFlagsSet(mask);
            assertThat(vma.flags()).isEqualTo(legacyFlags);
            // Same for VMA descriptor: struct vm_area_desc not modelled.
        }
    }

    @Test
    @DisplayName("test_vma_flags_cleared")
    void vmaFlagsCleared() {
        // Set all bits high, then vma_flags_clear_all(), which in the model is assigning VM_NONE.
        long flags = -1L;
        assertThat(flags).isNotZero();
        flags = VM_NONE;
        assertThat(flags).isZero();
        assertThat(allocVma(0, 0x1000, 0, VM_NONE).flags()).isZero();
    }

    @Test
    @DisplayName("test_vma_flags_word")
    void vmaFlagsWord() {
        // #if NUM_VMA_FLAG_BITS > 64: flags beyond one word are not modelled.
        assumeTrue(NUM_VMA_FLAG_BITS > 64, "NUM_VMA_FLAG_BITS is 64 in the model");
    }

    @Test
    @DisplayName("test_vma_flags_test")
    void vmaFlagsTest() {
        long flags = VmFlag.of(VM_READ, VM_WRITE, VM_EXEC);
        Vma vma = allocVma(0, 0x1000, 0, flags);

        for (VmFlag f : new VmFlag[] {VM_READ, VM_WRITE, VM_EXEC}) {
            assertThat((flags & f.mask()) != 0).as("%s", f).isTrue();
            assertThat(vma.has(f)).as("%s", f).isTrue();
        }
        assertThat((flags & VM_MAYWRITE.mask()) != 0).isFalse();
        assertThat(vma.has(VM_MAYWRITE)).isFalse();
    }

    static boolean testAny(long flags, VmFlag... f) {
        return (flags & VmFlag.of(f)) != 0;
    }

    static boolean testAll(long flags, VmFlag... f) {
        long m = VmFlag.of(f);
        return (flags & m) == m;
    }

    @Test
    @DisplayName("test_vma_flags_test_any")
    void vmaFlagsTestAny() {
        long flags = VmFlag.of(VM_READ, VM_WRITE, VM_EXEC);

        // Some flags present, some not: ANY passes, ALL does not.
        assertThat(testAny(flags, VM_READ, VM_MAYREAD, VM_SEQ_READ)).isTrue();
        assertThat(testAll(flags, VM_READ, VM_MAYREAD, VM_SEQ_READ)).isFalse();
        // But ALL passes for flags present, and subsets.
        assertThat(testAll(flags, VM_READ, VM_WRITE, VM_EXEC)).isTrue();
        assertThat(testAll(flags, VM_READ, VM_WRITE)).isTrue();
        assertThat(testAll(flags, VM_READ)).isTrue();
        // _mask variants.
        assertThat((flags & flags) != 0).isTrue();
        assertThat((flags & flags) == flags).isTrue();

        // Single bits.
        assertThat(testAny(flags, VM_READ)).isTrue();
        assertThat(testAny(flags, VM_WRITE)).isTrue();
        assertThat(testAny(flags, VM_EXEC)).isTrue();
        // Two bits, in either order.
        assertThat(testAny(flags, VM_READ, VM_WRITE)).isTrue();
        assertThat(testAny(flags, VM_READ, VM_EXEC)).isTrue();
        assertThat(testAny(flags, VM_WRITE, VM_EXEC)).isTrue();
        assertThat(testAny(flags, VM_WRITE, VM_READ)).isTrue();
        assertThat(testAny(flags, VM_EXEC, VM_READ)).isTrue();
        assertThat(testAny(flags, VM_EXEC, VM_WRITE)).isTrue();
        // Three bits.
        assertThat(testAny(flags, VM_READ, VM_WRITE, VM_EXEC)).isTrue();
        // Bits 64 and 65: NUM_VMA_FLAG_BITS is 64 in the model.
    }

    @Test
    @DisplayName("test_vma_flags_clear")
    void vmaFlagsClear() {
        long flags = VmFlag.of(VM_READ, VM_WRITE, VM_EXEC);
        Vma vma = allocVma(0, 0x1000, 0, flags);

        // Cursory check of the _mask() variant.
        long mask = VmFlag.of(VM_EXEC);
        flags &= ~mask;
        vma.vmFlagsClear(mask);
        assertThat(testAny(flags, VM_EXEC)).isFalse();
        assertThat(vma.has(VM_EXEC)).isFalse();
        flags |= mask;
        vma.vmFlagsSet(mask);

        // Clear the flags, assert the clear worked, then set them back.
        VmFlag[][] cases = {
            {VM_READ}, {VM_WRITE}, {VM_EXEC},
            {VM_READ, VM_WRITE}, {VM_READ, VM_EXEC}, {VM_WRITE, VM_READ}, {VM_WRITE, VM_EXEC},
            {VM_EXEC, VM_READ}, {VM_EXEC, VM_WRITE},
        };
        for (VmFlag[] c : cases) {
            long m = VmFlag.of(c);
            flags &= ~m;
            vma.vmFlagsClear(m);
            assertThat(testAny(flags, c)).isFalse();
            assertThat(testAny(vma.flags(), c)).isFalse();
            flags |= m;
            vma.vmFlagsSet(m);
        }
        assertThat(flags).isEqualTo(VmFlag.of(VM_READ, VM_WRITE, VM_EXEC));
        // struct vm_area_desc and bits 64/65: not modelled.
    }

    @Test
    @DisplayName("test_vma_flags_empty")
    void vmaFlagsEmpty() {
        long flags = VmFlag.of(VM_READ, VM_WRITE, VM_EXEC);
        assertThat(flags).isNotZero();
        flags &= ~VmFlag.of(VM_READ, VM_WRITE, VM_EXEC);
        // Without bits 64/65 the word is now empty.
        assertThat(flags).isZero();
    }

    @Test
    @DisplayName("test_vma_flags_diff")
    void vmaFlagsDiff() {
        long flags1 = VmFlag.of(VM_READ, VM_WRITE, VM_EXEC);
        long flags2 = VmFlag.of(VM_READ, VM_WRITE, VM_EXEC, VM_MAYWRITE, VM_MAYEXEC);

        // vma_flags_diff_pair() is the XOR is_mergeable_vma() takes.
        assertThat(flags1 ^ flags2).isEqualTo(VmFlag.of(VM_MAYWRITE, VM_MAYEXEC));
        // Should be the same even if re-ordered.
        assertThat(flags2 ^ flags1).isEqualTo(VmFlag.of(VM_MAYWRITE, VM_MAYEXEC));
        // Should be no difference when applied against themselves.
        assertThat(flags1 ^ flags1).isZero();
        assertThat(flags2 ^ flags2).isZero();
        // One set of flags against an empty one should equal the original.
        assertThat(flags1 ^ VM_NONE).isEqualTo(flags1);
        // A subset should work too.
        assertThat(flags1 ^ VmFlag.of(VM_READ, VM_WRITE)).isEqualTo(VmFlag.of(VM_EXEC));

        // And as the model uses it: a difference in sticky flags alone does not block a merge.
        long diff = (flags1 ^ (flags1 | VmaMerge.stickyFlags(mm))) & ~VmaMerge.stickyFlags(mm);
        assertThat(diff).isZero();
    }

    @Test
    @DisplayName("test_vma_flags_and")
    void vmaFlagsAnd() {
        long flags1 = VmFlag.of(VM_READ, VM_WRITE, VM_EXEC);
        long flags2 = VmFlag.of(VM_READ, VM_WRITE, VM_EXEC, VM_MAYWRITE, VM_MAYEXEC);
        long flags3 = VmFlag.of(VM_IO, VM_MAYBE_GUARD);

        assertThat(flags1 & flags2).isEqualTo(VmFlag.of(VM_READ, VM_WRITE, VM_EXEC));
        assertThat(flags1 & flags1).isEqualTo(flags1);
        assertThat(flags2 & flags2).isEqualTo(flags2);
        assertThat(flags1 & flags3).isZero();
        assertThat(flags2 & flags3).isZero();

        assertThat(flags1 & VmFlag.of(VM_READ)).isEqualTo(VmFlag.of(VM_READ));
        assertThat(flags1 & VmFlag.of(VM_READ, VM_WRITE)).isEqualTo(VmFlag.of(VM_READ, VM_WRITE));
        assertThat(flags1 & VmFlag.of(VM_READ, VM_WRITE, VM_EXEC)).isEqualTo(flags1);

        // And against some missing values.
        assertThat(flags1 & VmFlag.of(VM_READ, VM_WRITE, VM_EXEC, VM_IO)).isEqualTo(flags1);
        assertThat(flags1 & VmFlag.of(VM_READ, VM_WRITE, VM_EXEC, VM_IO, VM_RAND_READ)).isEqualTo(flags1);
        // Bits 64..69: NUM_VMA_FLAG_BITS is 64 in the model.
    }
}
