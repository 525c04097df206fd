package dev.mmsim.mm;

import dev.mmsim.core.Errno;
import dev.mmsim.core.Geometry;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.VmFlag;

/**
 * VMA split and merge, modelled on mm/vma.c. The state of one merge attempt travels in a
 * {@link VmaMergeStruct} (struct vma_merge_struct) through small predicates named after their C
 * twins, in the C file's order: {@link #isMergeableVma}, {@link #isMergeableAnonVma},
 * {@link #canVmaMergeBefore}, {@link #canVmaMergeAfter}, then the two entry points
 * {@link #vmaMergeExistingRange} (a range of an existing VMA changes flags) and
 * {@link #vmaMergeNewRange} (a new mapping), and the callers {@link #vmaModifyFlags} and
 * {@link #doVmiMunmap}.
 *
 * <p>Sticky flags (VMA_STICKY_FLAGS: VM_MAYBE_GUARD, plus VM_SOFTDIRTY with soft-dirty
 * configured) are ignored when comparing flags and end up on the merged VMA if any part had them.
 * Switch {@link Semantic#STICKY_FLAGS} off to model the kernel before 6.19 (the hosts' 6.18.y
 * has sticky flags), where flags had to match exactly. Switch {@link Semantic#ANON_MERGE_UNFAULTED}
 * off for the anon_vma rule before 6.16 ({@link #isMergeableAnonVma}).
 *
 * <p>Model simplifications: no mempolicy, anon_vma_name, uprobes or vm_ops->close (none of the
 * modelled mappings has them); a userfaultfd context is compared through the VM_UFFD_* flags.
 */
public final class VmaMerge {
    private VmaMerge() {}

    /** enum vma_merge_state. */
    public enum State { VMA_MERGE_START, VMA_MERGE_ERROR_NOMEM, VMA_MERGE_NOMERGE, VMA_MERGE_SUCCESS }

    /** struct vma_merge_struct: the proposed range and properties, and how the attempt ended. */
    static final class VmaMergeStruct {
        final Mm mm;
        Vma prev;
        Vma middle;
        Vma next;
        Vma target;
        long start;
        long end;
        long pgoff;
        long flags;
        MappedFile file;
        AnonVma anonVma;
        /** vm_userfaultfd_ctx of the proposed range. */
        UffdCtx uffdCtx;
        /** copy_vma()'s source VMA: mremap is moving it. */
        Vma copiedFrom;
        State state = State.VMA_MERGE_START;

        VmaMergeStruct(Mm mm) {
            this.mm = mm;
        }

        /** vmg_pages(). */
        long pages() {
            return (end - start) >>> Geometry.PAGE_SHIFT;
        }
    }

    /** VMA_STICKY_FLAGS in force under the current semantics. */
    static long stickyFlags(Mm mm) {
        if (!mm.semantics().on(Semantic.STICKY_FLAGS)) return 0;
        long sticky = VmFlag.VM_MAYBE_GUARD.mask();
        if (mm.semantics().softDirtyConfigured()) sticky |= VmFlag.VM_SOFTDIRTY.mask();
        return sticky;
    }

    /**
     * VMA_IGNORE_MERGE_FLAGS: the flags a merge does not compare. Since 6.19 the sticky flags;
     * before (switch {@link Semantic#STICKY_FLAGS} off) VM_SOFTDIRTY alone, which then did not
     * carry over to the merged VMA either.
     */
    static long ignoreMergeFlags(Mm mm) {
        long ignored = stickyFlags(mm);
        if (mm.semantics().softDirtyConfigured()) ignored |= VmFlag.VM_SOFTDIRTY.mask();
        return ignored;
    }

    /** vma_is_fork_child(). */
    static boolean vmaIsForkChild(Vma vma) {
        return vma != null && vma.anonVma() != null && vma.forkChild();
    }

