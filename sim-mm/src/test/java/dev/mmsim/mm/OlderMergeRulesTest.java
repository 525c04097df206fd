package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.PAGE_SIZE;
import static dev.mmsim.mm.VmaTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.KernelProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.Semantics;
import dev.mmsim.core.VmFlag;
import dev.mmsim.mm.VmaMerge.State;
import dev.mmsim.mm.VmaMerge.VmaMergeStruct;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The VMA merge rules of releases before the hosts' kernel, one release switch at a time, in the
 * layouts of the kernel's userland VMA tests (tools/testing/vma) and of the merge selftests
 * (tools/testing/selftests/mm/merge.c) whose expectations changed with them.
 */
class OlderMergeRulesTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;

    final Mm mm = newMm();
    final VmaMergeStruct vmg = new VmaMergeStruct(mm);
    final AnonVma dummyAnonVma = new AnonVma();

    static long page(int n) {
        return BASE + n * PAGE_SIZE;
    }

    /** An mm under linux-6.N on an upstream host. */
    static Mm release(int minor) {
        return new Mm(new Semantics(KernelProfile.linux(minor), HostProfile.UPSTREAM));
    }

    // ---------------------------------------------------------------------------------------
    // anon_merge_unfaulted: is_mergeable_anon_vma() before "mm/vma: fix incorrectly disallowed
    // anonymous VMA merges" (6.16)
    // ---------------------------------------------------------------------------------------

    @Test
    @DisplayName("is_mergeable_anon_vma(): before 6.16 a faulted middle does not merge into an unfaulted prev")
    void faultedMiddleIntoUnfaultedPrev() {
        /*
         *    <-->
         * 0123456
         * PPPVVVV
         */
        Vma vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, VMA_FLAGS);
        Vma vma = allocAndLinkVma(mm, 0x3000, 0x7000, 3, VMA_FLAGS);
        vmaSetDummyAnonVma(vma, dummyAnonVma);
        vmgSetRangeAnonVma(vmg, 0x3000, 0x7000, 3, VMA_FLAGS, dummyAnonVma);
        vmg.prev = vmaPrev;
        vmg.middle = vma;

        mm.semantics().set(Semantic.ANON_MERGE_UNFAULTED, false);
        assertThat(VmaTestSupport.mergeExisting(vmg)).isNull();
        assertThat(vmg.state).isEqualTo(State.VMA_MERGE_NOMERGE);
        assertThat(mm.vmas()).containsExactly(vmaPrev, vma);
        assertThat(vmaPrev.anonVma()).isNull();
        assertThat(MmInvariants.unmergedNeighbours(mm)).as("a pair the old kernel leaves").isEmpty();

        // 6.16: prev takes the middle's anon_vma (dup_anon_vma()) and covers it
        mm.semantics().set(Semantic.ANON_MERGE_UNFAULTED, true);
        vmg.next = null;
        assertThat(VmaTestSupport.mergeExisting(vmg)).isSameAs(vmaPrev);
        validateMmMerged(mm);
        assertThat(vmaPrev.end()).isEqualTo(0x7000);
        assertThat(vmaPrev.anonVma()).isSameAs(dummyAnonVma);
    }

    @Test
    @DisplayName("is_mergeable_anon_vma(): before 6.16 a faulted middle does not merge into an unfaulted next")
    void faultedMiddleIntoUnfaultedNext() {
        /*
         *  <-->
         * 0123456
         * VVVVNNN
         */
        Vma vma = allocAndLinkVma(mm, 0, 0x4000, 0, VMA_FLAGS);
        Vma vmaNext = allocAndLinkVma(mm, 0x4000, 0x7000, 4, VMA_FLAGS);
        vmaSetDummyAnonVma(vma, dummyAnonVma);
        vmgSetRangeAnonVma(vmg, 0x1000, 0x4000, 1, VMA_FLAGS, dummyAnonVma);
        vmg.prev = vma;
        vmg.middle = vma;

        mm.semantics().set(Semantic.ANON_MERGE_UNFAULTED, false);
        assertThat(VmaTestSupport.mergeExisting(vmg)).isNull();
        assertThat(vmg.state).isEqualTo(State.VMA_MERGE_NOMERGE);
        assertThat(vmaNext.start()).isEqualTo(0x4000);
        assertThat(vmaNext.anonVma()).isNull();

        mm.semantics().set(Semantic.ANON_MERGE_UNFAULTED, true);
        vmg.next = null;
        assertThat(VmaTestSupport.mergeExisting(vmg)).isSameAs(vmaNext);
        validateMm(mm);
        assertThat(vmaNext.start()).isEqualTo(0x1000);
        assertThat(vmaNext.anonVma()).isSameAs(dummyAnonVma);
    }

    @Test
    @DisplayName("is_mergeable_anon_vma(): an unfaulted middle still merges into faulted neighbours before 6.16")
    void unfaultedMiddleMergesAsBefore() {
        /*
         *    <-->
         * 0123456789
         * PPPVVVVNNN
         */
        mm.semantics().set(Semantic.ANON_MERGE_UNFAULTED, false);
        Vma vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, VMA_FLAGS);
        Vma vma = allocAndLinkVma(mm, 0x3000, 0x7000, 3, VMA_FLAGS);
        Vma vmaNext = allocAndLinkVma(mm, 0x7000, 0xa000, 7, VMA_FLAGS);
        vmaSetDummyAnonVma(vmaNext, dummyAnonVma);
        vmgSetRangeAnonVma(vmg, 0x3000, 0x7000, 3, VMA_FLAGS, null);
        vmg.prev = vmaPrev;
        vmg.middle = vma;

        // both targets have a singular chain or none, the source no anon_vma: a three-way merge,
        // prev taking next's anon_vma
        assertThat(VmaTestSupport.mergeExisting(vmg)).isSameAs(vmaPrev);
        validateMmMerged(mm);
        assertThat(vmaPrev.end()).isEqualTo(0xa000);
        assertThat(vmaPrev.anonVma()).isSameAs(dummyAnonVma);
        cleanupMm(mm);

        // a target whose chain links its parent's anon_vma too refuses, before and since
        vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, VMA_FLAGS);
        vma = allocAndLinkVma(mm, 0x3000, 0x7000, 3, VMA_FLAGS);
        Fork.anonVmaFork(vmaPrev);
        vmgSetRangeAnonVma(vmg, 0x3000, 0x7000, 3, VMA_FLAGS, null);
        vmg.prev = vmaPrev;
        vmg.middle = vma;
        assertThat(VmaTestSupport.mergeExisting(vmg)).isNull();
        mm.semantics().set(Semantic.ANON_MERGE_UNFAULTED, true);
        vmg.next = null;
        assertThat(VmaTestSupport.mergeExisting(vmg)).isNull();
    }

    @Test
    @DisplayName("copy_vma() -> vma_merge_new_range(): before 6.16 a faulted VMA moved next to an unfaulted one stays apart")
    void copyVmaOfAFaultedVma() {
        Vma vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, VMA_FLAGS);
        Vma moving = allocVma(0x8000, 0xa000, 3, VMA_FLAGS);
        vmaSetDummyAnonVma(moving, dummyAnonVma);
        mm.semantics().set(Semantic.ANON_MERGE_UNFAULTED, false);
        Vma copy = VmaMerge.copyVma(mm, moving, 0x3000, 0x2000, 3);
        assertThat(copy).isNotSameAs(vmaPrev);
        assertThat(vmaPrev.end()).isEqualTo(0x3000);
        cleanupMm(mm);

        vmaPrev = allocAndLinkVma(mm, 0, 0x3000, 0, VMA_FLAGS);
        mm.semantics().set(Semantic.ANON_MERGE_UNFAULTED, true);
        assertThat(VmaMerge.copyVma(mm, moving, 0x3000, 0x2000, 3)).isSameAs(vmaPrev);
        assertThat(vmaPrev.end()).isEqualTo(0x5000);
    }

    @Test
    @DisplayName("merge.mprotect_unfaulted_left on linux-6.15 and linux-6.16 (vma_modify_flags())")
    void mprotectUnfaultedLeftByRelease() {
        for (int minor : new int[] {15, 16}) {
            Mm m = release(minor);
            // MAP_NORESERVE, as in the selftest: mprotect() would drop VM_ACCOUNT from the unfaulted half only
            assertThat(Mmap.doMmap(m, page(0), 10 * PAGE_SIZE, RW, ANON | MapFlag.MAP_NORESERVE, null, 0)).isZero();
            assertThat(Mprotect.doMprotect(m, page(0), 5 * PAGE_SIZE, Prot.PROT_READ)).isZero();
            assertThat(Memory.handleMmFault(m, page(5), true)).isEqualTo(Memory.FaultResult.OK);
            assertThat(Mprotect.doMprotect(m, page(5), 5 * PAGE_SIZE, Prot.PROT_READ)).isZero();
            assertThat(m.vmas()).as("linux-6.%d", minor).extracting(Vma::start)
                    .containsExactlyElementsOf(minor < 16 ? List.of(page(0), page(5)) : List.of(page(0)));
            assertThat(MmInvariants.violations(m)).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------
    // ksm_new_vma_merge: __mmap_region() before "mm: prevent KSM from breaking VMA merging for new
    // VMAs" (6.17)
    // ---------------------------------------------------------------------------------------

    @Test
    @DisplayName("__mmap_region(): before 6.17 a new mapping under PR_SET_MEMORY_MERGE does not merge (ksm_add_vma())")
    void newMappingUnderMemoryMerge() {
        for (int minor : new int[] {16, 17}) {
            Mm m = release(minor);
            assertThat(Mmap.doMmap(m, page(0), PAGE_SIZE, RW, ANON, null, 0)).isZero();
            assertThat(Ksm.prctlSetMemoryMerge(m, 1)).isZero();
            assertThat(Mmap.doMmap(m, page(1), PAGE_SIZE, RW, ANON, null, 0)).isZero();
            // 6.16: the range is not yet VM_MERGEABLE when vma_merge_new_range() compares flags;
            // ksm_add_vma() marks the new VMA afterwards. 6.17: ksm_vma_flags() marks it first.
            assertThat(m.vmas()).as("linux-6.%d", minor).extracting(Vma::start)
                    .containsExactlyElementsOf(minor < 17 ? List.of(page(0), page(1)) : List.of(page(0)));
            assertThat(m.vmas()).allMatch(v -> v.has(VmFlag.VM_MERGEABLE));
            assertThat(MmInvariants.violations(m)).isEmpty();
        }
    }

    @Test
    @DisplayName("ksm_add_vma(): before 6.17 a new mapping that merges keeps its neighbour's flags")
    void newMappingMergingWithAnUnmergeableNeighbour() {
        for (int minor : new int[] {16, 17}) {
            Mm m = release(minor);
            assertThat(Mmap.doMmap(m, page(0), PAGE_SIZE, RW, ANON, null, 0)).isZero();
            assertThat(Ksm.prctlSetMemoryMerge(m, 1)).isZero();
            assertThat(MadviseOps.doMadvise(m, page(0), PAGE_SIZE, Madvise.UNMERGEABLE)).isZero();
            assertThat(Mmap.doMmap(m, page(1), PAGE_SIZE, RW, ANON, null, 0)).isZero();
            // 6.16: the unmarked range merges into the unmergeable neighbour, and nothing marks it;
            // 6.17: the range is marked first and so stays apart, VM_MERGEABLE
            assertThat(m.vmas()).as("linux-6.%d", minor).extracting(Vma::start)
                    .containsExactlyElementsOf(minor < 17 ? List.of(page(0)) : List.of(page(0), page(1)));
            assertThat(m.vmaLookup(page(1)).has(VmFlag.VM_MERGEABLE)).isEqualTo(minor >= 17);
        }
    }

    // ---------------------------------------------------------------------------------------
    // sticky_flags off: mprotect_fixup() resets the merged VMA's flags (before 6.19)
    // ---------------------------------------------------------------------------------------

    @Test
    @DisplayName("mprotect_fixup(): before 6.19 a VMA merged by mprotect takes the modified range's flags, VM_SOFTDIRTY included")
    void mprotectMergeTakesTheModifiedRangesSoftDirty() {
        Mm old = new Mm(new Semantics(KernelProfile.linux(12), HostProfile.UPSTREAM.withSoftDirty(true)));
        int rwx = RW | Prot.PROT_EXEC;
        assertThat(Mmap.doMmap(old, page(1), PAGE_SIZE, RW, ANON, null, 0)).isZero();
        old.findVma(page(1)).vmFlagsClear(VmFlag.VM_SOFTDIRTY.mask());     // what clear_refs 4 leaves
        assertThat(Mmap.doMmap(old, page(2), PAGE_SIZE, rwx, ANON, null, 0)).isZero();
        assertThat(old.findVma(page(2)).has(VmFlag.VM_SOFTDIRTY)).isTrue();
        assertThat(Mprotect.doMprotect(old, page(1), PAGE_SIZE, rwx)).isZero();
        Vma merged = old.findVma(page(1));
        assertThat(merged.end()).isEqualTo(page(3));
        assertThat(merged.has(VmFlag.VM_SOFTDIRTY)).isFalse();
    }
}
