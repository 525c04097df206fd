package dev.mmsim.proc;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.VmFlag;
import dev.mmsim.mm.FrameTable;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.MmWalk;
import dev.mmsim.mm.MmWalkOps;
import dev.mmsim.mm.PageWalk;
import dev.mmsim.mm.PmdLeaf;
import dev.mmsim.mm.PteRange;
import dev.mmsim.mm.Vma;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * /proc/pid/smaps and /proc/pid/maps, modelled on show_smap(), smap_gather_stats() with
 * smaps_pte_range()/smaps_pte_entry()/smaps_pmd_entry()/smaps_account() and
 * smaps_hugetlb_range(), show_map_vma() and show_smap_vma_flags() in fs/proc/task_mmu.c.
 */
public final class Smaps {
    private Smaps() {}

    /** PSS_SHIFT: the proportional counters are kept in fixed point with this many fraction bits. */
    static final int PSS_SHIFT = 12;
    /** HPAGE_PMD_NR. */
    static final int HPAGE_PMD_NR = (int) (PMD_SIZE / PAGE_SIZE);

    /** struct mem_size_stats: the counters gathered for one VMA, in bytes (pss ones in fixed point). */
    static final class MemSizeStats {
        long resident;
        long anonymousThp;
        long shmemThp;
        long fileThp;
        long swap;
        long sharedHugetlb;
        long privateHugetlb;
        long pssLocked;
    }

    static final MmWalkOps SMAPS_WALK_OPS = MmWalkOps.builder().pmdEntry(Smaps::smapsPteRange).build();

    /**
     * smaps_pte_range(): a PMD leaf goes to smaps_pmd_entry(), a PTE table entry by entry to
     * smaps_pte_entry().
     */
    static int smapsPteRange(Object[] pmdTable, int index, long addr, long end, MmWalk walk) {
        MemSizeStats mss = walk.priv();
        if (pmdTable[index] instanceof PmdLeaf leaf) {
            smapsPmdEntry(mss, walk.mm().frames(), walk.vma(), leaf.entry);
            return 0;
        }
        if (!(pmdTable[index] instanceof long[] pte)) {
            walk.action = MmWalk.Action.ACTION_AGAIN; // pte_offset_map_lock() found no table
            return 0;
        }
        return PteRange.walk(pte, addr, end, Smaps::smapsPteStep, walk);
    }

    /** One entry of smaps_pte_range()'s loop: smaps_pte_entry(). */
    private static int smapsPteStep(long[] pte, int i, long addr, long end, MmWalk walk) {
        smapsPteEntry(walk.priv(), walk.mm().frames(), walk.vma(), pte[i]);
        return PteRange.NEXT;
    }

    /**
     * smaps_pte_entry(): a present entry with a normal page (vm_normal_page(): not the zero page)
     * is accounted; a swap entry counts in Swap. PTE markers (guard, uffd-wp) count nowhere.
     */
    static void smapsPteEntry(MemSizeStats mss, FrameTable frames, Vma vma, long e) {
        if (pteP(e)) {
            long pfn = ptePfn(e);
            if (pteSpecial(e) || FrameTable.isZeroPfn(pfn)) return;
            smapsAccount(mss, frames, pfn, 1, pteDirty(e), vma.has(VmFlag.VM_LOCKED), true);
        } else if (isSwapPte(e) && !isPteMarker(e)) {
            mss.swap += PAGE_SIZE;
        }
    }

    /**
     * smaps_pmd_entry(): a present PMD leaf maps a 2 MiB folio (vm_normal_page_pmd(): not the huge
     * zero page), counted in AnonHugePages, ShmemPmdMapped or FilePmdMapped by the folio's kind,
     * then accounted as one compound page. Non-present PMD entries (THP migration) are not modelled.
     */
    static void smapsPmdEntry(MemSizeStats mss, FrameTable frames, Vma vma, long pmd) {
        if (!pteP(pmd)) return;
        long pfn = ptePfn(pmd);
        if (pteSpecial(pmd) || FrameTable.isZeroPfn(pfn) || frames.kind(pfn) == FrameTable.ZERO) return;
        if (frames.isAnon(pfn)) mss.anonymousThp += PMD_SIZE;
        else if (vma.isShmem()) mss.shmemThp += PMD_SIZE;
        else mss.fileThp += PMD_SIZE;
        smapsAccount(mss, frames, pfn, HPAGE_PMD_NR, pteDirty(pmd), vma.has(VmFlag.VM_LOCKED), true);
    }

