package dev.mmsim.proc;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.core.PageCategory.*;
import static dev.mmsim.core.ScanFlag.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.SemanticExtension;
import dev.mmsim.core.VmFlag;
import dev.mmsim.mm.FrameTable;
import dev.mmsim.mm.Memory;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.MmWalk;
import dev.mmsim.mm.MmWalkOps;
import dev.mmsim.mm.HugeMemory;
import dev.mmsim.mm.PageWalk;
import dev.mmsim.mm.PmdLeaf;
import dev.mmsim.mm.PteRange;
import dev.mmsim.mm.Userfaultfd;
import dev.mmsim.mm.Vma;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;


/**
 * The PAGEMAP_SCAN ioctl on /proc/pid/pagemap, modelled on do_pagemap_scan() and its helpers in
 * fs/proc/task_mmu.c. The walk uses {@link #OPS} (pagemap_scan_ops): test_walk decides per VMA,
 * pmd_entry classifies each PTE with pagemap_page_category(), pte_hole reports ranges without a
 * PTE table. Matching pages are pushed into a bounce buffer of at most 512 regions
 * (PAGEMAP_WALK_SIZE >> PAGE_SHIFT); when it fills, the walk stops with ENOSPC, the buffer is
 * flushed to the user's vector, and the walk resumes at walk_end. That is why a region can be
 * split where the bounce buffer was flushed, a documented quirk of the kernel.
 *
 * <p>Semantic switches consulted: {@link Semantic#PAGEMAP_SCAN} (whether the ioctl exists,
 * {@link #pagemapIoctl}), {@link Semantic#SCAN_SOFT_DIRTY} and {@link Semantic#SCAN_GUARD}
 * (which categories exist, {@link #pmScanCategories}), {@link Semantic#SCAN_GUARD} (PAGE_IS_GUARD),
 * {@link Semantic#PTE_NONE_WRITTEN} (pte_none is WRITTEN) and {@link Semantic#PMD_HOLE_WRITTEN}
 * (a PMD hole in a uffd-wp VMA is WRITTEN).
 *
 * <p>With PM_SCAN_WP_MATCHING the pages reported are also write-protected through uffd-wp
 * (make_uffd_wp_pte(); holes through uffd_wp_range()), in VMAs registered for async uffd-wp with
 * markers; other VMAs are skipped, or fail the scan with EPERM under PM_SCAN_CHECK_WPASYNC.
 *
 * <p>THP leaves are reported by pagemap_scan_thp_entry(), hugetlb entries by pagemap_scan_hugetlb_entry().
 */
public final class PagemapScan {
    private PagemapScan() {}

    /** struct pagemap_scan_private. */
    static final class PagemapScanPrivate {
        // the argument, as mutated by the kernel during the scan
        long flags;
        long start;
        long end;
        long walkEnd;
        long vec;
        long vecLen;
        long maxPages;
        long categoryInverted;
        long categoryMask;
        long categoryAnyofMask;
        long returnMask;

        long masksOfInterest;
        long curVmaCategory;
        PageRegion[] vecBuf;
        int vecBufLen;
        int vecBufIndex;
        long foundPages;
        final List<PageRegion> vecOut = new ArrayList<>();
        /** The calling process's mm when vec is a user address in it; null for an abstract buffer. */
        Mm vecMm;
        Consumer<TraceEvent> trace;
    }

    /** A mutable page_region in the bounce buffer. */
    private static final class Buf {
        long start;
        long end;
        long categories;
    }

    /**
     * The ioctl of /proc/PID/pagemap up to the point where a request is handled: the file's
     * unlocked_ioctl (pagemap_scan_ioctl, do_pagemap_cmd()) answers any request but PAGEMAP_SCAN
     * with EINVAL before reading the argument; before 6.7 proc_pagemap_operations had no
     * unlocked_ioctl, so vfs_ioctl() (fs/ioctl.c) fails every request with ENOTTY. Returns 0 when
     * {@code cmd} is PAGEMAP_SCAN and goes on to {@link #doPagemapScan}, or the negative errno.
     * (Requests that do_vfs_ioctl() answers for any file never get here.)
     */
    public static int pagemapIoctl(Mm mm, long cmd) {
        // Semantic PAGEMAP_SCAN off (before 6.7): the pagemap file has no ioctl at all.
        if (!mm.semantics().on(Semantic.PAGEMAP_SCAN)) return Errno.ENOTTY.neg();
        // Semantic PAGEMAP_CMD_EINVAL off: Debian's 6.12.y answers every other request with
        // ENOTTY (measured; see semantics.md for what is and is not known of its origin).
        if (cmd != PAGEMAP_SCAN)
            return mm.semantics().on(Semantic.PAGEMAP_CMD_EINVAL) ? Errno.EINVAL.neg() : Errno.ENOTTY.neg();
        return 0;
    }

