package dev.mmsim.mm;

import static dev.mmsim.core.VmFlag.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Semantics;
import dev.mmsim.core.VmFlag;
import dev.mmsim.mm.VmaMerge.VmaMergeStruct;

import java.util.List;

/**
 * Test-only helpers for the mirrors of the kernel's userland VMA tests (tools/testing/vma:
 * shared.c, shared.h and the helpers at the top of tests/merge.c), named after their C twins.
 * The maple tree and its iterator are not modelled: where a C helper positions a vma_iterator,
 * these look the neighbours up in the model's VMA tree instead.
 */
final class VmaTestSupport {
    private VmaTestSupport() {}

    /** mk_vma_flags(VMA_READ_BIT, VMA_WRITE_BIT, VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT): every test's flags. */
    static final long VMA_FLAGS = VmFlag.of(VM_READ, VM_WRITE, VM_MAYREAD, VM_MAYWRITE);

    /** A fresh mm under the newest semantics (sticky flags on), like the C tests' {@code struct mm_struct mm = {}}. */
    static Mm newMm() {
        return new Mm(Semantics.newest(HostProfile.UPSTREAM));
    }

    /** VMA_STICKY_FLAGS as the model applies them (VM_MAYBE_GUARD; VM_SOFTDIRTY only with soft-dirty configured). */
    static long stickyFlags(Mm mm) {
        return VmaMerge.stickyFlags(mm);
    }

    /** alloc_vma(): an anonymous VMA, not yet in the tree. */
    static Vma allocVma(long start, long end, long pgoff, long flags) {
        return new Vma(start, end, flags, pgoff, null);
    }

    /** attach_vma() (vma_link()). */
    static void attachVma(Mm mm, Vma vma) {
        assertThat(mm.vmaLookup(vma.start())).as("attach over %s", vma).isNull();
        mm.insert(vma);
    }

    /** alloc_and_link_vma(). */
    static Vma allocAndLinkVma(Mm mm, long start, long end, long pgoff, long flags) {
        Vma vma = allocVma(start, end, pgoff, flags);
        attachVma(mm, vma);
        return vma;
    }

    /**
     * vma_set_dummy_anon_vma() / __vma_set_dummy_anon_vma(): the VMA gets anonVma through a single
     * anon_vma_chain entry, so it is not a fork child (vma_is_fork_child() is false).
     */
    static void vmaSetDummyAnonVma(Vma vma, AnonVma anonVma) {
        vma.setAnonVma(anonVma, false);
    }

    /** cleanup_mm(): removes every VMA and returns how many there were. */
    static int cleanupMm(Mm mm) {
        List<Vma> all = mm.vmas();
        for (Vma v : all) mm.remove(v);
        return all.size();
    }

    /** vmg_set_range(): resets the range and the VMAs of the merge state (not its anon_vma). */
    static void vmgSetRange(VmaMergeStruct vmg, long start, long end, long pgoff, long flags) {
        vmg.prev = null;
        vmg.middle = null;
        vmg.next = null;
        vmg.target = null;
        vmg.start = start;
        vmg.end = end;
        vmg.pgoff = pgoff;
        vmg.flags = flags;
    }

    /** vmg_set_range_anon_vma(). */
    static void vmgSetRangeAnonVma(VmaMergeStruct vmg, long start, long end, long pgoff, long flags, AnonVma anonVma) {
        vmgSetRange(vmg, start, end, pgoff, flags);
        vmg.anonVma = anonVma;
    }

    /**
     * merge_new(): fills in next (vma_next() from vmg.start, i.e. find_vma()) and prev (the VMA
     * before it), then vma_merge_new_range().
     */
    static Vma mergeNew(VmaMergeStruct vmg) {
        Mm mm = vmg.mm;
        vmg.next = mm.findVma(vmg.start);
        vmg.prev = vmg.next != null ? mm.prev(vmg.next) : mm.last();
        return VmaMerge.vmaMergeNewRange(vmg);
    }

    /** merge_existing(): vma_merge_existing_range(); the caller set middle and prev, never next. */
    static Vma mergeExisting(VmaMergeStruct vmg) {
        assertThat(vmg.next).as("VM_WARN_ON_VMG(vmg->next)").isNull();
        return VmaMerge.vmaMergeExistingRange(vmg);
    }

