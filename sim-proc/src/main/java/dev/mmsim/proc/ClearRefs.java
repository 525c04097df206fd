package dev.mmsim.proc;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.VmFlag;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.MmWalk;
import dev.mmsim.mm.MmWalkOps;
import dev.mmsim.mm.PageWalk;
import dev.mmsim.mm.PmdLeaf;
import dev.mmsim.mm.PteRange;
import dev.mmsim.mm.SoftDirty;
import dev.mmsim.mm.Vma;

/**
 * Writing to /proc/pid/clear_refs, modelled on clear_refs_write() and its page walk
 * (clear_refs_test_walk(), clear_refs_pte_range(), clear_soft_dirty(), clear_soft_dirty_pmd()) in
 * fs/proc/task_mmu.c, through the mm's public mutators (vm_flags_clear()) and the page walker.
 *
 * <p>The values (enum clear_refs_types): 1 clears the accessed bits of every page, 2 of anonymous
 * VMAs only, 3 of file-backed VMAs only, 4 clears soft-dirty (VM_SOFTDIRTY on every VMA, the bit
 * on every entry, which is also write-protected so that the next write faults), 5 resets the peak
 * RSS. Anything else is EINVAL. Without CONFIG_MEM_SOFT_DIRTY value 4 is accepted and changes
 * nothing (VM_SOFTDIRTY is 0 and clear_soft_dirty() returns at once), as measured on the hosts.
 *
 * <p>Model simplifications: the accessed bit and the folio's referenced flag that values 1 to 3
 * clear are shown by no statement (pagemap, PAGEMAP_SCAN and smaps' compared fields ignore them),
 * and the peak RSS that value 5 resets is not tracked (nothing shows it): the model clears the
 * entries' _PAGE_ACCESSED bits and otherwise accepts these values as the kernel does.
 */
public final class ClearRefs {
    private ClearRefs() {}

    /** enum clear_refs_types. */
    public static final int CLEAR_REFS_ALL = 1;
    public static final int CLEAR_REFS_ANON = 2;
    public static final int CLEAR_REFS_MAPPED = 3;
    public static final int CLEAR_REFS_SOFT_DIRTY = 4;
    public static final int CLEAR_REFS_MM_HIWATER_RSS = 5;
    public static final int CLEAR_REFS_LAST = 6;

    /**
     * clear_refs_write() once kstrtoint() has parsed the text: 0, or EINVAL for a value outside
     * [CLEAR_REFS_ALL, CLEAR_REFS_LAST).
     */
    public static int clearRefsWrite(Mm mm, int type) {
        if (type < CLEAR_REFS_ALL || type >= CLEAR_REFS_LAST) return Errno.EINVAL.neg();
        // CLEAR_REFS_MM_HIWATER_RSS: reset_mm_hiwater_rss(); the peak RSS is not modelled.
        if (type == CLEAR_REFS_MM_HIWATER_RSS) return 0;
        if (type == CLEAR_REFS_SOFT_DIRTY) {
            // vm_flags_clear(vma, VM_SOFTDIRTY) and vma_set_page_prot() on every VMA; VM_SOFTDIRTY
            // is never set without CONFIG_MEM_SOFT_DIRTY.
            for (Vma vma : mm.vmas()) vma.vmFlagsClear(VmFlag.VM_SOFTDIRTY.mask());
        }
        // walk_page_range(mm, 0, -1, &clear_refs_walk_ops, &cp): nothing is mapped above TASK_SIZE
        PageWalk.walkPageRange(mm, 0, mm.taskSize(), CLEAR_REFS_WALK_OPS, new ClearRefsPrivate(type));
        return 0;
    }

    /** struct clear_refs_private. */
    record ClearRefsPrivate(int type) {}