    /**
     * pagemap_ioctl() and do_pagemap_cmd(): the pagemap file's ioctl for request cmd on the
     * address space mm ({@link #pagemapIoctl}: ENOTTY before 6.7, EINVAL or ENOTTY for another
     * request), then do_pagemap_scan(). With argAt set the struct is read from that address of
     * the caller's mm (pagemap_scan_get_args(): copy_from_user()); the simulator keeps no memory
     * contents, so it answers only a read that faults (EFAULT) and otherwise throws
     * {@link NotModelledException}. vecMm: see {@link #doPagemapScan(Mm, PmScanArg, Consumer, Mm)}.
     */
    public static ScanResult doPagemapCmd(Mm mm, long cmd, PmScanArg arg, Long argAt, Mm caller,
                                          Consumer<TraceEvent> trace, Mm vecMm) {
        int err = pagemapIoctl(mm, cmd);
        if (err != 0) return new ScanResult(err, 0, List.of());
        if (argAt != null) {
            if (copyFromUserMayRead(caller, argAt, PM_SCAN_ARG_SIZE)) {
                throw new NotModelledException("scan argat readable memory (its contents)");
            }
            return new ScanResult(Errno.EFAULT.neg(), 0, List.of());
        }
        return doPagemapScan(mm, arg, trace, vecMm);
    }

    /**
     * Whether copy_from_user() of len bytes at addr might read them: the range passes access_ok()
     * and every page is in a VMA that can be read. (A guard marker in such a VMA would still make
     * the read fault; the caller then refuses to guess rather than decide it.)
     */
    static boolean copyFromUserMayRead(Mm mm, long addr, long len) {
        long end = addr + len;
        if (!accessOk(mm, addr, len)) return false;
        for (long page = addr & PAGE_MASK; Long.compareUnsigned(page, end) < 0; page += PAGE_SIZE) {
            Vma vma = mm.vmaLookup(page);
            if (vma == null) return false;
            if (!vma.has(VmFlag.VM_READ) && !vma.has(VmFlag.VM_WRITE) && !vma.has(VmFlag.VM_EXEC)) return false;
        }
        return true;
    }

    /**
     * do_pagemap_scan(): validates the argument, walks, and returns the regions with walk_end.
     * When trace is not null it receives one line per walker callback, for teaching views.
     */
    public static ScanResult doPagemapScan(Mm mm, PmScanArg arg, Consumer<TraceEvent> trace) {
        return doPagemapScan(mm, arg, trace, null);
    }

    /**
     * do_pagemap_scan() with the vector as a user address: {@code arg.vec()} is an address in
     * {@code vecMm}, the address space of the process that made the call (the scanned {@code mm}
     * itself, or the parent of the process whose /proc/PID/pagemap it opened). Its range must pass
     * access_ok() (EFAULT before the walk), and every flush of the bounce buffer writes into it
     * (copy_to_user(), faulting its pages in for writing; EFAULT when one cannot be). With
     * {@code vecMm} null the vector is a buffer that is always writable.
     */
    public static ScanResult doPagemapScan(Mm mm, PmScanArg arg, Consumer<TraceEvent> trace, Mm vecMm) {
        PagemapScanPrivate p = new PagemapScanPrivate();
        p.trace = trace;
        p.vecMm = vecMm;
        int ret = pagemapScanGetArgs(mm, arg, p);
        if (ret != 0) return new ScanResult(ret, arg.walkEnd(), List.of());
        p.masksOfInterest = p.categoryMask | p.categoryAnyofMask | p.returnMask;
        Buf[] buf = pagemapScanInitBounceBuffer(p);

        long nRangesOut = 0;
        for (long walkStart = p.start; Long.compareUnsigned(walkStart, p.end) < 0; walkStart = p.walkEnd) {
            ret = PageWalk.walkPageRange(mm, walkStart, p.end, OPS, new Walker(p, buf));
            long nOut = pagemapScanFlushBuffer(p, buf);
            if (nOut < 0) ret = (int) nOut;
            else nRangesOut += nOut;
            if (ret != Errno.ENOSPC.neg()) break;
            if (p.vecLen == 0 || p.foundPages == p.maxPages) break;
        }
        long result = (ret == 0 || ret == Errno.ENOSPC.neg()) ? nRangesOut : ret;
        if (p.walkEnd == 0) p.walkEnd = p.end;
        return new ScanResult(result, p.walkEnd, List.copyOf(p.vecOut));
    }

    /** The walk's private data: the scan state and its bounce buffer. */
    private record Walker(PagemapScanPrivate p, Buf[] buf) {}

