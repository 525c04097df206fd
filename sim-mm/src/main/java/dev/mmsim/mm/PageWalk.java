package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.VmFlag;

/**
 * The generic page-table walker, modelled on mm/pagewalk.c. {@link #walkPageRange} visits the
 * VMAs overlapping [start, end) (ranges outside any VMA go to pte_hole with depth -1), asks
 * test_walk (or the default filter) whether to walk each, and descends the page tables level by
 * level, calling pte_hole for a missing table at the depth where it is missing, pmd_entry for each
 * present PMD slot and pte_entry for each entry of a PTE table. With install_pte set, missing
 * tables are allocated instead and empty entries are handed to install_pte.
 */
public final class PageWalk {
    private PageWalk() {}

    /**
     * walk_page_range_vma(): walks [start, end) of one VMA, which must hold the range (EINVAL
     * otherwise); no test_walk is consulted.
     */
    public static int walkPageRangeVma(Mm mm, Vma vma, long start, long end, MmWalkOps ops, Object priv) {
        if (Long.compareUnsigned(start, end) >= 0) return Errno.EINVAL.neg();
        if (start < vma.start() || end > vma.end()) return Errno.EINVAL.neg();
        MmWalk walk = new MmWalk(mm, ops, priv);
        walk.vma = vma;
        return walkPageRangeInner(start, end, walk);
    }

    /** walk_page_range(). */
    public static int walkPageRange(Mm mm, long start, long end, MmWalkOps ops, Object priv) {
        return walkPageRangeMm(mm, start, end, ops, priv);
    }

    /** walk_page_range_mm_unsafe(): the VMA loop. */
    public static int walkPageRangeMm(Mm mm, long start, long end, MmWalkOps ops, Object priv) {
        if (Long.compareUnsigned(start, end) >= 0) return Errno.EINVAL.neg();
        MmWalk walk = new MmWalk(mm, ops, priv);
        VmaIterator vmi = new VmaIterator(mm, start);
        Vma vma = vmi.next();
        int err = 0;
        long next;
        do {
            if (vma == null) {
                walk.vma = null;
                next = end;
                if (ops.pteHole() != null) err = ops.pteHole().apply(start, next, -1, walk);
            } else if (start < vma.start()) {
                walk.vma = null;
                next = Math.min(end, vma.start());
                if (ops.pteHole() != null) err = ops.pteHole().apply(start, next, -1, walk);
            } else {
                walk.vma = vma;
                next = Math.min(end, vma.end());
                // find_vma(mm, vma->vm_end): from the iterator standing at vma, a step
                vmi.set(vma.end());
                vma = vmi.next();
                err = walkPageTest(start, next, walk);
                if (err > 0) {
                    err = 0;
                    continue;
                }
                if (err < 0) break;
                err = walkPageRangeInner(start, next, walk);
            }
            if (err != 0) break;
        } while ((start = next) < end);
        return err;
    }

    /** walk_page_test(): test_walk if set; by default VM_PFNMAP VMAs go to pte_hole and are skipped. */
    static int walkPageTest(long start, long end, MmWalk walk) {
        MmWalkOps ops = walk.ops();
        if (ops.testWalk() != null) return ops.testWalk().apply(start, end, walk);
        if (walk.vma.has(VmFlag.VM_PFNMAP)) {
            int err = 1;
            if (ops.pteHole() != null) err = ops.pteHole().apply(start, end, -1, walk);
            return err != 0 ? err : 1;
        }
        return 0;
    }

    /**
     * __walk_page_range(): a hugetlb VMA is walked by walk_hugetlb_range() when the walk has a
     * hugetlb_entry, and not at all otherwise; install_pte cannot be used there (EINVAL).
     */
    static int walkPageRangeInner(long start, long end, MmWalk walk) {
        if (walk.vma != null && walk.vma.isHugetlb()) {
            if (walk.ops().installPte() != null) return Errno.EINVAL.neg();
            return walk.ops().hugetlbEntry() != null ? walkHugetlbRange(start, end, walk) : 0;
        }
        return walkPgdRange(start, end, walk);
    }

    /**
     * walk_hugetlb_range(): one call per huge page (hugetlb_entry_end()); hugetlb_walk() finds the
     * PMD slot when the PMD table exists, whether or not the slot maps a page, and hugetlb_entry
     * gets it; without a PMD table the range goes to pte_hole with depth -1.
     */
    static int walkHugetlbRange(long addr, long end, MmWalk walk) {
        MmWalkOps ops = walk.ops();
        long hmask = Hugetlb.HPAGE_MASK;
        int err = 0;
        long next;
        do {
            next = Math.min((addr & hmask) + Hugetlb.HPAGE_SIZE, end);
            Object[] pmd = walk.mm().pageTables().pmdTable(addr & hmask);
            if (pmd != null) err = ops.hugetlbEntry().apply(pmd, pmdIndex(addr), hmask, addr, next, walk);
            else if (ops.pteHole() != null) err = ops.pteHole().apply(addr, next, -1, walk);
            if (err != 0) break;
        } while ((addr = next) != end);
        return err;
    }

