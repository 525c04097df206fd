package dev.mmsim.mm;

import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.VmFlag;

/**
 * Soft-dirty tracking (CONFIG_MEM_SOFT_DIRTY, Documentation/admin-guide/mm/soft-dirty.rst): the
 * bit helpers the fault, swap, mremap and mmap paths use. Without the config option x86 defines
 * _PAGE_SOFT_DIRTY, _PAGE_SWP_SOFT_DIRTY and VM_SOFTDIRTY as 0, so every helper here is then the
 * identity: the model follows {@link dev.mmsim.core.Semantics#softDirtyConfigured()} (the host
 * profile's {@code soft_dirty}).
 *
 * <p>Where the bit gets set, as on x86-64:
 * <ul>
 *   <li>pte_mkdirty() sets _PAGE_SOFT_DIRTY with _PAGE_DIRTY, so every fault path that dirties an
 *   entry in software (a write fault, do_anonymous_page() of a writable VMA, do_wp_page(), a COW or
 *   shared write fault, do_swap_page() of a write) makes it soft-dirty ({@link #pteMkdirty});</li>
 *   <li>the hardware setting _PAGE_DIRTY on a writable entry does not; the kernel keeps a tracked
 *   entry read-only until it is soft-dirty (clear_refs write-protects, do_swap_page() and
 *   can_change_pte_writable() consult pte_needs_soft_dirty_wp()), so a tracked page is written
 *   through a fault. The model maps a page writable without dirtying it only on a swap-in for
 *   a read, and {@link #pteNeedsSoftDirtyWp} keeps that one read-only where the kernel does;</li>
 *   <li>reclaim keeps the bit in the swap entry (try_to_unmap_one()) and do_swap_page() puts it
 *   back; fork copies entries with it;</li>
 *   <li>mremap() sets it on every entry it moves one by one (move_soft_dirty_pte()), not on a PTE
 *   table moved whole (move_normal_pmd());</li>
 *   <li>a new mapping gets VM_SOFTDIRTY on its VMA (__mmap_complete()), which makes pagemap and
 *   PAGEMAP_SCAN report every page of it soft-dirty; merges keep the flag (VMA_STICKY_FLAGS,
 *   {@link VmaMerge#stickyFlags}); only clear_refs 4 clears it (ClearRefs, in sim-proc).</li>
 * </ul>
 */
public final class SoftDirty {
    private SoftDirty() {}

    /** pgtable_supports_soft_dirty(): CONFIG_MEM_SOFT_DIRTY on this (simulated) host. */
    public static boolean supported(Mm mm) {
        return mm.semantics().softDirtyConfigured();
    }

    /** pte_mkdirty() on x86-64: _PAGE_DIRTY and, where configured, _PAGE_SOFT_DIRTY. */
    static long pteMkdirty(Mm mm, long pte) {
        return pte | _PAGE_DIRTY | (supported(mm) ? _PAGE_SOFT_DIRTY : 0);
    }

    /** pte_mksoft_dirty() (0 without CONFIG_MEM_SOFT_DIRTY). */
    static long pteMksoftDirty(Mm mm, long pte) {
        return supported(mm) ? pte | _PAGE_SOFT_DIRTY : pte;
    }

    /** pte_swp_mksoft_dirty(). */
    static long pteSwpMksoftDirty(Mm mm, long pte) {
        return supported(mm) ? pte | _PAGE_SWP_SOFT_DIRTY : pte;
    }

    /** vma_soft_dirty_enabled() (mm/mmap.c): tracking is on for a VMA whose VM_SOFTDIRTY was cleared. */
    static boolean vmaSoftDirtyEnabled(Mm mm, Vma vma) {
        return supported(mm) && !vma.has(VmFlag.VM_SOFTDIRTY);
    }

    /**
     * pte_needs_soft_dirty_wp() (include/linux/mm.h): a tracked VMA's entry that is not soft-dirty
     * must stay write-protected, so that the next write faults and sets the bit.
     */
    static boolean pteNeedsSoftDirtyWp(Mm mm, Vma vma, long pte) {
        return vmaSoftDirtyEnabled(mm, vma) && !pteSoftDirty(pte);
    }

    /**
     * move_soft_dirty_pte() (mm/mremap.c): an entry mremap() moves is marked soft-dirty, present
     * ones with pte_mksoft_dirty(), swap entries and markers with pte_swp_mksoft_dirty().
     */
    static long moveSoftDirtyPte(Mm mm, long pte) {
        if (pteP(pte)) return pteMksoftDirty(mm, pte);
        if (isSwapPte(pte)) return pteSwpMksoftDirty(mm, pte);
        return pte;
    }

    /**
     * The tail of __mmap_complete() (mm/vma.c): a new or expanded VMA always gets VM_SOFTDIRTY, so
     * that a tracker sees an area unmapped and mapped again as new data.
     */
    static void markNewVma(Mm mm, Vma vma) {
        if (supported(mm)) vma.vmFlagsSet(VmFlag.VM_SOFTDIRTY.mask());
    }
}
