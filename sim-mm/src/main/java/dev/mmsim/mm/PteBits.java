package dev.mmsim.mm;

import dev.mmsim.core.Geometry;

/**
 * The packed encoding of a page-table entry in a {@code long}, with static helpers named after
 * the kernel macros that test the same bits (arch/x86/include/asm/pgtable.h, pgtable_types.h,
 * include/linux/swapops.h, include/linux/leafops.h). The hot paths (the walker, PAGEMAP_SCAN,
 * pagemap) test bits with these helpers and never allocate; everything else reads the decoded
 * view {@link Pte}.
 *
 * <p>Present entries use the x86-64 bit positions. Non-present entries are a model encoding
 * (x86 stores swap entries inverted across other bits; mmsim keeps type and offset plain):
 * <pre>
 *  present:      bit 0 = 1, 1 RW, 2 USER, 5 ACCESSED, 6 DIRTY, 7 PSE (PMD leaves), 9 SPECIAL, 10 UFFD_WP,
 *                11 SOFT_DIRTY, 12..51 PFN
 *  non-present:  bit 0 = 0, 1 SWP_SOFT_DIRTY, 2 SWP_UFFD_WP, 3 SWP_EXCLUSIVE,
 *                12..58 swap offset, 59..63 swap type (31 = PTE marker)
 *  none:         0
 * </pre>
 * A PTE marker (swap type {@link #SWP_PTE_MARKER}) carries its marker bits in the offset:
 * {@link #PTE_MARKER_UFFD_WP} and {@link #PTE_MARKER_GUARD}, which is also what
 * /proc/pid/pagemap reports as the offset (4 for a guard marker, 1 for a uffd-wp marker).
 */
public final class PteBits {
    private PteBits() {}

    public static final long _PAGE_PRESENT = 1L << 0;
    public static final long _PAGE_RW = 1L << 1;
    public static final long _PAGE_USER = 1L << 2;
    public static final long _PAGE_ACCESSED = 1L << 5;
    public static final long _PAGE_DIRTY = 1L << 6;
    /** _PAGE_PSE: a present PMD entry that maps 2 MiB itself (pmd_leaf()). */
    public static final long _PAGE_PSE = 1L << 7;
    public static final long _PAGE_SPECIAL = 1L << 9;
    public static final long _PAGE_UFFD_WP = 1L << 10;
    public static final long _PAGE_SOFT_DIRTY = 1L << 11;
    public static final int PFN_SHIFT = Geometry.PAGE_SHIFT;
    public static final long PFN_MASK = ((1L << 52) - 1) & ~((1L << PFN_SHIFT) - 1);

    public static final long _PAGE_SWP_SOFT_DIRTY = 1L << 1;
    public static final long _PAGE_SWP_UFFD_WP = 1L << 2;
    public static final long _PAGE_SWP_EXCLUSIVE = 1L << 3;
    public static final int SWP_OFFSET_SHIFT = 12;
    public static final int SWP_TYPE_SHIFT = 59;
    public static final long SWP_OFFSET_MASK = (1L << (SWP_TYPE_SHIFT - SWP_OFFSET_SHIFT)) - 1;

    /** MAX_SWAPFILES_SHIFT: pagemap packs the swap type into 5 bits. */
    public static final int MAX_SWAPFILES_SHIFT = 5;
    /** The swap type that holds PTE markers (pagemap shows it as 31). */
    public static final int SWP_PTE_MARKER = 31;
    /** PTE_MARKER_UFFD_WP (include/linux/swapops.h). */
    public static final long PTE_MARKER_UFFD_WP = 1L << 0;
    /** PTE_MARKER_POISONED. */
    public static final long PTE_MARKER_POISONED = 1L << 1;
    /** PTE_MARKER_GUARD. */
    public static final long PTE_MARKER_GUARD = 1L << 2;

    /** pte_none(). */
    public static boolean pteNone(long pte) {
        return pte == 0;
    }

    /** pte_present(). */
    public static boolean pteP(long pte) {
        return (pte & _PAGE_PRESENT) != 0;
    }