    /**
     * pagemap_scan_get_args(): EINVAL for a bad size, unknown flag or category bits, an unaligned
     * start, or a NULL vec with a length; EFAULT when [start, end) or the vector is not a valid
     * user range (access_ok()). The end is rounded up to a page; max_pages 0 means no limit.
     */
    static int pagemapScanGetArgs(Mm mm, PmScanArg arg, PagemapScanPrivate p) {
        if (arg.size() != PM_SCAN_ARG_SIZE) return Errno.EINVAL.neg();
        if ((arg.flags() & ~PM_SCAN_FLAGS) != 0) return Errno.EINVAL.neg();
        if (((arg.categoryInverted() | arg.categoryMask() | arg.categoryAnyofMask() | arg.returnMask())
                & ~pmScanCategories(mm)) != 0) return Errno.EINVAL.neg();
        if (!pageAligned(arg.start())) return Errno.EINVAL.neg();
        if (!accessOk(mm, arg.start(), arg.end() - arg.start())) return Errno.EFAULT.neg();
        if (arg.vec() == 0 && arg.vecLen() != 0) return Errno.EINVAL.neg();
        // the vector, at its address in the caller's address space (a backend's own one too)
        if (arg.vec() != 0 && !accessOk(p.vecMm != null ? p.vecMm : mm, arg.vec(), vecBytes(arg.vecLen())))
            return Errno.EFAULT.neg();
        p.flags = arg.flags();
        p.start = arg.start();
        p.end = (arg.end() + PAGE_SIZE - 1) & PAGE_MASK;
        p.walkEnd = 0;
        p.vec = arg.vec();
        p.vecLen = arg.vecLen();
        p.maxPages = arg.maxPages() == 0 ? -1L : arg.maxPages();
        p.categoryInverted = arg.categoryInverted();
        p.categoryMask = arg.categoryMask();
        p.categoryAnyofMask = arg.categoryAnyofMask();
        p.returnMask = arg.returnMask();
        return 0;
    }

    /**
     * PM_SCAN_CATEGORIES of the modelled kernel: without semantic {@link Semantic#SCAN_SOFT_DIRTY}
     * (before 6.7) it lacks PAGE_IS_SOFT_DIRTY, without {@link Semantic#SCAN_GUARD} (before 6.16)
     * PAGE_IS_GUARD, and a mask naming them fails with EINVAL.
     */
    public static long pmScanCategories(Mm mm) {
        return pmScanCategories(mm.semantics()::on);
    }

    /** PM_SCAN_CATEGORIES of a kernel with the given switches (a kernel under test's profile). */
    public static long pmScanCategories(java.util.function.Predicate<Semantic> on) {
        long categories = PM_SCAN_CATEGORIES;
        if (!on.test(Semantic.SCAN_SOFT_DIRTY)) categories &= ~PAGE_IS_SOFT_DIRTY.mask();
        if (!on.test(Semantic.SCAN_GUARD)) categories &= ~PAGE_IS_GUARD.mask();
        return categories;
    }

    /**
     * access_ok() on x86-64 (__access_ok() with a size that is not a small constant,
     * arch/x86/include/asm/uaccess_64.h): addr + size must not wrap and must not pass USER_PTR_MAX,
     * which is the host's TASK_SIZE_MAX (4 or 5 page-table levels). Semantic ACCESS_OK_END off (6.12
     * as released): USER_PTR_MAX is one byte lower. Semantic USER_PTR_MAX off (6.4 to 6.11,
     * "x86-64: make access_ok() independent of LAM"): the end only has to have bit 63 clear.
     */
    public static boolean accessOk(Mm mm, long addr, long size) {
        long sum = addr + size;
        if (Long.compareUnsigned(sum, addr) < 0) return false;
        if (!mm.semantics().on(Semantic.USER_PTR_MAX)) return sum >= 0;
        long userPtrMax = mm.taskSize() - (mm.semantics().on(Semantic.ACCESS_OK_END) ? 0 : 1);
        return Long.compareUnsigned(sum, userPtrMax) <= 0;
    }

    /** size_mul(vec_len, sizeof(struct page_region)): saturates at SIZE_MAX. */
    static long vecBytes(long vecLen) {
        return Long.compareUnsigned(vecLen, Long.divideUnsigned(-1L, PAGE_REGION_BYTES)) > 0 ? -1L
                : vecLen * PAGE_REGION_BYTES;
    }

    /** sizeof(struct page_region). */
    static final int PAGE_REGION_BYTES = 24;

    /**
     * copy_to_user() of bytes bytes at addr in mm: each page is written in order, faulted in for
     * writing when it has to be (handle_mm_fault() via the user-access fixup); false at the first
     * that cannot be, the pages before it written.
     */
    static boolean copyToUser(Mm mm, long addr, long bytes) {
        if (bytes == 0) return true;
        for (long page = addr & PAGE_MASK; Long.compareUnsigned(page, addr + bytes) < 0; page += PAGE_SIZE) {
            // what the kernel writes there is not kept: a later load of it is not modelled
            if (Memory.copyToUserPage(mm, Math.max(page, addr)) != Memory.FaultResult.OK) return false;
        }
        return true;
    }

    /** pagemap_scan_init_bounce_buffer(). */
    static Buf[] pagemapScanInitBounceBuffer(PagemapScanPrivate p) {
        if (p.vecLen == 0) return null;
        p.vecBufLen = (int) Math.min(PM_SCAN_BOUNCE_ENTRIES, p.vecLen);
        Buf[] buf = new Buf[p.vecBufLen];
        for (int i = 0; i < buf.length; i++) buf[i] = new Buf();
        return buf;
    }