    /**
     * clear_refs_walk_ops. No hugetlb_entry: __walk_page_range() does not descend into a hugetlb
     * VMA, which is left alone.
     */
    static final MmWalkOps CLEAR_REFS_WALK_OPS = MmWalkOps.builder()
            .pmdEntry(ClearRefs::clearRefsPteRange)
            .testWalk(ClearRefs::clearRefsTestWalk)
            .build();

    /**
     * clear_refs_test_walk(): 1 (skip) for VM_PFNMAP VMAs always, file-backed ones for 2,
     * anonymous ones for 3; 0 (walk) otherwise.
     */
    static int clearRefsTestWalk(long addr, long next, MmWalk walk) {
        Vma vma = walk.vma();
        int type = walk.<ClearRefsPrivate>priv().type();
        if (vma.has(VmFlag.VM_PFNMAP)) return 1;
        if (type == CLEAR_REFS_ANON && vma.file() != null) return 1;
        if (type == CLEAR_REFS_MAPPED && vma.file() == null) return 1;
        return 0;
    }

    /**
     * clear_refs_pte_range(): a PMD leaf (clear_soft_dirty_pmd() for 4, else
     * pmdp_test_and_clear_young() of a present one), else every entry of the PTE table in the
     * range; no PTE table to lock is ACTION_AGAIN.
     */
    static int clearRefsPteRange(Object[] pmd, int index, long addr, long next, MmWalk walk) {
        int type = walk.<ClearRefsPrivate>priv().type();
        if (pmd[index] instanceof PmdLeaf leaf) {
            if (type == CLEAR_REFS_SOFT_DIRTY) clearSoftDirtyPmd(walk.mm(), leaf);
            else if (pteP(leaf.entry)) leaf.entry &= ~_PAGE_ACCESSED;
            return 0;
        }
        if (!(pmd[index] instanceof long[] table)) {
            walk.action = MmWalk.Action.ACTION_AGAIN;
            return 0;
        }
        return PteRange.walk(table, addr, next,
                type == CLEAR_REFS_SOFT_DIRTY ? ClearRefs::clearSoftDirtyStep : ClearRefs::clearYoungStep, walk);
    }

    /** The soft-dirty step of clear_refs_pte_range(): clear_soft_dirty(). */
    private static int clearSoftDirtyStep(long[] table, int i, long addr, long end, MmWalk walk) {
        table[i] = clearSoftDirty(walk.mm(), table[i]);
        return PteRange.NEXT;
    }

    /** The other step: a present entry with a normal folio (vm_normal_folio()) is made old (ptep_test_and_clear_young()). */
    private static int clearYoungStep(long[] table, int i, long addr, long end, MmWalk walk) {
        if (pteP(table[i]) && !pteSpecial(table[i])) table[i] &= ~_PAGE_ACCESSED;
        return PteRange.NEXT;
    }

    /**
     * clear_soft_dirty(): a present entry is write-protected and loses the bit (pages pinned for
     * DMA are left alone; the model has no pins), a swap entry or marker loses its swap bit;
     * nothing at all without CONFIG_MEM_SOFT_DIRTY.
     */
    static long clearSoftDirty(Mm mm, long pte) {
        if (!SoftDirty.supported(mm) || pteNone(pte)) return pte;
        if (pteP(pte)) return pteWrprotect(pte) & ~_PAGE_SOFT_DIRTY;
        return pte & ~_PAGE_SWP_SOFT_DIRTY;
    }

    /**
     * clear_soft_dirty_pmd(): a present PMD leaf is write-protected and loses the bit (keeping its
     * dirty and accessed bits); a non-present one (a migration entry) loses the swap bit.
     */
    static void clearSoftDirtyPmd(Mm mm, PmdLeaf leaf) {
        if (!SoftDirty.supported(mm)) return;
        if (pteP(leaf.entry)) leaf.entry = pteWrprotect(leaf.entry) & ~_PAGE_SOFT_DIRTY;
        else if (isSwapPte(leaf.entry)) leaf.entry &= ~_PAGE_SWP_SOFT_DIRTY;
    }
}
