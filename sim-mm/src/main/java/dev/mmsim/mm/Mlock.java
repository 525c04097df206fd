package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.VmFlag;

/**
 * mlock() and munlock(), modelled on do_mlock(), apply_vma_lock_flags() and mlock_fixup() in
 * mm/mlock.c, with the population step of __mm_populate() / populate_vma_page_range() in
 * mm/gup.c.
 */
public final class Mlock {
    private Mlock() {}

    /**
     * do_mlock(): locks the VMAs of [start, start+len) (splitting and merging them), then faults
     * every page in. A fault that fails (a guard marker, for instance) makes mlock return ENOMEM,
     * as __mlock_posix_error_return() turns EFAULT into ENOMEM; the VMAs stay locked.
     */
    public static int doMlock(Mm mm, long start, long len) {
        long end = pageAlign(len + (start & ~PAGE_MASK));
        start &= PAGE_MASK;
        int err = applyVmaLockFlags(mm, start, end, VmFlag.VM_LOCKED.mask());
        if (err != 0) return err;
        err = mmPopulate(mm, start, start + end);
        return err == Errno.EFAULT.neg() ? Errno.ENOMEM.neg() : err;
    }

    /** munlock(): clears VM_LOCKED over the range; nothing is faulted. */
    public static int doMunlock(Mm mm, long start, long len) {
        long end = pageAlign(len + (start & ~PAGE_MASK));
        start &= PAGE_MASK;
        return applyVmaLockFlags(mm, start, end, 0);
    }

    /**
     * apply_vma_lock_flags(): the range must start inside a VMA; VMAs are changed in order and a
     * hole ends the walk with ENOMEM, leaving the VMAs before it changed.
     */
    static int applyVmaLockFlags(Mm mm, long start, long len, long flags) {
        // mlock_fixup() -> vma_modify_flags(): a split refused at vm.max_map_count is ENOMEM
        return VmaMerge.catchSplit(() -> applyVmaLockFlagsSplitting(mm, start, len, flags));
    }

    private static int applyVmaLockFlagsSplitting(Mm mm, long start, long len, long flags) {
        long end = start + len;
        if (Long.compareUnsigned(end, start) < 0) return Errno.EINVAL.neg();
        if (end == start) return 0;
        end = clampUserEnd(end); // past TASK_SIZE: the hole there ends the walk (ENOMEM)
        Vma vma = mm.vmaLookup(start);
        if (vma == null) return Errno.ENOMEM.neg();
        Vma prev = start > vma.start() ? vma : mm.prev(vma);
        long nstart = start;
        long tmp = vma.start();
        while (vma != null && vma.start() < end) {
            if (vma.start() != tmp) return Errno.ENOMEM.neg();
            long newFlags = (vma.flags() & ~VmFlag.VM_LOCKED_MASK) | flags;
            tmp = Math.min(vma.end(), end);
            Vma changed = mlockFixup(mm, prev, vma, nstart, tmp, newFlags);
            // vma_iter_end(): a merge may have carried the VMA past tmp
            tmp = changed.end();
            nstart = tmp;
            prev = changed;
            vma = mm.next(changed);
        }
        return tmp < end ? Errno.ENOMEM.neg() : 0;
    }

    /**
     * mlock_fixup(): special VMAs keep their flags and are not counted; the others are modified
     * through vma_modify_flags(), and mm->locked_vm gains the range's pages when it becomes locked
     * and loses them when it becomes unlocked.
     */
    static Vma mlockFixup(Mm mm, Vma prev, Vma vma, long start, long end, long newFlags) {
        long oldFlags = vma.flags();
        if (newFlags == oldFlags || (oldFlags & (VmFlag.VM_SPECIAL | VmFlag.VM_HUGETLB.mask())) != 0) return vma;
        Vma changed = VmaMerge.vmaModifyFlags(mm, prev, vma, start, end, newFlags);
        long pages = (end - start) >>> PAGE_SHIFT;
        if ((newFlags & VmFlag.VM_LOCKED.mask()) == 0) mm.addLockedVm(-pages);
        else if ((oldFlags & VmFlag.VM_LOCKED.mask()) == 0) mm.addLockedVm(pages);
        return changed;
    }

    /**
     * __mm_populate() without ignoring errors: populate_vma_page_range() over each VMA, writing
     * where the mapping is private and writable; PROT_NONE VMAs fail the GUP access check
     * (EFAULT). Returns 0 or the first error.
     */
    static int mmPopulate(Mm mm, long start, long end) {
        long nstart = start;
        while (nstart < end) {
            Vma vma = mm.findVma(nstart);
            if (vma == null || vma.start() >= end) break;
            long nend = Math.min(end, vma.end());
            if (nstart < vma.start()) nstart = vma.start();
            if ((vma.flags() & (VmFlag.VM_IO.mask() | VmFlag.VM_PFNMAP.mask())) == 0) {
                if ((vma.flags() & VmFlag.VM_ACCESS_FLAGS) == 0) return Errno.EFAULT.neg();
                int err = Memory.populateVmaPageRange(mm, vma, nstart, nend);
                if (err != 0) return err;
            }
            nstart = nend;
        }
        return 0;
    }
}