    /** pagemap_scan_flush_buffer(): copies the filled regions out and resets the buffer. */
    static long pagemapScanFlushBuffer(PagemapScanPrivate p, Buf[] buf) {
        if (buf == null) return 0;
        int n = p.vecBufIndex;
        if (buf[n].end != buf[n].start) n++;
        if (n == 0) return 0;
        if (p.vecMm != null) {
            if (!copyToUser(p.vecMm, p.vec, (long) n * PAGE_REGION_BYTES)) return Errno.EFAULT.neg();
            p.vec += (long) n * PAGE_REGION_BYTES;
        }
        for (int i = 0; i < n; i++) p.vecOut.add(new PageRegion(buf[i].start, buf[i].end, buf[i].categories));
        p.vecLen -= n;
        p.vecBufIndex = 0;
        p.vecBufLen = (int) Math.min(p.vecBufLen, p.vecLen);
        buf[0].start = buf[0].end = 0;
        return n;
    }

    /** pagemap_scan_ops. */
    static final MmWalkOps OPS = MmWalkOps.builder()
            .testWalk(PagemapScan::pagemapScanTestWalk)
            .pmdEntry(PagemapScan::pagemapScanPmdEntry)
            .pteHole(PagemapScan::pagemapScanPteHole)
            .hugetlbEntry(PagemapScan::pagemapScanHugetlbEntry)
            .build();

    private static PagemapScanPrivate priv(MmWalk walk) {
        return walk.<Walker>priv().p();
    }

    /** userfaultfd_wp(): the VMA is registered for uffd write-protection. */
    static boolean userfaultfdWp(Vma vma) {
        return Userfaultfd.userfaultfdWp(vma);
    }

    /**
     * pagemap_scan_test_walk(): without async uffd-wp, CHECK_WPASYNC fails the scan with EPERM and
     * WP_MATCHING skips the VMA; PFNMAP VMAs are skipped; the VMA-wide categories are computed.
     */
    static int pagemapScanTestWalk(long start, long end, MmWalk walk) {
        PagemapScanPrivate p = priv(walk);
        Vma vma = walk.vma();
        boolean wpAllowed = Userfaultfd.userfaultfdWpAsync(vma) && Userfaultfd.userfaultfdWpUseMarkers(vma);
        long vmaCategory = 0;
        if (!wpAllowed) {
            if ((p.flags & PM_SCAN_CHECK_WPASYNC) != 0)
                return verdict(p, start, end, Errno.EPERM.neg(), "stop with EPERM: check_wpasync, and the VMA is not registered for async uffd-wp");
            if ((p.flags & PM_SCAN_WP_MATCHING) != 0)
                return verdict(p, start, end, 1, "skip the VMA: wp_matching, and it is not registered for async uffd-wp");
        }
        if (vma.has(VmFlag.VM_PFNMAP)) return verdict(p, start, end, 1, "skip the VMA: VM_PFNMAP");
        if (wpAllowed) vmaCategory |= PAGE_IS_WPALLOWED.mask();
        if (vma.has(VmFlag.VM_SOFTDIRTY)) vmaCategory |= PAGE_IS_SOFT_DIRTY.mask();
        if (!pagemapScanIsInterestingVma(vmaCategory, p))
            return verdict(p, start, end, 1, "skip the VMA: the mask needs wpallowed, which no page of it can have");
        p.curVmaCategory = vmaCategory;
        return verdict(p, start, end, 0, vmaCategory == 0 ? "descend"
                : "descend, every page of it " + dev.mmsim.core.PageCategory.render(vmaCategory));
    }

    /** Traces test_walk with its verdict and returns it. */
    private static int verdict(PagemapScanPrivate p, long start, long end, int ret, String why) {
        if (p.trace != null) p.trace.accept(new TraceEvent("test_walk", start, end, -1, why));
        return ret;
    }

    /** pagemap_scan_is_interesting_vma(): only WPALLOWED can be decided per VMA. */
    static boolean pagemapScanIsInterestingVma(long categories, PagemapScanPrivate p) {
        long required = p.categoryMask & PAGE_IS_WPALLOWED.mask();
        categories ^= p.categoryInverted;
        return (categories & required) == required;
    }

    /** pagemap_scan_is_interesting_page(): inverted, then all of mask and any of anyof. */
    static boolean pagemapScanIsInterestingPage(long categories, PagemapScanPrivate p) {
        categories ^= p.categoryInverted;
        if ((categories & p.categoryMask) != p.categoryMask) return false;
        return p.categoryAnyofMask == 0 || (categories & p.categoryAnyofMask) != 0;
    }

