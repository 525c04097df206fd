package dev.mmsim.proc;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.VmFlag;
import dev.mmsim.mm.FrameTable;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.MmWalk;
import dev.mmsim.mm.MmWalkOps;
import dev.mmsim.mm.PageWalk;
import dev.mmsim.mm.PmdLeaf;
import dev.mmsim.mm.PteRange;
import dev.mmsim.mm.Vma;

import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;

/**
 * /proc/pid/pagemap, modelled on pagemap_read(), pagemap_pmd_range(), pagemap_pte_hole() and
 * pte_to_pagemap_entry() in fs/proc/task_mmu.c: one 64-bit word per virtual page.
 */
public final class Pagemap {
    private Pagemap() {}

    public static final long PM_PFRAME_MASK = (1L << 55) - 1;
    public static final long PM_SOFT_DIRTY = 1L << 55;
    public static final long PM_MMAP_EXCLUSIVE = 1L << 56;
    public static final long PM_UFFD_WP = 1L << 57;
    public static final long PM_GUARD_REGION = 1L << 58;
    public static final long PM_FILE = 1L << 61;
    public static final long PM_SWAP = 1L << 62;
    public static final long PM_PRESENT = 1L << 63;
    /** sizeof(pagemap_entry_t). */
    public static final int PM_ENTRY_BYTES = 8;

    /** The result of a read: the words read, or a negative errno. */
    public record ReadResult(long error, long[] words) {}

    /**
     * pagemap_read(): reads count bytes at file offset pos. Offset and count must be multiples of
     * 8 (EINVAL); a read starting at or beyond TASK_SIZE returns nothing; the walk goes PMD by PMD.
     * The reader is privileged (show_pfn). The VFS checks the file range first
     * ({@link #rwVerifyArea}).
     */
    public static ReadResult pagemapRead(Mm mm, long pos, long count) {
        return pagemapRead(mm, pos, count, null, 0);
    }

    /**
     * pread(2) of mm's pagemap into the user buffer buf of bufMm (the reading process): vfs_read()
     * first checks the buffer's range (access_ok(): EFAULT), then the file range; pagemap_read()
     * copies each PMD's worth of words as it goes (copy_to_user(), faulting the buffer's pages in)
     * and fails with EFAULT, whatever it copied before, when a copy cannot be done.
     */
    public static ReadResult pread(Mm mm, long pos, long count, Mm bufMm, long buf) {
        if (!PagemapScan.accessOk(bufMm, buf, count)) return new ReadResult(Errno.EFAULT.neg(), null);
        return pagemapRead(mm, pos, count, bufMm, buf);
    }

    private static ReadResult pagemapRead(Mm mm, long pos, long count, Mm bufMm, long user) {
        int verified = rwVerifyArea(pos, count);
        if (verified != 0) return new ReadResult(verified, null);
        if (pos % PM_ENTRY_BYTES != 0 || count % PM_ENTRY_BYTES != 0) return new ReadResult(Errno.EINVAL.neg(), null);
        if (count == 0) return new ReadResult(0, new long[0]);
        long svpfn = Long.divideUnsigned(pos, PM_ENTRY_BYTES);
        long endVaddr = mm.taskSize();
        long startVaddr = endVaddr;
        if (Long.compareUnsigned(svpfn, -1L >>> PAGE_SHIFT) <= 0) {
            startVaddr = svpfn << PAGE_SHIFT;
            long end = startVaddr + ((count / PM_ENTRY_BYTES) << PAGE_SHIFT);
            if (Long.compareUnsigned(end, startVaddr) >= 0 && Long.compareUnsigned(end, mm.taskSize()) < 0) endVaddr = end;
        }
        if (Long.compareUnsigned(startVaddr, mm.taskSize()) > 0) startVaddr = endVaddr;
        LongArrayList out = new LongArrayList();
        while (count > 0 && Long.compareUnsigned(startVaddr, endVaddr) < 0) {
            long end = (startVaddr + PMD_SIZE) & PMD_MASK;
            if (Long.compareUnsigned(end, startVaddr) < 0 || Long.compareUnsigned(end, endVaddr) > 0) end = endVaddr;
            LongArrayList buf = new LongArrayList();
            PageWalk.walkPageRange(mm, startVaddr, end, OPS, buf);
            startVaddr = end;
            int n = (int) Math.min(count / PM_ENTRY_BYTES, buf.size());
            if (bufMm != null) {
                if (!PagemapScan.copyToUser(bufMm, user, (long) n * PM_ENTRY_BYTES)) {
                    return new ReadResult(Errno.EFAULT.neg(), null);
                }
                user += (long) n * PM_ENTRY_BYTES;
            }
            for (int i = 0; i < n; i++) out.add(buf.get(i));
            count -= (long) n * PM_ENTRY_BYTES;
        }
        return new ReadResult(0, out.toArray());
    }