    /** walk_pgd_range() (the P4D level is folded into it, as with 4-level paging). */
    static int walkPgdRange(long addr, long end, MmWalk walk) {
        MmWalkOps ops = walk.ops();
        boolean hasHandler = ops.pudEntry() != null || ops.pmdEntry() != null || ops.pteEntry() != null;
        boolean hasInstall = ops.installPte() != null;
        Object[] pgd = walk.mm().pageTables().pgd();
        int err = 0;
        long next;
        do {
            next = pgdAddrEnd(addr, end);
            Object[] pud = (Object[]) pgd[pgdIndex(addr)];
            if (pud == null) {
                if (hasInstall) {
                    walk.mm().pageTables().pmdAlloc(addr);
                    pud = (Object[]) pgd[pgdIndex(addr)];
                } else {
                    if (ops.pteHole() != null) err = ops.pteHole().apply(addr, next, 0, walk);
                    if (err != 0) break;
                    continue;
                }
            }
            if (hasHandler || hasInstall) err = walkPudRange(pud, addr, next, walk);
            if (err != 0) break;
        } while ((addr = next) != end);
        return err;
    }

    /** walk_pud_range(). */
    static int walkPudRange(Object[] pud, long addr, long end, MmWalk walk) {
        MmWalkOps ops = walk.ops();
        boolean hasHandler = ops.pmdEntry() != null || ops.pteEntry() != null;
        boolean hasInstall = ops.installPte() != null;
        int err = 0;
        long next;
        do {
            next = pudAddrEnd(addr, end);
            int i = pudIndex(addr);
            // again:
            while (true) {
                if (pud[i] == null) {
                    if (hasInstall) {
                        pud[i] = new Object[PTRS_PER_TABLE];
                    } else {
                        if (ops.pteHole() != null) err = ops.pteHole().apply(addr, next, 2, walk);
                        break;
                    }
                }
                walk.action = MmWalk.Action.ACTION_SUBTREE;
                if (ops.pudEntry() != null) err = ops.pudEntry().apply(pud, i, addr, next, walk);
                if (err != 0) break;
                if (walk.action == MmWalk.Action.ACTION_AGAIN) continue;
                if (walk.action == MmWalk.Action.ACTION_CONTINUE) break;
                if (!hasHandler && !hasInstall) break;
                // the model has no PUD leaves (split_huge_pud() has nothing to do)
                err = walkPmdRange((Object[]) pud[i], addr, next, walk);
                if (err != 0 || walk.action != MmWalk.Action.ACTION_AGAIN) break;
            }
            if (err != 0) break;
        } while ((addr = next) != end);
        return err;
    }

    /** walk_pmd_range(). */
    static int walkPmdRange(Object[] pmd, long addr, long end, MmWalk walk) {
        MmWalkOps ops = walk.ops();
        boolean hasHandler = ops.pteEntry() != null;
        boolean hasInstall = ops.installPte() != null;
        int err = 0;
        long next;
        do {
            next = pmdAddrEnd(addr, end);
            int i = pmdIndex(addr);
            // again:
            while (true) {
                if (pmd[i] == null) {
                    if (hasInstall) {
                        walk.mm().pageTables().pteAlloc(addr);
                    } else {
                        if (ops.pteHole() != null) err = ops.pteHole().apply(addr, next, 3, walk);
                        break;
                    }
                }
                walk.action = MmWalk.Action.ACTION_SUBTREE;
                if (ops.pmdEntry() != null) err = ops.pmdEntry().apply(pmd, i, addr, next, walk);
                if (err != 0) break;
                if (walk.action == MmWalk.Action.ACTION_AGAIN) continue;
                if (walk.action == MmWalk.Action.ACTION_CONTINUE) break;
                if (!hasHandler) {
                    if (!hasInstall) break;
                    // only installing: a present huge leaf is not split
                    if (pmd[i] instanceof PmdLeaf) break;
                }
                // a walker that looks at PTEs splits a PMD leaf first (split_huge_pmd())
                if (pmd[i] instanceof PmdLeaf) {
                    if (walk.vma == null) break;
                    HugeMemory.splitHugePmd(walk.mm(), walk.vma, addr);
                }
                err = walkPteRange(pmd, i, addr, next, walk);
                if (err != 0 || walk.action != MmWalk.Action.ACTION_AGAIN) break;
            }
            if (err != 0) break;
        } while ((addr = next) != end);
        return err;
    }

    /**
     * walk_pte_range(): the PTE table of the PMD slot (pte_offset_map_lock()); where the slot holds
     * none (it is empty or a leaf again), ACTION_AGAIN sends walk_pmd_range() back to the slot.
     */
    static int walkPteRange(Object[] pmd, int index, long addr, long end, MmWalk walk) {
        if (!(pmd[index] instanceof long[] pte)) {
            walk.action = MmWalk.Action.ACTION_AGAIN;
            return 0;
        }
        int err = PteRange.walk(pte, addr, end, PageWalk::walkPteEntry, walk);
        if (err == 0) err = walk.takeStop();
        return err;
    }

    /**
     * One step of walk_pte_range_inner(): install_pte into an empty entry, else pte_entry. A
     * positive return of pte_entry (stop the walk with that value) is kept in the walk while
     * the loop breaks off.
     */
    private static int walkPteEntry(long[] pte, int i, long addr, long end, MmWalk walk) {
        MmWalkOps ops = walk.ops();
        if (ops.installPte() != null && pte[i] == 0) {
            pte[i] = ops.installPte().apply(addr, addr + PAGE_SIZE, walk);
            return PteRange.NEXT;
        }
        if (ops.pteEntry() == null) return PteRange.NEXT;
        int err = ops.pteEntry().apply(pte, i, addr, addr + PAGE_SIZE, walk);
        if (err < 0) return err;
        if (err > 0) {
            walk.stop = err;
            return PteRange.BREAK;
        }
        return PteRange.NEXT;
    }
}