    /** pagemap_page_category(): the categories of one PTE, as the host kernel reports them. */
    static long pagemapPageCategory(PagemapScanPrivate p, Mm mm, Vma vma, long addr, long pte) {
        if (pteNone(pte)) {
            // 2026 fix: a pte_none in an existing table is WRITTEN in every VMA kind; before it
            // (v6.7 to v6.12.101, measured on Debian's 6.12.100 and 6.12.101), in none: the general
            // path gave it no category, only the WRITTEN-only fast path reported it.
            if (mm.semantics().on(Semantic.PTE_NONE_WRITTEN)) return PAGE_IS_WRITTEN.mask();
            return 0;
        }
        long categories;
        if (pteP(pte)) {
            categories = PAGE_IS_PRESENT.mask();
            if (!pteUffdWp(pte)) categories |= PAGE_IS_WRITTEN.mask();
            if ((p.masksOfInterest & PAGE_IS_FILE.mask()) != 0) {
                long pfn = ptePfn(pte);
                if (!pteSpecial(pte) && !mm.frames().isAnon(pfn)) categories |= PAGE_IS_FILE.mask();
            }
            if (FrameTable.isZeroPfn(ptePfn(pte))) categories |= PAGE_IS_PFNZERO.mask();
            if (pteSoftDirty(pte)) categories |= PAGE_IS_SOFT_DIRTY.mask();
        } else {
            categories = PAGE_IS_SWAPPED.mask();
            if (!pteSwpUffdWpAny(pte)) categories |= PAGE_IS_WRITTEN.mask();
            // 6.16 (PAGE_IS_GUARD): guard markers are reported as such; before, only as swapped.
            if (isGuardMarker(pte) && mm.semantics().on(Semantic.SCAN_GUARD)) categories |= PAGE_IS_GUARD.mask();
            if (pteSwpSoftDirty(pte)) categories |= PAGE_IS_SOFT_DIRTY.mask();
        }
        return categories;
    }

    /**
     * The categories of an entry as a {@code --semantic-class} extension reports them
     * ({@link SemanticExtension#scanCategories}); the kernel's own without one.
     */
    static long viaExtension(Mm mm, Vma vma, long addr, long categories, boolean guardMarker) {
        SemanticExtension ext = mm.semantics().extension();
        return ext == SemanticExtension.KERNEL ? categories : ext.scanCategories(categories, addr, vma.flags(), guardMarker);
    }

    /** pagemap_scan_push_range(): extend the current region or start the next one; false when full. */
    static boolean pagemapScanPushRange(long categories, PagemapScanPrivate p, Buf[] buf, long addr, long end) {
        Buf cur = buf[p.vecBufIndex];
        if (addr == cur.end && categories == cur.categories) {
            cur.end = end;
            return true;
        }
        if (cur.end != 0) {
            if (p.vecBufIndex >= p.vecBufLen - 1) return false;
            cur = buf[++p.vecBufIndex];
        }
        cur.start = addr;
        cur.end = end;
        cur.categories = categories;
        return true;
    }

    /**
     * pagemap_scan_output(): applies return_mask, truncates at max_pages, pushes the range.
     * Returns ENOSPC (and sets walk_end) when the range did not fit whole; end[0] is updated to
     * where the output stopped.
     */
    static int pagemapScanOutput(long categories, PagemapScanPrivate p, Buf[] buf, long addr, long[] end) {
        if (buf == null) return 0;
        int ret = 0;
        categories &= p.returnMask;
        long nPages = (end[0] - addr) / PAGE_SIZE;
        long total = p.foundPages + nPages;
        if (Long.compareUnsigned(total, p.foundPages) < 0 || Long.compareUnsigned(total, p.maxPages) > 0) {
            long tooMuch = total - p.maxPages;
            end[0] -= tooMuch * PAGE_SIZE;
            nPages -= tooMuch;
            ret = Errno.ENOSPC.neg();
        }
        if (!pagemapScanPushRange(categories, p, buf, addr, end[0])) {
            end[0] = addr;
            nPages = 0;
            ret = Errno.ENOSPC.neg();
        }
        p.foundPages += nPages;
        if (ret != 0) p.walkEnd = end[0];
        return ret;
    }