    /** is_mergeable_vma(): flags equal but for VMA_IGNORE_MERGE_FLAGS, and the same file. */
    static boolean isMergeableVma(VmaMergeStruct vmg, boolean mergeNext) {
        Vma vma = mergeNext ? vmg.next : vmg.prev;
        long diff = (vma.flags() ^ vmg.flags) & ~ignoreMergeFlags(vmg.mm);
        // A --semantic-class extension may overrule the flag test (SemanticExtension.isMergeableVma).
        if (!vmg.mm.semantics().extension().isMergeableVma(diff == 0, vma.flags(), vma.pages(), vmg.flags, vmg.pages()))
            return false;
        // is_mergeable_vm_userfaultfd_ctx(): registered with the same userfaultfd, or neither
        return vma.file() == vmg.file && vma.uffdCtx() == vmg.uffdCtx;
    }

    /**
     * is_mergeable_anon_vma(): the proposed range's anon_vma (src) and the target's (tgt) agree.
     * Since 6.16 a faulted range may merge into an unfaulted target, which then takes its anon_vma
     * (dup_anon_vma()), unless the source is a fork child. Before (switch
     * {@link Semantic#ANON_MERGE_UNFAULTED} off), when one side had no anon_vma, the target had to
     * be linked to exactly one (list_is_singular() of its anon_vma_chain): an unfaulted target has
     * an empty chain, so a faulted range never merged into it (two unfaulted sides still merged, no
     * anon_vma being equal to no anon_vma). The other cases are the same either way.
     */
    static boolean isMergeableAnonVma(VmaMergeStruct vmg, boolean mergeNext) {
        Vma tgt = mergeNext ? vmg.next : vmg.prev;
        Vma src = vmg.middle;
        AnonVma tgtAnon = tgt.anonVma();
        AnonVma srcAnon = vmg.anonVma;
        // Semantic anon_merge_unfaulted ("mm/vma: fix incorrectly disallowed anonymous VMA merges", 6.16)
        if (tgtAnon == null && srcAnon != null && !vmg.mm.semantics().on(Semantic.ANON_MERGE_UNFAULTED)) return false;
        if (tgtAnon == null && srcAnon != null) return !vmaIsForkChild(src) && !vmaIsForkChild(vmg.copiedFrom);
        if (tgtAnon != null && srcAnon == null) return !vmaIsForkChild(tgt);
        return srcAnon == tgtAnon;
    }

    /** can_vma_merge_before(): the proposed range can be merged in front of vmg.next. */
    static boolean canVmaMergeBefore(VmaMergeStruct vmg) {
        return isMergeableVma(vmg, true) && isMergeableAnonVma(vmg, true)
                && vmg.pgoff + vmg.pages() == vmg.next.pgoff();
    }

    /** can_vma_merge_after(): the proposed range can be merged behind vmg.prev. */
    static boolean canVmaMergeAfter(VmaMergeStruct vmg) {
        return isMergeableVma(vmg, false) && isMergeableAnonVma(vmg, false)
                && vmg.prev.pgoff() + vmg.prev.pages() == vmg.pgoff;
    }

    /** can_vma_merge_left(). */
    static boolean canVmaMergeLeft(VmaMergeStruct vmg) {
        return vmg.prev != null && vmg.prev.end() == vmg.start && canVmaMergeAfter(vmg);
    }

    /** can_vma_merge_right(): also, when merging both sides, prev's and next's anon_vmas must agree. */
    static boolean canVmaMergeRight(VmaMergeStruct vmg, boolean canMergeLeft) {
        Vma next = vmg.next;
        if (next == null || vmg.end != next.start() || !canVmaMergeBefore(vmg)) return false;
        if (!canMergeLeft) return true;
        Vma prev = vmg.prev;
        return prev.anonVma() == null || next.anonVma() == null || prev.anonVma() == next.anonVma();
    }

    /** dup_anon_vma(): dst inherits src's anon_vma when it has none. */
    static void dupAnonVma(Vma dst, Vma src) {
        if (src != null && src.anonVma() != null && dst.anonVma() == null) {
            dst.setAnonVma(src.anonVma(), src.forkChild());
        }
    }