    /**
     * smaps_account() with smaps_page_accumulate(), for the counters mmsim compares: Rss and
     * Locked, which sums the proportional share of each page: a page mapped mapcount times counts
     * 1/mapcount, in PSS_SHIFT fixed point. A folio mapped once counts whole. Model
     * simplification: a compound folio's pages share the mapcount of its head frame.
     */
    static void smapsAccount(MemSizeStats mss, FrameTable frames, long pfn, int nr, boolean dirty, boolean locked,
                             boolean present) {
        long size = (long) nr * PAGE_SIZE;
        mss.resident += size;
        if (!locked) return;
        int mapcount = frames.mapcount(pfn);
        if (mapcount <= 1 || !present) {
            mss.pssLocked += size << PSS_SHIFT;
            return;
        }
        for (int i = 0; i < nr; i++) mss.pssLocked += (PAGE_SIZE << PSS_SHIFT) / mapcount;
    }

    /**
     * walk_hugetlb_range() with smaps_hugetlb_range(): each huge page (a 2 MiB PMD leaf) present
     * in a hugetlb VMA counts in Shared_Hugetlb when mapped more than once
     * (folio_maybe_mapped_shared()), else in Private_Hugetlb; hugetlb pages never count in Rss.
     * A hugetlb VMA is walked with hugetlb_entry only, so smaps_pte_range() never sees it.
     */
    static void smapsHugetlbRange(MemSizeStats mss, Mm mm, Vma vma) {
        for (long addr = vma.start(); addr < vma.end(); addr = (addr & PMD_MASK) + PMD_SIZE) {
            PmdLeaf leaf = mm.pageTables().pmdLeaf(addr);
            if (leaf == null) continue;
            smapsHugetlbEntry(mss, mm.frames(), leaf.entry);
        }
    }

    /** smaps_hugetlb_range() for one huge entry. Non-present entries with a folio (migration) are not modelled. */
    static void smapsHugetlbEntry(MemSizeStats mss, FrameTable frames, long entry) {
        if (!pteP(entry)) return;
        if (frames.mapcount(ptePfn(entry)) > 1) mss.sharedHugetlb += PMD_SIZE;
        else mss.privateHugetlb += PMD_SIZE;
    }

    /** The smaps entries of the VMAs overlapping [start, end). */
    public static List<SmapsEntry> smaps(Mm mm, long start, long end) {
        List<SmapsEntry> out = new ArrayList<>();
        for (Vma vma : mm.vmas(start, end)) out.add(showSmap(mm, vma));
        return out;
    }

    /** show_smap() for one VMA. */
    static SmapsEntry showSmap(Mm mm, Vma vma) {
        MemSizeStats mss = new MemSizeStats();
        if (vma.has(VmFlag.VM_HUGETLB)) {
            smapsHugetlbRange(mss, mm, vma);
        } else {
            PageWalk.walkPageRange(mm, vma.start(), vma.end(), SMAPS_WALK_OPS, mss);
        }
        // smap_gather_stats(): a shmem VMA also counts its object's pages out in swap (shmem_swap_usage()).
        if (vma.isShmem()) mss.swap += vma.file().swappedPages(vma.pgoff(), vma.pgoff() + vma.pages()) * PAGE_SIZE;
        String mnemonics = VmFlag.mnemonics(vma.flags(), mm.semantics().softDirtyConfigured());
        List<String> flags = mnemonics.isEmpty() ? List.of() : Arrays.asList(mnemonics.split(","));
        return new SmapsEntry(vma.start(), vma.end(), perms(vma), flags, mss.resident >> 10, mss.swap >> 10,
                counters(mss));
    }

    /** The optional counters in kB, as __show_smap() prints them (Locked from the fixed-point sum). */
    static Map<SmapsEntry.Counter, Long> counters(MemSizeStats mss) {
        Map<SmapsEntry.Counter, Long> c = new EnumMap<>(SmapsEntry.Counter.class);
        c.put(SmapsEntry.Counter.ANON_HUGE, mss.anonymousThp >> 10);
        c.put(SmapsEntry.Counter.SHMEM_PMD, mss.shmemThp >> 10);
        c.put(SmapsEntry.Counter.FILE_PMD, mss.fileThp >> 10);
        c.put(SmapsEntry.Counter.SHARED_HUGETLB, mss.sharedHugetlb >> 10);
        c.put(SmapsEntry.Counter.PRIVATE_HUGETLB, mss.privateHugetlb >> 10);
        c.put(SmapsEntry.Counter.LOCKED, (mss.pssLocked >> PSS_SHIFT) >> 10);
        return c;
    }

    /** The permission string of show_map_vma(): r, w, x or '-', then s (VM_MAYSHARE) or p. */
    public static String perms(Vma vma) {
        return (vma.has(VmFlag.VM_READ) ? "r" : "-") + (vma.has(VmFlag.VM_WRITE) ? "w" : "-")
                + (vma.has(VmFlag.VM_EXEC) ? "x" : "-") + (vma.has(VmFlag.VM_MAYSHARE) ? "s" : "p");
    }
}