    /**
     * pagemap_scan_pmd_entry(): classifies each PTE of the table, reports the interesting ones and,
     * with WP_MATCHING, write-protects those reported as written. Two fast paths as in the kernel:
     * write-protect everything when there is no output vector, and report every entry without the
     * uffd-wp bit when the scan asks for exactly PAGE_IS_WRITTEN.
     */
    static int pagemapScanPmdEntry(Object[] pmdTable, int index, long start, long end, MmWalk walk) {
        Walker w = walk.priv();
        PagemapScanPrivate p = w.p();
        Vma vma = walk.vma();
        Mm mm = walk.mm();
        if (p.trace != null) {
            String why = !(pmdTable[index] instanceof PmdLeaf leaf) ? TraceEvent.PTE_TABLE
                    : pteP(leaf.entry) && mm.frames().isHugeZeroPfn(ptePfn(leaf.entry)) ? TraceEvent.HUGE_ZERO_LEAF
                    : TraceEvent.PMD_LEAF;
            p.trace.accept(new TraceEvent("pmd_entry", start, end, 3, why));
        }
        if (pmdTable[index] instanceof PmdLeaf) {
            int thp = pagemapScanThpEntry(pmdTable, index, start, end, walk);
            if (thp != ENOENT) return thp;
        }
        if (!(pmdTable[index] instanceof long[] pte)) {
            walk.action = MmWalk.Action.ACTION_AGAIN; // pte_offset_map_lock() found no table
            return 0;
        }
        int ret = 0;
        long[] next = new long[1];
        boolean wp = (p.flags & PM_SCAN_WP_MATCHING) != 0;
        if (wp && w.buf() == null) {
            for (long addr = start; addr != end; addr += PAGE_SIZE) {
                int i = pteIndex(addr);
                if ((pteP(pte[i]) && pteUffdWp(pte[i])) || pteSwpUffdWpAny(pte[i])) continue;
                pte[i] = makeUffdWpPte(pte[i]);
            }
            return 0;
        }
        boolean extended = mm.semantics().extension() != SemanticExtension.KERNEL;
        if (p.categoryAnyofMask == 0 && p.categoryInverted == 0 && !extended
                && p.categoryMask == PAGE_IS_WRITTEN.mask() && p.returnMask == PAGE_IS_WRITTEN.mask()) {
            for (long addr = start; addr < end; addr += PAGE_SIZE) {
                int i = pteIndex(addr);
                if ((pteP(pte[i]) && pteUffdWp(pte[i])) || pteSwpUffdWpAny(pte[i])) continue;
                next[0] = addr + PAGE_SIZE;
                ret = pagemapScanOutput(p.curVmaCategory | PAGE_IS_WRITTEN.mask(), p, w.buf(), addr, next);
                if (next[0] == addr) break;
                if (wp) pte[i] = makeUffdWpPte(pte[i]);
            }
            return ret;
        }
        // The categories of a pte_none depend only on the VMA: computed once, not per empty entry.
        long noneCategories = p.curVmaCategory | pagemapPageCategory(p, mm, vma, start, 0);
        // The kernel outputs entry by entry; consecutive entries of equal categories are output
        // here as one run, which pagemap_scan_output() treats alike: the run merges into the
        // current region as its entries would, and one that does not fit whole (max_pages, a full
        // vector) stops where the first entry that did not fit would have stopped the loop.
        int first = pteIndex(start);
        int last = pteIndex(end - PAGE_SIZE);
        for (int i = first; i <= last; ) {
            long addr = start + ((long) (i - first) << PAGE_SHIFT);
            long categories;
            int j;
            if (extended) {
                // a --semantic-class extension may decide each entry's categories: one at a time
                categories = pteNone(pte[i]) ? noneCategories : p.curVmaCategory | pagemapPageCategory(p, mm, vma, addr, pte[i]);
                categories = viaExtension(mm, vma, addr, categories, isGuardMarker(pte[i]));
                j = i + 1;
            } else if (pteNone(pte[i])) {
                categories = noneCategories;
                j = PteRange.noneRunEnd(pte, i, last);
            } else if (pteP(pte[i])) {
                categories = p.curVmaCategory | pagemapPageCategory(p, mm, vma, addr, pte[i]);
                j = presentRunEnd(pte, i, last, mm.frames(), (p.masksOfInterest & PAGE_IS_FILE.mask()) != 0);
            } else {
                categories = p.curVmaCategory | pagemapPageCategory(p, mm, vma, addr, pte[i]);
                j = i + 1;
                while (j <= last && !pteNone(pte[j])
                        && (p.curVmaCategory | pagemapPageCategory(p, mm, vma, addr + ((long) (j - i) << PAGE_SHIFT), pte[j])) == categories)
                    j++;
            }
            if (!pagemapScanIsInterestingPage(categories, p)) {
                i = j;
                continue;
            }
            long runEnd = addr + ((long) (j - i) << PAGE_SHIFT);
            next[0] = runEnd;
            ret = pagemapScanOutput(categories, p, w.buf(), addr, next);
            if (wp && (categories & PAGE_IS_WRITTEN.mask()) != 0) {
                for (int k = i, done = (int) ((next[0] - addr) >>> PAGE_SHIFT); k < i + done; k++) pte[k] = makeUffdWpPte(pte[k]);
            }
            if (next[0] != runEnd) break;
            i = j;
        }
        return ret;
    }

