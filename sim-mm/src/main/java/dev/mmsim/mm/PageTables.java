package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;

/**
 * A process's 4-level x86-64 page tables: PGD -> PUD -> PMD -> PTE, 512 entries per table
 * (the P4D level is folded, as with 4-level paging). Upper tables are {@code Object[512]}
 * whose slots hold the next table or {@code null} (pgd_none(), pud_none(), pmd_none()); a PTE
 * table is a {@code long[512]} of packed entries ({@link PteBits}). Tables are allocated on demand
 * (__pte_alloc() and friends, mm/memory.c) and freed by {@link #freePgdRange} under the same
 * floor/ceiling rules as free_pgd_range().
 *
 * <p>A PMD slot is empty, points to a PTE table ({@code long[]}), or is a {@link PmdLeaf} mapping
 * 2 MiB itself (a PMD-mapped THP, the huge zero page, or a 2 MiB hugetlb entry).
 */
public final class PageTables {
    private final Object[] pgd = new Object[PTRS_PER_TABLE];
    private long pteTables;

    /** The top-level table; slots hold PUD tables. */
    public Object[] pgd() {
        return pgd;
    }

    /** Number of PTE tables currently allocated. */
    public long pteTableCount() {
        return pteTables;
    }

    /** Number of PMD tables currently allocated (mm->pgtables_bytes counts them: mm_inc_nr_pmds()). */
    public long pmdTableCount() {
        long n = 0;
        for (Object pud : pgd) {
            if (pud == null) continue;
            for (Object pmd : (Object[]) pud) if (pmd != null) n++;
        }
        return n;
    }

    /** Number of PUD tables currently allocated (mm_inc_nr_puds(); the PGD itself is not counted). */
    public long pudTableCount() {
        long n = 0;
        for (Object pud : pgd) if (pud != null) n++;
        return n;
    }

    /** The PMD table covering addr, or null when an upper level is missing. */
    public Object[] pmdTable(long addr) {
        Object[] pud = (Object[]) pgd[pgdIndex(addr)];
        if (pud == null) return null;
        return (Object[]) pud[pudIndex(addr)];
    }

    /** The PTE table covering addr (pte_offset_map()), or null when pmd_none() or a PMD leaf. */
    public long[] pteTable(long addr) {
        Object[] pmd = pmdTable(addr);
        return pmd != null && pmd[pmdIndex(addr)] instanceof long[] t ? t : null;
    }

    /** The PMD leaf covering addr (pmd_leaf()/huge_pte_offset()), or null. */
    public PmdLeaf pmdLeaf(long addr) {
        Object[] pmd = pmdTable(addr);
        return pmd != null && pmd[pmdIndex(addr)] instanceof PmdLeaf l ? l : null;
    }

    /** Installs a PMD leaf at the 2 MiB-aligned slot of addr; the slot must be empty (pmd_none()). */
    public PmdLeaf setPmdLeaf(long addr, long entry) {
        Object[] pmd = pmdAlloc(addr);
        if (pmd[pmdIndex(addr)] != null)
            throw new IllegalStateException("PMD slot at 0x" + Long.toHexString(addr) + " is not empty");
        PmdLeaf leaf = new PmdLeaf(entry);
        pmd[pmdIndex(addr)] = leaf;
        return leaf;
    }

    /** Clears the PMD leaf at addr (pmdp_huge_get_and_clear()). */
    public void clearPmdLeaf(long addr) {
        Object[] pmd = pmdTable(addr);
        if (pmd != null && pmd[pmdIndex(addr)] instanceof PmdLeaf) pmd[pmdIndex(addr)] = null;
    }

    /** The packed entry at addr, 0 when no table holds it. */
    public long pte(long addr) {
        long[] t = pteTable(addr);
        return t == null ? 0 : t[pteIndex(addr)];
    }

    /** __pud_alloc/__pmd_alloc/__pte_alloc: the PTE table for addr, allocating every level on the way. */
    public long[] pteAlloc(long addr) {
        Object[] pud = (Object[]) pgd[pgdIndex(addr)];
        if (pud == null) pgd[pgdIndex(addr)] = pud = new Object[PTRS_PER_TABLE];
        Object[] pmd = (Object[]) pud[pudIndex(addr)];
        if (pmd == null) pud[pudIndex(addr)] = pmd = new Object[PTRS_PER_TABLE];
        if (pmd[pmdIndex(addr)] instanceof PmdLeaf)
            throw new IllegalStateException("PTE table wanted where a PMD leaf maps 0x" + Long.toHexString(addr));
        long[] pte = (long[]) pmd[pmdIndex(addr)];
        if (pte == null) {
            pmd[pmdIndex(addr)] = pte = new long[PTRS_PER_TABLE];
            pteTables++;
        }
        return pte;
    }