    /**
     * vma_merge_existing_range(): [vmg.start, vmg.end) of vmg.middle is changing to vmg.flags; merge
     * it into prev and/or next where they are compatible. Returns the merged VMA, or null with
     * vmg.state NOMERGE.
     */
    static Vma vmaMergeExistingRange(VmaMergeStruct vmg) {
        Mm mm = vmg.mm;
        long sticky = vmg.flags & stickyFlags(mm);
        Vma middle = vmg.middle;
        Vma prev = vmg.prev;
        long start = vmg.start;
        long end = vmg.end;
        boolean leftSide = start == middle.start();
        boolean rightSide = end == middle.end();
        vmg.state = State.VMA_MERGE_NOMERGE;

        if ((vmg.flags & VmFlag.VM_SPECIAL) != 0 || (!leftSide && !rightSide)) return null;

        boolean mergeLeft = leftSide && canVmaMergeLeft(vmg);
        boolean mergeRight = false;
        Vma next = null;
        if (rightSide) {
            next = vmg.next = mm.next(middle);
            mergeRight = canVmaMergeRight(vmg, mergeLeft);
        }
        if (!mergeLeft && !mergeRight) return null;
        // vma_adjust_trans_huge(): boundaries that move must not cut a PMD leaf
        HugeMemory.splitHugePmdIfNeeded(mm, middle, start);
        HugeMemory.splitHugePmdIfNeeded(mm, middle, end);

        boolean removeMiddle = leftSide && rightSide;
        if (mergeRight) {
            vmg.target = next;
            sticky |= next.flags() & stickyFlags(mm);
        }
        if (mergeLeft) {
            vmg.target = prev;
            sticky |= prev.flags() & stickyFlags(mm);
        }

        if (mergeLeft && mergeRight) {
            //  |<-------------------->|
            //  |-------********-------|
            //    prev   middle   next
            //   extend  delete  delete
            dupAnonVma(prev, next.anonVma() != null ? next : middle);
            mm.remove(middle);
            mm.remove(next);
            prev.setRange(prev.start(), next.end(), prev.pgoff());
        } else if (mergeLeft) {
            //  |<------------>|      OR
            //  |<----------------->|
            //  |-------*************
            //    prev     middle
            //   extend shrink/delete
            dupAnonVma(prev, middle);
            if (removeMiddle) {
                mm.remove(middle);
            } else {
                middle.setRange(end, middle.end(), middle.pgoff() + ((end - middle.start()) >>> Geometry.PAGE_SHIFT));
            }
            prev.setRange(prev.start(), end, prev.pgoff());
        } else {
            //      |<------------->| OR
            //  |<----------------->|
            //  *************-------|
            //     middle     next
            //  shrink/delete extend
            dupAnonVma(next, middle);
            if (removeMiddle) {
                mm.remove(middle);
            } else {
                middle.setRange(middle.start(), start, middle.pgoff());
            }
            next.setRange(start, next.end(), vmg.pgoff);
        }
        vmg.target.vmFlagsSet(sticky);
        vmg.state = State.VMA_MERGE_SUCCESS;
        // vma_complete(): uprobe_mmap() of the merged VMA and of a neighbour that only shrank
        Uprobes.uprobeMmap(mm, vmg.target);
        if (!removeMiddle && vmg.target != middle) Uprobes.uprobeMmap(mm, middle);
        return vmg.target;
    }