    /**
     * The end of the run of present entries from index i (to last) whose categories
     * (pagemap_page_category()) are those of entry i, found without computing them: the entries
     * agree with entry i in every bit but the PFN's (present, uffd-wp, soft-dirty, special), and
     * their frames agree on what the PFN decides (the zero page; anonymous or not, where
     * PAGE_IS_FILE is of interest). A run may end early where categories would still agree (a
     * dirty or accessed bit differs): the next run then merges into the same region.
     */
    static int presentRunEnd(long[] pte, int i, int last, FrameTable frames, boolean fileOfInterest) {
        long first = pte[i];
        long bits = first & ~PFN_MASK;
        boolean zero = FrameTable.isZeroPfn(ptePfn(first));
        boolean checkFile = fileOfInterest && !pteSpecial(first);
        boolean anon = checkFile && frames.isAnon(ptePfn(first));
        int j = i + 1;
        for (; j <= last; j++) {
            long e = pte[j];
            if ((e & ~PFN_MASK) != bits) break;
            long pfn = ptePfn(e);
            if (FrameTable.isZeroPfn(pfn) != zero) break;
            if (checkFile && frames.isAnon(pfn) != anon) break;
        }
        return j;
    }

    /** -ENOENT: pagemap_scan_thp_entry() found no leaf (or split it), the PTE level goes on. */
    private static final int ENOENT = Errno.ENOENT.neg();

    /**
     * pagemap_scan_thp_entry(): a PMD leaf is reported as one range with the categories of
     * pagemap_thp_category(). With PM_SCAN_WP_MATCHING a written leaf is write-protected whole
     * (make_uffd_wp_pmd()), or, when only part of it was reported, split and the range backed out
     * (pagemap_scan_backout_range()) so that the PTE level reports it again.
     */
    static int pagemapScanThpEntry(Object[] pmdTable, int index, long start, long end, MmWalk walk) {
        Walker w = walk.priv();
        PagemapScanPrivate p = w.p();
        Vma vma = walk.vma();
        PmdLeaf leaf = (PmdLeaf) pmdTable[index];
        long categories = viaExtension(walk.mm(), vma, start,
                p.curVmaCategory | pagemapThpCategory(p, walk.mm(), vma, leaf.entry), false);
        if (!pagemapScanIsInterestingPage(categories, p)) return 0;
        long[] e = {end};
        int ret = pagemapScanOutput(categories, p, w.buf(), start, e);
        if (start == e[0]) return ret;
        if ((p.flags & PM_SCAN_WP_MATCHING) == 0) return ret;
        if ((categories & PAGE_IS_WRITTEN.mask()) == 0) return ret;
        if (e[0] != start + PMD_SIZE) {
            HugeMemory.splitHugePmd(walk.mm(), vma, start);
            pagemapScanBackoutRange(p, w.buf(), start, e[0]);
            return ENOENT;
        }
        leaf.entry = pteWrprotect(leaf.entry) | _PAGE_UFFD_WP;
        return ret;
    }

    /**
     * pagemap_thp_category() as the hosts' 6.18 kernel has it: HUGE, PRESENT, WRITTEN unless the
     * leaf carries uffd-wp, FILE for a non-anonymous folio, PFNZERO for the huge zero page.
     */
    static long pagemapThpCategory(PagemapScanPrivate p, Mm mm, Vma vma, long pmd) {
        long categories = PAGE_IS_HUGE.mask();
        if (!pteP(pmd)) return categories;
        categories |= PAGE_IS_PRESENT.mask();
        if (!pteUffdWp(pmd)) categories |= PAGE_IS_WRITTEN.mask();
        if ((p.masksOfInterest & PAGE_IS_FILE.mask()) != 0 && !pteSpecial(pmd) && !mm.frames().isAnon(ptePfn(pmd)))
            categories |= PAGE_IS_FILE.mask();
        if (mm.frames().isHugeZeroPfn(ptePfn(pmd))) categories |= PAGE_IS_PFNZERO.mask();
        if (pteSoftDirty(pmd)) categories |= PAGE_IS_SOFT_DIRTY.mask();
        return categories;
    }

    /**
     * pagemap_hugetlb_category(): HUGE for every entry hugetlb_walk() finds, an empty one included;
     * a present page adds PRESENT, WRITTEN (without the uffd-wp bit), FILE for a page-cache
     * (shared mapping's) folio, SOFT_DIRTY with the bit. Measured on the hosts' 6.18.y: a present
     * page is WRITTEN in a VMA without uffd-wp too.
     */
    static long pagemapHugetlbCategory(Mm mm, long entry) {
        long categories = PAGE_IS_HUGE.mask();
        if (pteNone(entry)) return categories;
        if (pteP(entry)) {
            categories |= PAGE_IS_PRESENT.mask();
            if (!pteUffdWp(entry)) categories |= PAGE_IS_WRITTEN.mask();
            if (mm.frames().kind(ptePfn(entry)) != FrameTable.HUGETLB_ANON) categories |= PAGE_IS_FILE.mask();
            if (FrameTable.isZeroPfn(ptePfn(entry))) categories |= PAGE_IS_PFNZERO.mask();
            if (pteSoftDirty(entry)) categories |= PAGE_IS_SOFT_DIRTY.mask();
        } else {
            categories |= PAGE_IS_SWAPPED.mask();
            if (!pteSwpUffdWpAny(entry)) categories |= PAGE_IS_WRITTEN.mask();
            if (pteSwpSoftDirty(entry)) categories |= PAGE_IS_SOFT_DIRTY.mask();
        }
        return categories;
    }