    /** pte_write(). */
    public static boolean pteWrite(long pte) {
        return (pte & _PAGE_RW) != 0;
    }

    /** pte_dirty(). */
    public static boolean pteDirty(long pte) {
        return (pte & _PAGE_DIRTY) != 0;
    }

    /** pte_special(): a PFN without a normal struct page behind it, such as the zero page. */
    public static boolean pteSpecial(long pte) {
        return (pte & _PAGE_SPECIAL) != 0;
    }

    /** pte_pfn(). */
    public static long ptePfn(long pte) {
        return (pte & PFN_MASK) >>> PFN_SHIFT;
    }

    /** pte_uffd_wp() on a present entry. */
    public static boolean pteUffdWp(long pte) {
        return (pte & _PAGE_UFFD_WP) != 0;
    }

    /** pte_soft_dirty() on a present entry. */
    public static boolean pteSoftDirty(long pte) {
        return (pte & _PAGE_SOFT_DIRTY) != 0;
    }

    /** is_swap_pte(): neither none nor present. */
    public static boolean isSwapPte(long pte) {
        return pte != 0 && !pteP(pte);
    }

    /** pte_swp_uffd_wp(). */
    public static boolean pteSwpUffdWp(long pte) {
        return (pte & _PAGE_SWP_UFFD_WP) != 0;
    }

    /** pte_swp_soft_dirty(). */
    public static boolean pteSwpSoftDirty(long pte) {
        return (pte & _PAGE_SWP_SOFT_DIRTY) != 0;
    }

    /** pte_swp_exclusive(). */
    public static boolean pteSwpExclusive(long pte) {
        return (pte & _PAGE_SWP_EXCLUSIVE) != 0;
    }

    /** swp_type(). */
    public static int swpType(long pte) {
        return (int) (pte >>> SWP_TYPE_SHIFT);
    }

    /** swp_offset(). */
    public static long swpOffset(long pte) {
        return (pte >>> SWP_OFFSET_SHIFT) & SWP_OFFSET_MASK;
    }

    /** is_pte_marker(). */
    public static boolean isPteMarker(long pte) {
        return isSwapPte(pte) && swpType(pte) == SWP_PTE_MARKER;
    }

    /** is_guard_pte_marker() / softleaf_is_guard_marker(). */
    public static boolean isGuardMarker(long pte) {
        return isPteMarker(pte) && (swpOffset(pte) & PTE_MARKER_GUARD) != 0;
    }

    /** pte_marker_entry_uffd_wp() / softleaf_is_uffd_wp_marker(). */
    public static boolean isUffdWpMarker(long pte) {
        return isPteMarker(pte) && (swpOffset(pte) & PTE_MARKER_UFFD_WP) != 0;
    }

    /** pte_swp_uffd_wp_any(): a swap entry with the uffd-wp bit, or a uffd-wp marker. */
    public static boolean pteSwpUffdWpAny(long pte) {
        return isSwapPte(pte) && (pteSwpUffdWp(pte) || isUffdWpMarker(pte));
    }

    /** pfn_pte() for a user page: present, user, with optional write permission. */
    public static long mkPresent(long pfn, boolean write, boolean dirty, boolean special) {
        long v = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | (pfn << PFN_SHIFT);
        if (write) v |= _PAGE_RW;
        if (dirty) v |= _PAGE_DIRTY;
        if (special) v |= _PAGE_SPECIAL;
        return v;
    }

    /** swp_entry_to_pte(swp_entry(type, offset)). */
    public static long mkSwap(int type, long offset) {
        return ((long) type << SWP_TYPE_SHIFT) | ((offset & SWP_OFFSET_MASK) << SWP_OFFSET_SHIFT);
    }

    /** make_pte_marker(). */
    public static long mkMarker(long markerBits) {
        return mkSwap(SWP_PTE_MARKER, markerBits);
    }

    /** pte_wrprotect(). */
    public static long pteWrprotect(long pte) {
        return pte & ~_PAGE_RW;
    }

    /** pte_mkwrite(pte_mkdirty()). */
    public static long pteMkwriteDirty(long pte) {
        return pte | _PAGE_RW | _PAGE_DIRTY;
    }
}