    /**
     * Models rw_verify_area(), fs/read_write.c, for a read of /proc/pid/pagemap: its open does not
     * set FMODE_UNSIGNED_OFFSET, so a negative position, or one whose end pos + count passes the
     * largest loff_t, fails with EINVAL before pagemap_read() runs.
     */
    static int rwVerifyArea(long pos, long count) {
        if (count < 0 || pos < 0) return Errno.EINVAL.neg();
        if (pos + count < 0) return Errno.EINVAL.neg();
        return 0;
    }

    /** The entries for [addr, addr + pages pages), as a read of the matching file range gives them. */
    public static ReadResult entries(Mm mm, long addr, long pages) {
        return pagemapRead(mm, (addr >>> PAGE_SHIFT) * PM_ENTRY_BYTES, pages * PM_ENTRY_BYTES);
    }

    /** pagemap_ops. */
    static final MmWalkOps OPS = MmWalkOps.builder()
            .pmdEntry(Pagemap::pagemapPmdRange)
            .pteHole(Pagemap::pagemapPteHole)
            .hugetlbEntry(Pagemap::pagemapHugetlbRange)
            .build();

    /** pagemap_pte_hole(): zero words, soft-dirty inside VM_SOFTDIRTY VMAs. */
    static int pagemapPteHole(long start, long end, int depth, MmWalk walk) {
        LongArrayList buf = walk.priv();
        long addr = start;
        while (addr < end) {
            Vma vma = walk.mm().findVma(addr);
            long holeEnd = vma == null ? end : Math.min(end, vma.start());
            for (; addr < holeEnd; addr += PAGE_SIZE) buf.add(0);
            if (vma == null) break;
            long pme = vma.has(VmFlag.VM_SOFTDIRTY) ? PM_SOFT_DIRTY : 0;
            for (; addr < Math.min(end, vma.end()); addr += PAGE_SIZE) buf.add(pme);
        }
        return 0;
    }

    /** pagemap_pmd_range(): one word per PTE, or per base page of a PMD leaf. */
    static int pagemapPmdRange(Object[] pmdTable, int index, long addr, long end, MmWalk walk) {
        LongArrayList buf = walk.priv();
        if (pmdTable[index] instanceof PmdLeaf leaf) return pagemapPmdRangeThp(walk.mm(), walk.vma(), leaf.entry, addr, end, buf);
        if (!(pmdTable[index] instanceof long[] pte)) {
            walk.action = MmWalk.Action.ACTION_AGAIN; // pte_offset_map_lock() found no table
            return 0;
        }
        return PteRange.walk(pte, addr, end, Pagemap::pagemapPteStep, walk);
    }

    /** One entry of pagemap_pmd_range()'s loop: pte_to_pagemap_entry() and add_to_pagemap(). */
    private static int pagemapPteStep(long[] pte, int i, long addr, long end, MmWalk walk) {
        walk.<LongArrayList>priv().add(pteToPagemapEntry(walk.mm(), walk.vma(), pte[i]));
        return PteRange.NEXT;
    }

    /**
     * pagemap_pmd_range_thp(): every base page under a present PMD leaf is present, with its own
     * PFN (the leaf's plus its index). The page is pmd_page(), not vm_normal_page_pmd(), so the huge
     * zero page counts too: its folio is not anonymous, so it is PM_FILE like a page-cache folio
     * (measured on Debian's 6.12; the same code from 6.11 to mainline of 2026). Semantic
     * PAGEMAP_PMD_FILE off (before 6.11): this path never set PM_FILE. PM_MMAP_EXCLUSIVE follows
     * {@link #mappedExclusively} of the leaf's first page for every page (before 6.11, and since
     * 6.15: semantic PAGEMAP_FOLIO_EXCLUSIVE), or of each page (6.11 to 6.14); the huge zero folio
     * is never rmap'd, so its precise mapcount is 0 and it is never exclusive.
     */
    static int pagemapPmdRangeThp(Mm mm, Vma vma, long pmd, long addr, long end, LongArrayList buf) {
        long idx = (addr & ~PMD_MASK) >>> PAGE_SHIFT;
        long flags = 0;
        if (vma.has(VmFlag.VM_SOFTDIRTY)) flags |= PM_SOFT_DIRTY;
        long frame = 0;
        boolean present = pteP(pmd);
        boolean hugeZero = present && mm.frames().isHugeZeroPfn(ptePfn(pmd));
        if (present) {
            flags |= PM_PRESENT;
            if (pteSoftDirty(pmd)) flags |= PM_SOFT_DIRTY;
            if (pteUffdWp(pmd)) flags |= PM_UFFD_WP;
            frame = ptePfn(pmd) + idx;
            if (mm.frames().kind(ptePfn(pmd)) != FrameTable.ANON && mm.semantics().on(Semantic.PAGEMAP_PMD_FILE)) {
                flags |= PM_FILE;
            }
        }
        // Semantic PAGEMAP_FOLIO_EXCLUSIVE on (6.15, with CONFIG_PAGE_MAPCOUNT as the hosts have it),
        // and before 6.11: every page of the leaf takes the leaf's first page's mapcount; off (6.11
        // to 6.14): each page its own.
        boolean firstPageRule = mm.semantics().on(Semantic.PAGEMAP_FOLIO_EXCLUSIVE) || mm.semantics().profile().minor() < 11;
        for (; addr != end; addr += PAGE_SIZE, idx++) {
            long cur = flags;
            if (present && !hugeZero && mappedExclusively(mm, firstPageRule ? ptePfn(pmd) : frame)) cur |= PM_MMAP_EXCLUSIVE;
            buf.add((frame & PM_PFRAME_MASK) | cur);
            if (present) frame++;
        }
        return 0;
    }