    /**
     * vma_merge_new_range(): a new mapping [vmg.start, vmg.end) with vmg.flags is about to be
     * created; extend prev and/or next over it instead when they are compatible. Returns the VMA
     * that now covers the range, or null.
     */
    static Vma vmaMergeNewRange(VmaMergeStruct vmg) {
        Mm mm = vmg.mm;
        vmg.state = State.VMA_MERGE_NOMERGE;
        if ((vmg.flags & VmFlag.VM_SPECIAL) != 0) return null;
        boolean canMergeLeft = canVmaMergeLeft(vmg);
        boolean canMergeRight = canVmaMergeRight(vmg, canMergeLeft);
        if (!canMergeLeft && !canMergeRight) return null;

        long sticky = vmg.flags & stickyFlags(mm);
        Vma target;
        if (canMergeLeft && canMergeRight) {
            //  PPPPPPP  NNNNNNN   ->  PPPPPPPPPPPPPPPPP
            target = vmg.prev;
            sticky |= (vmg.prev.flags() | vmg.next.flags()) & stickyFlags(mm);
            dupAnonVma(target, vmg.next);
            mm.remove(vmg.next);
            target.setRange(target.start(), vmg.next.end(), target.pgoff());
        } else if (canMergeLeft) {
            //  PPPPPPP  ->  PPPPPPPPPP
            target = vmg.prev;
            sticky |= target.flags() & stickyFlags(mm);
            target.setRange(target.start(), vmg.end, target.pgoff());
        } else {
            //  NNNNNNN  ->  NNNNNNNNNN (extended downwards)
            target = vmg.next;
            sticky |= target.flags() & stickyFlags(mm);
            target.setRange(vmg.start, target.end(), vmg.pgoff);
        }
        target.vmFlagsSet(sticky);
        vmg.target = target;
        vmg.state = State.VMA_MERGE_SUCCESS;
        // vma_complete(): uprobe_mmap() of the grown VMA, except for copy_vma() of a file VMA
        // (skip_vma_uprobe: mremap() is about to move the source's entries, breakpoints included, there)
        if (vmg.copiedFrom == null || vmg.copiedFrom.file() == null) Uprobes.uprobeMmap(mm, target);
        return target;
    }

    /**
     * copy_vma(): the VMA that will receive [addr, addr+len) of a moving VMA, merged with the
     * destination's neighbours where possible. An anonymous VMA that never faulted takes the page
     * offset of its new address, so it can merge there as if it had been mapped there; a faulted
     * one keeps its offset (its pages are indexed by it).
     */
    static Vma copyVma(Mm mm, Vma vma, long addr, long len, long pgoff) {
        if (vma.isAnonymous() && vma.anonVma() == null) pgoff = addr >>> Geometry.PAGE_SHIFT;
        VmaMergeStruct vmg = new VmaMergeStruct(mm);
        vmg.start = addr;
        vmg.end = addr + len;
        vmg.flags = vma.flags();
        vmg.file = vma.file();
        vmg.anonVma = vma.anonVma();
        vmg.uffdCtx = vma.uffdCtx();
        vmg.pgoff = pgoff;
        vmg.copiedFrom = vma;
        vmg.next = mm.findVma(addr);
        vmg.prev = vmg.next != null ? mm.prev(vmg.next) : mm.last();
        Vma merged = vmaMergeNewRange(vmg);
        if (merged != null) return merged;
        Vma n = vma.copy();
        n.setRange(addr, addr + len, pgoff);
        mm.insert(n);
        return n;
    }

    /**
     * A split refused by the VMA (vm_ops->may_split()): the errno ends the system call, whatever
     * the call changed before it stays changed (an earlier split included). Caught by the entry
     * points of the calls that split, with {@link #catchSplit} or (on the hot paths of mmap,
     * munmap, mprotect and madvise, without a lambda to allocate) a catch of their own.
     */
    static final class SplitFailed extends RuntimeException {
        final int errno;

        SplitFailed(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }

    /** Runs a system call that may split VMAs, turning a refused split into its errno. */
    static int catchSplit(java.util.function.IntSupplier call) {
        try {
            return call.getAsInt();
        } catch (SplitFailed e) {
            return e.errno;
        }
    }

    /**
     * split_vma(): refuses (ENOMEM) once the mm has vm.max_map_count VMAs, else __split_vma(). A
     * refusal is thrown as {@link SplitFailed}, for the caller's {@link #catchSplit}.
     */
    static Vma splitVmaLimited(Mm mm, VmaIterator vmi, Vma vma, long addr, boolean newBelow) {
        if (mm.mapCount() >= mm.maxMapCount()) throw new SplitFailed(Errno.ENOMEM.neg());
        return splitVma(mm, vmi, vma, addr, newBelow);
    }