    /** __pmd_alloc for walkers that install entries: ensure the PMD table exists. */
    public Object[] pmdAlloc(long addr) {
        Object[] pud = (Object[]) pgd[pgdIndex(addr)];
        if (pud == null) pgd[pgdIndex(addr)] = pud = new Object[PTRS_PER_TABLE];
        Object[] pmd = (Object[]) pud[pudIndex(addr)];
        if (pmd == null) pud[pudIndex(addr)] = pmd = new Object[PTRS_PER_TABLE];
        return pmd;
    }

    /** __pud_alloc() for walkers that install entries: ensure the PUD table covering addr exists. */
    public Object[] pudAlloc(long addr) {
        Object[] pud = (Object[]) pgd[pgdIndex(addr)];
        if (pud == null) pgd[pgdIndex(addr)] = pud = new Object[PTRS_PER_TABLE];
        return pud;
    }

    /** move_normal_pud(): the PMD table at src moves to the empty PUD slot at dst. */
    public void movePmdTable(long src, long dst) {
        Object[] from = (Object[]) pgd[pgdIndex(src)];
        Object table = from[pudIndex(src)];
        from[pudIndex(src)] = null;
        pudAlloc(dst)[pudIndex(dst)] = table;
    }

    /** Installs an entry, allocating tables as needed. */
    public void setPte(long addr, long value) {
        pteAlloc(addr)[pteIndex(addr)] = value;
    }

    /** move_normal_pmd() / move_huge_pmd(): the PTE table or PMD leaf at src moves to the empty PMD slot at dst. */
    public void movePteTable(long src, long dst) {
        Object[] from = pmdTable(src);
        Object table = from[pmdIndex(src)];
        from[pmdIndex(src)] = null;
        pmdAlloc(dst)[pmdIndex(dst)] = table;
    }

    /**
     * Frees the PTE table covering addr (as reclaim of an empty table does, mm/pt_reclaim.c).
     * The caller has checked that it holds only none entries.
     */
    public void freePteTable(long addr) {
        Object[] pmd = pmdTable(addr);
        if (pmd != null && pmd[pmdIndex(addr)] instanceof long[]) {
            pmd[pmdIndex(addr)] = null;
            pteTables--;
        }
    }

    /**
     * Models free_pgd_range(), mm/memory.c: frees the page tables that map only [addr, end), never
     * a table that also maps something below floor or at/above ceiling (ceiling 0 = top of the
     * address space). PTE tables are freed at PMD granularity, PMD tables when their whole PUD
     * range is inside the bounds, PUD tables likewise at PGDIR granularity.
     */
    public void freePgdRange(long addr, long end, long floor, long ceiling) {
        addr &= PMD_MASK;
        if (Long.compareUnsigned(addr, floor) < 0) {
            addr += PMD_SIZE;
            if (addr == 0) return;
        }
        if (ceiling != 0) {
            ceiling &= PMD_MASK;
            if (ceiling == 0) return;
        }
        if (Long.compareUnsigned(end - 1, ceiling - 1) > 0) end -= PMD_SIZE;
        if (Long.compareUnsigned(addr, end - 1) > 0) return;

        long next;
        do {
            next = pgdAddrEnd(addr, end);
            Object[] pud = (Object[]) pgd[pgdIndex(addr)];
            if (pud != null) {
                freePudRange(pud, addr, next, floor, ceiling);
                if (isFreeable(addr, next, PGDIR_MASK, floor, ceiling)) {
                    for (Object pmd : pud) if (pmd != null) pteTables -= countTables((Object[]) pmd);
                    pgd[pgdIndex(addr)] = null;
                }
            }
        } while ((addr = next) != end);
    }

    private void freePudRange(Object[] pud, long addr, long end, long floor, long ceiling) {
        long next;
        do {
            next = pudAddrEnd(addr, end);
            Object[] pmd = (Object[]) pud[pudIndex(addr)];
            if (pmd != null) {
                freePmdRange(pmd, addr, next);
                if (isFreeable(addr, next, PUD_MASK, floor, ceiling)) {
                    pteTables -= countTables(pmd);
                    pud[pudIndex(addr)] = null;
                }
            }
        } while ((addr = next) != end);
    }

    private static int countTables(Object[] table) {
        int n = 0;
        for (Object o : table) if (o instanceof long[]) n++;
        return n;
    }

    private void freePmdRange(Object[] pmd, long addr, long end) {
        long next;
        do {
            next = pmdAddrEnd(addr, end);
            Object slot = pmd[pmdIndex(addr)];
            pmd[pmdIndex(addr)] = null;
            if (slot instanceof long[]) pteTables--;
        } while ((addr = next) != end);
    }

    /** The "start &= MASK; if (start < floor) return; ... if (end - 1 > ceiling - 1) return" test. */
    private static boolean isFreeable(long start, long end, long mask, long floor, long ceiling) {
        start &= mask;
        if (Long.compareUnsigned(start, floor) < 0) return false;
        if (ceiling != 0) {
            ceiling &= mask;
            if (ceiling == 0) return false;
        }
        return Long.compareUnsigned(end - 1, ceiling - 1) <= 0;
    }
}
