package dev.mmsim.proc;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.VmFlag;
import dev.mmsim.mm.FrameTable;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.MmWalk;
import dev.mmsim.mm.MmWalkOps;
import dev.mmsim.mm.PageTables;
import dev.mmsim.mm.PageWalk;
import dev.mmsim.mm.PmdLeaf;
import dev.mmsim.mm.PteRange;
import dev.mmsim.mm.Vma;

/**
 * The memory lines of /proc/pid/status that mmsim compares, modelled on task_mem() in
 * fs/proc/task_mmu.c (and hugetlb_report_usage(), mm/hugetlb.c): VmPTE, RssAnon, RssFile,
 * RssShmem, VmLck, VmSwap and HugetlbPages, in kB.
 *
 * <p>The kernel keeps these as counters that the code changing page tables moves as it goes
 * (add_mm_counter() where an entry is installed or zapped, mm_inc_nr_ptes() where a table is
 * allocated, hugetlb_count_add(), mm->locked_vm in mmap, mlock, munmap and mremap). Except for
 * locked_vm, which the kernel does not always keep equal to the locked VMAs' sizes and which the
 * simulator therefore counts as the kernel does ({@link Mm#lockedVm()}), each counter equals what
 * the page tables hold at any moment, and that is how they are derived here:
 * <ul>
 * <li>MM_ANONPAGES: present entries mapping anonymous pages (a PMD-mapped THP counts 512), not the
 *     zero page;</li>
 * <li>MM_FILEPAGES and MM_SHMEMPAGES: present entries mapping page-cache pages, by the kind of
 *     their file (mm_counter_file(): shmem folios are swap-backed);</li>
 * <li>MM_SWAPENTS: swap entries in PTEs (not PTE markers; a shmem page out in swap is in its
 *     file, not in a PTE);</li>
 * <li>mm_pgtables_bytes(): every PTE, PMD and PUD table, plus the PTE table deposited under each
 *     PMD-mapped anonymous THP and huge zero page (pgtable_trans_huge_deposit() with
 *     mm_inc_nr_ptes(): x86 keeps one ready for the split);</li>
 * <li>hugetlb_usage: base pages of the hugetlb entries mapped.</li>
 * </ul>
 */
public final class TaskMem {
    private TaskMem() {}

    /** The seven fields, in kB. */
    public record Counters(long vmPte, long rssAnon, long rssFile, long rssShmem, long vmLck, long vmSwap,
                           long hugetlbPages) {
        /** The fields as task_mem() prints them, in its order. */
        public long[] toArray() {
            return new long[] {vmPte, rssAnon, rssFile, rssShmem, vmLck, vmSwap, hugetlbPages};
        }

        /** The names of {@link #toArray()}'s fields, as /proc/pid/status spells them. */
        public static final java.util.List<String> NAMES =
                java.util.List.of("VmPTE", "RssAnon", "RssFile", "RssShmem", "VmLck", "VmSwap", "HugetlbPages");

        /** The counters from seven values in {@link #NAMES}' order. */
        public static Counters of(long[] kb) {
            return new Counters(kb[0], kb[1], kb[2], kb[3], kb[4], kb[5], kb[6]);
        }
    }

    /** mm->rss_stat, mm_pgtables_bytes() and hugetlb_usage, in pages (tables: in tables). */
    private static final class Rss {
        long anon;
        long file;
        long shmem;
        long swapEnts;
        long hugetlb;
        long deposited;
    }

    private static final MmWalkOps RSS_WALK_OPS = MmWalkOps.builder().pmdEntry(TaskMem::rssPmdEntry).build();

    /** task_mem(): the counters of mm. */
    public static Counters taskMem(Mm mm) {
        Rss rss = new Rss();
        for (Vma vma : mm.vmas()) {
            if (vma.has(VmFlag.VM_HUGETLB)) hugetlbUsage(rss, mm, vma);
            else PageWalk.walkPageRange(mm, vma.start(), vma.end(), RSS_WALK_OPS, rss);
        }
        PageTables pt = mm.pageTables();
        long tables = pt.pteTableCount() + rss.deposited + pt.pmdTableCount() + pt.pudTableCount();
        long kbPerPage = PAGE_SIZE >> 10;
        return new Counters(tables * kbPerPage, rss.anon * kbPerPage, rss.file * kbPerPage, rss.shmem * kbPerPage,
                mm.lockedVm() * kbPerPage, rss.swapEnts * kbPerPage, rss.hugetlb * kbPerPage);
    }

    /** One PMD slot: a leaf counts as a whole; a PTE table entry by entry. */
    private static int rssPmdEntry(Object[] pmdTable, int index, long addr, long end, MmWalk walk) {
        Rss rss = walk.priv();
        if (pmdTable[index] instanceof PmdLeaf leaf) {
            rssPmdLeaf(rss, walk.mm().frames(), walk.vma(), leaf.entry);
            return 0;
        }
        long[] pte = walk.mm().pageTables().pteTable(addr);
        if (pte == null) return 0;
        return PteRange.walk(pte, addr, end, TaskMem::rssPteStep, walk);
    }

    private static int rssPteStep(long[] pte, int i, long addr, long end, MmWalk walk) {
        Rss rss = walk.priv();
        long e = pte[i];
        if (pteP(e)) {
            long pfn = ptePfn(e);
            if (!pteSpecial(e) && !FrameTable.isZeroPfn(pfn))
                count(rss, walk.mm().frames(), walk.vma(), pfn, 1);
        } else if (isSwapPte(e) && !isPteMarker(e)) {
            rss.swapEnts++;
        }
        return PteRange.NEXT;
    }

    /**
     * A present PMD leaf outside hugetlb: an anonymous THP (with its deposited table), the huge zero
     * page (a deposited table, no page counted: vm_normal_page_pmd() has none), or a page-cache THP
     * (no deposit on x86: arch_needs_pgtable_deposit() is false).
     */
    private static void rssPmdLeaf(Rss rss, FrameTable frames, Vma vma, long pmd) {
        if (!pteP(pmd)) return;
        long pfn = ptePfn(pmd);
        if (frames.isHugeZeroPfn(pfn)) {
            rss.deposited++;
            return;
        }
        if (frames.isAnon(pfn)) rss.deposited++;
        count(rss, frames, vma, pfn, (int) (PMD_SIZE / PAGE_SIZE));
    }

    /** add_mm_counter(mm, mm_counter(folio), nr): anonymous, or the file's kind. */
    private static void count(Rss rss, FrameTable frames, Vma vma, long pfn, int nr) {
        if (frames.isAnon(pfn)) rss.anon += nr;
        else if (vma.isShmem()) rss.shmem += nr;
        else rss.file += nr;
    }

    /** hugetlb_count_add() of every present huge entry of a hugetlb VMA (2 MiB leaves on x86-64 here). */
    private static void hugetlbUsage(Rss rss, Mm mm, Vma vma) {
        for (long addr = vma.start(); addr < vma.end(); addr = (addr & PMD_MASK) + PMD_SIZE) {
            PmdLeaf leaf = mm.pageTables().pmdLeaf(addr);
            if (leaf != null && pteP(leaf.entry)) rss.hugetlb += PMD_SIZE / PAGE_SIZE;
        }
    }
}