    /**
     * __split_vma(): splits vma at addr. With newBelow the new VMA is [vma.start, addr) and vma
     * keeps the upper part; otherwise the new VMA is [addr, vma.end). Returns the new VMA. The
     * iterator, standing at vma, stores the new VMA beside it and stands at vma again after.
     */
    static Vma splitVma(Mm mm, VmaIterator vmi, Vma vma, long addr, boolean newBelow) {
        // vm_ops->may_split(): hugetlb_vm_op_split() refuses an address inside a huge page
        int err = Hugetlb.hugetlbVmOpSplit(vma, addr);
        if (err != 0) throw new SplitFailed(err);
        // vma_adjust_trans_huge(): a PMD leaf across the new boundary is split first
        HugeMemory.splitHugePmdIfNeeded(mm, vma, addr);
        Vma n = vma.copy();
        long delta = (addr - vma.start()) >>> Geometry.PAGE_SHIFT;
        if (newBelow) {
            n.setRange(n.start(), addr, n.pgoff());
            vma.setRange(addr, vma.end(), vma.pgoff() + delta);
        } else {
            n.setRange(addr, n.end(), n.pgoff() + delta);
            vma.setRange(vma.start(), addr, vma.pgoff());
        }
        // vma_complete(): vma_iter_store_new(), then uprobe_mmap() of both halves
        vmi.storeNew(n);
        Uprobes.uprobeMmap(mm, vma);
        Uprobes.uprobeMmap(mm, n);
        if (newBelow) vmi.next();
        else vmi.prev();
        return n;
    }

    /**
     * vma_modify_flags() via vma_modify(): [start, end) of vma gets newFlags, merging with neighbours
     * where possible, otherwise splitting vma so that exactly the range carries the new flags.
     * Returns the VMA that now covers [start, end).
     */
    static Vma vmaModifyFlags(Mm mm, Vma prev, Vma vma, long start, long end, long newFlags) {
        return vmaModifyFlags(mm, new VmaIterator(mm, vma), prev, vma, start, end, newFlags);
    }

    /** vma_modify_flags() with the caller's iterator, which stands at vma. */
    static Vma vmaModifyFlags(Mm mm, VmaIterator vmi, Vma prev, Vma vma, long start, long end, long newFlags) {
        return vmaModifyFlagsUffd(mm, vmi, prev, vma, start, end, newFlags, vma.uffdCtx());
    }

    /**
     * vma_modify_flags_uffd(): as {@link #vmaModifyFlags}, also (un)registering the range with a
     * userfaultfd context.
     */
    static Vma vmaModifyFlagsUffd(Mm mm, Vma prev, Vma vma, long start, long end, long newFlags, UffdCtx ctx) {
        return vmaModifyFlagsUffd(mm, new VmaIterator(mm, vma), prev, vma, start, end, newFlags, ctx);
    }

    /**
     * vma_modify_flags_uffd() with the caller's iterator, which stands at vma; when vma is split,
     * the iterator stands at the part that carries the new flags.
     */
    static Vma vmaModifyFlagsUffd(Mm mm, VmaIterator vmi, Vma prev, Vma vma, long start, long end, long newFlags,
            UffdCtx ctx) {
        VmaMergeStruct vmg = new VmaMergeStruct(mm);
        vmg.uffdCtx = ctx;
        vmg.prev = prev;
        vmg.middle = vma;
        vmg.start = start;
        vmg.end = end;
        vmg.flags = newFlags;
        vmg.file = vma.file();
        vmg.anonVma = vma.anonVma();
        vmg.pgoff = vma.pgoff() + ((start - vma.start()) >>> Geometry.PAGE_SHIFT);
        Vma merged = vmaMergeExistingRange(vmg);
        if (merged != null) {
            // Before sticky flags (semantic STICKY_FLAGS off) the callers (mprotect_fixup(),
            // madvise_update_vma(), mlock_fixup(), userfaultfd_set_ctx()) reset the merged VMA's
            // flags to the new ones: a flag the merge ignored (VM_SOFTDIRTY) is the modified
            // range's, the neighbour's is lost (measured on Debian's 6.12: soft-dirty/merge).
            if (!mm.semantics().on(Semantic.STICKY_FLAGS)) merged.vmFlagsReset(newFlags);
            return merged;
        }
        // vma_modify(): both splits go through split_vma(), which checks the map count
        if (vma.start() < start) splitVmaLimited(mm, vmi, vma, start, true);
        if (vma.end() > end) splitVmaLimited(mm, vmi, vma, end, false);
        vma.vmFlagsReset(newFlags);
        vma.setUffdCtx(ctx);
        return vma;
    }

