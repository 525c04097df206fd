package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.VmFlag;

/**
 * mseal(), modelled on do_mseal(), range_contains_unmapped() and mseal_apply() in mm/mseal.c
 * (6.10+), and the checks other operations make on a sealed VMA (vma_is_sealed(), mm/vma.h):
 * munmap, mmap(MAP_FIXED) over it, mremap of it or onto it, and mprotect fail with EPERM; madvise
 * fails only for advice that discards the data of a read-only private anonymous VMA
 * (can_madvise_modify(), mm/madvise.c). A sealed VMA merges only with sealed neighbours, as
 * VM_SEALED is an ordinary flag for the merge rules.
 */
public final class Mseal {
    private Mseal() {}

    /** do_mseal(): seals [start, start+len). Returns 0 or a negative errno. */
    public static int doMseal(Mm mm, long start, long lenIn, long flags) {
        // semantic MSEAL off (before 6.10): no such system call
        if (!mm.semantics().on(Semantic.MSEAL)) return Errno.ENOSYS.neg();
        if (flags != 0) return Errno.EINVAL.neg();
        if (!pageAligned(start)) return Errno.EINVAL.neg();
        long len = pageAlign(lenIn);
        if (lenIn != 0 && len == 0) return Errno.EINVAL.neg();
        long end = start + len;
        if (Long.compareUnsigned(end, start) < 0) return Errno.EINVAL.neg();
        if (end == start) return 0;
        end = clampUserEnd(end); // do_mseal(): unsigned; past TASK_SIZE the hole up there is ENOMEM
        if (rangeContainsUnmapped(mm, start, end)) return Errno.ENOMEM.neg();
        long sealEnd = end;
        // mseal_apply() -> vma_modify_flags(): a split refused at vm.max_map_count is ENOMEM
        return VmaMerge.catchSplit(() -> {
            msealApply(mm, start, sealEnd);
            return 0;
        });
    }

    /** range_contains_unmapped(): a gap anywhere in [start, end). */
    static boolean rangeContainsUnmapped(Mm mm, long start, long end) {
        long prevEnd = start;
        for (Vma v : mm.vmas(start, end)) {
            if (v.start() > prevEnd) return true;
            prevEnd = v.end();
        }
        return prevEnd < end;
    }

    /** mseal_apply(): each VMA of the range not sealed yet gets VM_SEALED through vma_modify_flags(). */
    static void msealApply(Mm mm, long start, long end) {
        Vma vma = mm.vmaLookup(start);
        Vma prev = start > vma.start() ? vma : mm.prev(vma);
        while (vma != null && vma.start() < end) {
            long currStart = Math.max(vma.start(), start);
            long currEnd = Math.min(vma.end(), end);
            if (!vma.has(VmFlag.VM_SEALED))
                vma = VmaMerge.vmaModifyFlags(mm, prev, vma, currStart, currEnd, vma.flags() | VmFlag.VM_SEALED.mask());
            prev = vma;
            vma = mm.next(vma);
        }
    }

    /** vma_is_sealed(). */
    public static boolean vmaIsSealed(Vma vma) {
        return vma.has(VmFlag.VM_SEALED);
    }

    /** is_discard(): advice that can drop the data of a mapping. */
    static boolean isDiscard(Madvise behavior) {
        return switch (behavior) {
            case FREE, DONTNEED, DONTNEED_LOCKED, REMOVE, DONTFORK, WIPEONFORK, GUARD_INSTALL -> true;
            default -> false;
        };
    }

    /**
     * can_madvise_modify(): a sealed VMA refuses only discarding advice, and only when it is private
     * anonymous memory the caller cannot write.
     */
    static boolean canMadviseModify(Vma vma, Madvise behavior) {
        if (!vmaIsSealed(vma)) return true;
        if (!isDiscard(behavior)) return true;
        if (!vma.isAnonymous()) return true;
        return vma.has(VmFlag.VM_WRITE);
    }
}