    /**
     * try_merge_new_vma(): sets the range and tries a new-range merge; without a merge, allocates
     * and links a VMA for the range. merged[0] tells which happened.
     */
    static Vma tryMergeNewVma(Mm mm, VmaMergeStruct vmg, long start, long end, long pgoff, long flags,
            boolean[] merged) {
        vmgSetRange(vmg, start, end, pgoff, flags);
        Vma vma = mergeNew(vmg);
        if (vma != null) {
            merged[0] = true;
            assertThat(vmg.state).isEqualTo(VmaMerge.State.VMA_MERGE_SUCCESS);
            return vma;
        }
        merged[0] = false;
        assertThat(vmg.state).isEqualTo(VmaMerge.State.VMA_MERGE_NOMERGE);
        return allocAndLinkVma(mm, start, end, pgoff, flags);
    }

    // ---------------------------------------------------------------------------------------
    // validate_mm() in spirit: run after every operation of the mirrored tests.
    // ---------------------------------------------------------------------------------------

    /**
     * Whole-mm invariants in the spirit of validate_mm() (mm/vma.c): {@link Mm#validate()} (sorted,
     * non-empty, page-aligned, non-overlapping, keyed by vm_start), the VMA list ascending, every
     * page-table entry inside a VMA ({@link MmInvariants#entriesOutsideVmas}), and none of the
     * {@code settled} VMAs (those an operation just produced, whose neighbours the kernel would have
     * examined) left next to a neighbour the model's own predicates would merge it with. The C
     * tests build states with alloc_and_link_vma() that deliberately hold mergeable neighbours, and
     * modify ranges without really changing their flags, so the neighbour check cannot apply to the
     * whole mm there: callers pass as settled only VMAs the kernel leaves fully merged, and use
     * {@link #validateMmMerged} where the whole mm must be.
     */
    static void validateMm(Mm mm, Vma... settled) {
        assertThat(mm.validate()).as("Mm.validate()").isEmpty();
        List<Vma> vmas = mm.vmas();
        for (int i = 1; i < vmas.size(); i++) {
            assertThat(vmas.get(i).start()).as("sorted, non-overlapping: %s after %s", vmas.get(i), vmas.get(i - 1))
                    .isGreaterThanOrEqualTo(vmas.get(i - 1).end());
        }
        assertThat(MmInvariants.entriesOutsideVmas(mm)).as("page-table entries outside every VMA").isEmpty();
        for (Vma v : settled) {
            assertThat(mm.vmaLookup(v.start())).as("settled VMA %s still in the tree", v).isSameAs(v);
            Vma prev = mm.prev(v);
            Vma next = mm.next(v);
            assertThat(prev != null && wouldMerge(mm, prev, v))
                    .as("%s left unmerged with its mergeable prev %s", v, prev).isFalse();
            assertThat(next != null && wouldMerge(mm, v, next))
                    .as("%s left unmerged with its mergeable next %s", v, next).isFalse();
        }
    }

    /**
     * {@link #validateMm} with every VMA settled, and the same by {@link MmInvariants}' own
     * statement of the merge rule ({@link MmInvariants#unmergedNeighbours}), which does not call
     * the model's predicates: for states the kernel leaves fully merged.
     */
    static void validateMmMerged(Mm mm) {
        validateMm(mm, mm.vmas().toArray(Vma[]::new));
        assertThat(MmInvariants.unmergedNeighbours(mm)).isEmpty();
    }

    /**
     * Whether the kernel would merge adjacent VMAs lo and hi, by the model's own predicates: hi's
     * whole range merging into lo (can_vma_merge_left()), or lo's into hi (can_vma_merge_right()).
     */
    static boolean wouldMerge(Mm mm, Vma lo, Vma hi) {
        if (lo.end() != hi.start()) return false;
        if (((lo.flags() | hi.flags()) & VmFlag.VM_SPECIAL) != 0) return false;
        VmaMergeStruct left = rangeOf(mm, hi);
        left.prev = lo;
        if (VmaMerge.canVmaMergeLeft(left)) return true;
        VmaMergeStruct right = rangeOf(mm, lo);
        right.next = hi;
        return VmaMerge.canVmaMergeRight(right, false);
    }

    /** A merge state proposing vma's whole range with vma's properties, vma as middle. */
    private static VmaMergeStruct rangeOf(Mm mm, Vma vma) {
        VmaMergeStruct vmg = new VmaMergeStruct(mm);
        vmg.middle = vma;
        vmg.start = vma.start();
        vmg.end = vma.end();
        vmg.pgoff = vma.pgoff();
        vmg.flags = vma.flags();
        vmg.file = vma.file();
        vmg.anonVma = vma.anonVma();
        vmg.uffdCtx = vma.uffdCtx();
        return vmg;
    }
}