    /**
     * do_vmi_munmap() / do_vmi_align_munmap(): unmaps [start, start+len), splitting the VMAs at
     * either end, zapping their entries (markers included) and freeing the page tables that
     * nothing else uses. A sealed VMA in the range makes it fail with EPERM (mm/mseal.c). Returns 0
     * or a negative errno.
     */
    public static int doVmiMunmap(Mm mm, long start, long len) {
        return doVmiMunmap(mm, new VmaIterator(mm, start), start, len);
    }

    /**
     * do_vmi_munmap() with the caller's iterator (mmap_region() maps into the gap after): the
     * iterator is left standing at the VMA below the gap, when there is one.
     */
    static int doVmiMunmap(Mm mm, VmaIterator vmi, long start, long len) {
        try {
            return doVmiMunmapSplitting(mm, vmi, start, len);
        } catch (SplitFailed e) {
            return e.errno;
        }
    }

    private static int doVmiMunmapSplitting(Mm mm, VmaIterator vmi, long start, long len) {
        if (!Geometry.pageAligned(start) || Long.compareUnsigned(start, mm.taskSize()) > 0
                || Long.compareUnsigned(len, mm.taskSize() - start) > 0)
            return Errno.EINVAL.neg();
        long end = start + Geometry.pageAlign(len);
        if (end == start) return Errno.EINVAL.neg();
        vmi.set(start);
        Vma vma = vmi.find(end);
        if (vma == null) return 0;
        if (vma.start() < start) {
            // vms_gather_munmap_vmas(): a range inside one VMA would leave one VMA more; at
            // vm.max_map_count that is ENOMEM (checked before the seal); the splits themselves
            // are __split_vma(), unchecked, so an unmap at a VMA's edge may pass the limit by one
            if (end < vma.end() && mm.mapCount() >= mm.maxMapCount()) return Errno.ENOMEM.neg();
            // vms_gather_munmap_vmas(): a sealed VMA is not even split
            if (Mseal.vmaIsSealed(vma)) return Errno.EPERM.neg();
            splitVma(mm, vmi, vma, start, true);
        }
        // vms_gather_munmap_vmas(): the VMAs of the range, from vma on; any sealed VMA among them
        // fails the unmap before the end is split (the split at the start stays)
        java.util.List<Vma> doomed = new java.util.ArrayList<>(4);
        for (Vma v = vma; v != null; v = vmi.find(end)) doomed.add(v);
        for (int i = 0; i < doomed.size(); i++) if (Mseal.vmaIsSealed(doomed.get(i))) return Errno.EPERM.neg();
        // the last VMA reaching past end keeps [.., end) (the split's new VMA is the part above);
        // the iterator still stands at it
        Vma last = doomed.get(doomed.size() - 1);
        if (last.end() > end) splitVma(mm, vmi, last, end, false);

        Vma prev = mm.prev(doomed.get(0));
        Vma next = mm.next(last);
        for (int i = 0; i < doomed.size(); i++) {
            Vma v = doomed.get(i);
            // vms_gather_munmap_vmas() counts the locked pages, vms_complete_munmap_vmas() subtracts them
            if (v.has(VmFlag.VM_LOCKED)) mm.addLockedVm(-v.pages());
            Memory.unmapVma(mm, v);
            mm.remove(v);
        }
        long floor = prev == null ? 0 : prev.end();
        long ceiling = next == null ? 0 : next.start();
        mm.pageTables().freePgdRange(doomed.get(0).start(), last.end(), floor, ceiling);
        if (prev != null) vmi.standAt(prev);
        return 0;
    }
}