    /**
     * pagemap_hugetlb_range(): the words of one huge page, within [addr, end). A present page
     * gives PM_PRESENT with the PFN of each base page in turn, PM_FILE unless the folio is
     * anonymous (a shared mapping's page-cache page), and PM_MMAP_EXCLUSIVE while the folio is
     * mapped once; a uffd-wp marker gives PM_UFFD_WP alone; an empty entry gives zero words
     * (soft-dirty aside, as everywhere).
     */
    static int pagemapHugetlbRange(Object[] pmdTable, int index, long hmask, long addr, long end, MmWalk walk) {
        LongArrayList buf = walk.priv();
        long flags = 0;
        long frame = 0;
        if (walk.vma().has(VmFlag.VM_SOFTDIRTY)) flags |= PM_SOFT_DIRTY;
        if (pmdTable[index] instanceof PmdLeaf leaf && pteP(leaf.entry)) {
            long pfn = ptePfn(leaf.entry);
            if (walk.mm().frames().kind(pfn) != FrameTable.HUGETLB_ANON) flags |= PM_FILE;
            if (walk.mm().frames().mapcount(pfn) == 1) flags |= PM_MMAP_EXCLUSIVE;
            if (pteUffdWp(leaf.entry)) flags |= PM_UFFD_WP;
            flags |= PM_PRESENT;
            frame = pfn + ((addr & ~hmask) >>> PAGE_SHIFT);
        } else if (pmdTable[index] instanceof PmdLeaf leaf && pteSwpUffdWpAny(leaf.entry)) {
            flags |= PM_UFFD_WP;    // a uffd-wp marker: no swap bit, unlike a PTE-level one
        }
        for (; addr != end; addr += PAGE_SIZE) {
            buf.add((frame & PM_PFRAME_MASK) | flags);
            if ((flags & PM_PRESENT) != 0) frame++;
        }
        return 0;
    }

    /**
     * PM_MMAP_EXCLUSIVE for a present page (__folio_page_mapped_exclusively() with
     * CONFIG_PAGE_MAPCOUNT, which every kernel measured here has, and the rule before it): the page
     * is mapped once, folio_precise_page_mapcount() == 1, a PMD mapping of its folio counted. The
     * folio-wide rule of CONFIG_NO_PAGE_MAPCOUNT (6.15, not maybe mapped shared) is not modelled:
     * measured on the hosts' 6.18.y, a forked THP whose first page only the parent still maps is
     * exclusive in every page of the parent's leaf.
     */
    static boolean mappedExclusively(Mm mm, long pfn) {
        return mm.frames().precisePageMapcount(pfn) == 1;
    }

    /** pte_to_pagemap_entry(). */
    static long pteToPagemapEntry(Mm mm, Vma vma, long pte) {
        long frame = 0;
        long flags = 0;
        long page = -1;
        if (!pteNone(pte)) {
            if (pteP(pte)) {
                frame = ptePfn(pte);
                flags |= PM_PRESENT;
                if (!pteSpecial(pte)) page = ptePfn(pte); // vm_normal_page()
                if (pteSoftDirty(pte)) flags |= PM_SOFT_DIRTY;
                if (pteUffdWp(pte)) flags |= PM_UFFD_WP;
            } else {
                if (pteSwpSoftDirty(pte)) flags |= PM_SOFT_DIRTY;
                if (pteSwpUffdWp(pte)) flags |= PM_UFFD_WP;
                frame = (swpType(pte) & ((1 << MAX_SWAPFILES_SHIFT) - 1)) | (swpOffset(pte) << MAX_SWAPFILES_SHIFT);
                flags |= PM_SWAP;
                if (isUffdWpMarker(pte)) flags |= PM_UFFD_WP;
                // Semantic PAGEMAP_GUARD off (before 6.15): a guard marker is a bare type-31 swap entry.
                if (isGuardMarker(pte) && mm.semantics().on(Semantic.PAGEMAP_GUARD)) flags |= PM_GUARD_REGION;
            }
            if (page >= 0) {
                if (mm.frames().kind(page) != FrameTable.ANON) flags |= PM_FILE;
                if ((flags & PM_PRESENT) != 0 && mappedExclusively(mm, page)) flags |= PM_MMAP_EXCLUSIVE;
            }
        }
        if (vma.has(VmFlag.VM_SOFTDIRTY)) flags |= PM_SOFT_DIRTY;
        return (frame & PM_PFRAME_MASK) | flags;
    }
}