    /**
     * pagemap_scan_backout_range(): takes [addr, end) back out of the last region of the bounce
     * buffer (and out of the pages found), as if it had not been reported.
     */
    static void pagemapScanBackoutRange(PagemapScanPrivate p, Buf[] buf, long addr, long end) {
        if (buf == null) return;
        Buf cur = buf[p.vecBufIndex];
        if (cur.start == addr) cur.start = cur.end = 0;
        else cur.end = addr;
        p.foundPages -= (end - addr) / PAGE_SIZE;
    }

    /**
     * pagemap_scan_hugetlb_entry(): one huge page (or the part of it inside the scan), reported
     * with the VMA's categories and its own. With PM_SCAN_WP_MATCHING (a VMA registered for async
     * uffd-wp) a reported written page is write-protected, but only whole: a part is taken back
     * out of the result.
     */
    static int pagemapScanHugetlbEntry(Object[] pmdTable, int index, long hmask, long start, long end, MmWalk walk) {
        Walker w = walk.priv();
        PagemapScanPrivate p = w.p();
        long entry = pmdTable[index] instanceof PmdLeaf leaf ? leaf.entry : 0;
        if (p.trace != null) p.trace.accept(new TraceEvent("hugetlb_entry", start, end, -1,
                pteNone(entry) ? "hugetlb entry empty" : pteP(entry) ? "hugetlb page" : "hugetlb swap entry or marker"));
        long categories = viaExtension(walk.mm(), walk.vma(), start,
                p.curVmaCategory | pagemapHugetlbCategory(walk.mm(), entry), false);
        if (!pagemapScanIsInterestingPage(categories, p)) return 0;
        long[] e = {end};
        int ret = pagemapScanOutput(categories, p, w.buf(), start, e);
        if ((p.flags & PM_SCAN_WP_MATCHING) == 0) return ret;
        if (start == e[0]) return ret;
        if ((categories & PAGE_IS_WRITTEN.mask()) == 0) return ret;
        if (e[0] != start + ~hmask + 1) {
            // a part of a huge page cannot be write-protected: the part goes back out of the
            // result and walk_end says where, but the walk goes on
            pagemapScanBackoutRange(p, w.buf(), start, e[0]);
            p.walkEnd = start;
            return 0;
        }
        makeUffdWpHugePte(walk.mm(), pmdTable, index, start);
        return ret;
    }

    /** make_uffd_wp_huge_pte(): a uffd-wp marker in an empty entry, the bit on a present one. */
    static void makeUffdWpHugePte(Mm mm, Object[] pmdTable, int index, long addr) {
        if (!(pmdTable[index] instanceof PmdLeaf leaf)) {
            mm.pageTables().setPmdLeaf(addr, mkMarker(PTE_MARKER_UFFD_WP));
        } else if (pteP(leaf.entry)) {
            leaf.entry = pteWrprotect(leaf.entry) | _PAGE_UFFD_WP;
        }
    }

    /** make_uffd_wp_pte(): the bit on a present or swap entry, a uffd-wp marker in an empty one. */
    static long makeUffdWpPte(long pte) {
        if (pteP(pte)) return pteWrprotect(pte) | _PAGE_UFFD_WP;
        if (pteNone(pte)) return mkMarker(PTE_MARKER_UFFD_WP);
        return pte | _PAGE_SWP_UFFD_WP;
    }

    /**
     * pagemap_scan_pte_hole(): a range without a PTE table carries only the VMA's categories, plus
     * WRITTEN in a uffd-wp VMA (the 2026 fix, {@link Semantic#PMD_HOLE_WRITTEN}).
     */
    static int pagemapScanPteHole(long addr, long end, int depth, MmWalk walk) {
        Walker w = walk.priv();
        PagemapScanPrivate p = w.p();
        Vma vma = walk.vma();
        if (p.trace != null) p.trace.accept(new TraceEvent("pte_hole", addr, end, depth, TraceEvent.holeDepth(depth)));
        if (vma == null) return 0;
        long categories = p.curVmaCategory;
        // not in a hugetlb VMA: there an empty huge page is never WRITTEN (pagemap_hugetlb_category())
        if (userfaultfdWp(vma) && !vma.isHugetlb() && walk.mm().semantics().on(Semantic.PMD_HOLE_WRITTEN))
            categories |= PAGE_IS_WRITTEN.mask();
        if (!pagemapScanIsInterestingPage(categories, p)) return 0;
        long[] e = {end};
        int ret = pagemapScanOutput(categories, p, w.buf(), addr, e);
        if (addr == e[0] || (p.flags & PM_SCAN_WP_MATCHING) == 0) return ret;
        Userfaultfd.uffdWpRange(walk.mm(), vma, addr, e[0], true);
        return ret;
    }

}
