package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.VmFlag;

/**
 * userfaultfd write-protection, modelled on fs/userfaultfd.c (userfaultfd_register(),
 * userfaultfd_unregister(), userfaultfd_release()), mm/userfaultfd.c (mwriteprotect_range(),
 * uffd_wp_range()) and the uffd-wp parts of change_pte_range() (mm/mprotect.c).
 *
 * <p>Write-protecting sets the uffd-wp bit on present entries (and makes them read-only), and,
 * where markers are in use (file-backed VMAs always, anonymous VMAs with
 * UFFD_FEATURE_WP_UNPOPULATED), puts a uffd-wp marker into every empty entry, allocating page
 * tables for it. Resolving clears the bits and drops the markers.
 *
 * <p>Model simplification: only one userfaultfd per process, as in the scenario language; faults
 * that would wait for a handler thread (missing and minor modes, synchronous write-protection)
 * throw {@link NotModelledException}, since on the kernel they block.
 */
public final class Userfaultfd {
    private Userfaultfd() {}

    /** UFFDIO_REGISTER_MODE_* */
    public static final int MODE_MISSING = 1;
    public static final int MODE_WP = 2;
    public static final int MODE_MINOR = 4;

    /** __VM_UFFD_FLAGS. */
    static final long VM_UFFD_FLAGS = VmFlag.VM_UFFD_FLAGS;

    /** userfaultfd_wp(). */
    public static boolean userfaultfdWp(Vma vma) {
        return vma.has(VmFlag.VM_UFFD_WP);
    }

    /** userfaultfd_wp_async(). */
    public static boolean userfaultfdWpAsync(Vma vma) {
        return vma.uffdCtx() != null && vma.uffdCtx().wpAsync();
    }

    /** userfaultfd_wp_use_markers(): file-backed uffd-wp always, anonymous only with WP_UNPOPULATED. */
    public static boolean userfaultfdWpUseMarkers(Vma vma) {
        if (!userfaultfdWp(vma)) return false;
        if (!vma.isAnonymous()) return true;
        return vma.uffdCtx() != null && vma.uffdCtx().wpUnpopulated();
    }

    /**
     * handle_userfault() (fs/userfaultfd.c) for a fault no handler thread will resolve: with
     * UFFD_FEATURE_SIGBUS the fault fails at once with SIGBUS; otherwise it would wait for a
     * handler (on the kernel the access blocks), which is not modelled.
     */
    static Memory.FaultResult handleUserfault(Vma vma, String what) {
        if (vma.uffdCtx() != null && vma.uffdCtx().sigbus()) return Memory.FaultResult.SIGBUS;
        throw new NotModelledException(what + " (it waits for a handler)");
    }

    /** The three ways of filling a range, uffd_flags_t's MFILL_ATOMIC_* modes. */
    public enum Mfill {
        /** UFFDIO_COPY: new pages with the caller's bytes (the agent copies zeroes). */
        COPY,
        /** UFFDIO_ZEROPAGE: the zero page in private memory, a zeroed page in a shmem file. */
        ZEROPAGE,
        /** UFFDIO_CONTINUE: map the page already in a shmem file's page cache. */
        CONTINUE
    }

    /**
     * UFFDIO_COPY, UFFDIO_ZEROPAGE and UFFDIO_CONTINUE (userfaultfd_copy(), userfaultfd_zeropage(),
     * userfaultfd_continue() in fs/userfaultfd.c, with mfill_atomic() in mm/userfaultfd.c): fills
     * [dst, dst+len) page by page. Returns 0 when every page was filled, -EAGAIN when only some
     * were, else the error that stopped the first page.
     *
     * <p>The range must lie in one VMA registered with the userfaultfd (ENOENT; a private VMA gets
     * its anon_vma first, find_vma_and_prepare_anon()); a write-protected copy needs a
     * wp-registration, a continue a shmem VMA (EINVAL). Each page then has its page tables
     * allocated (mm_alloc_pmd(), __pte_alloc()); a PMD leaf there is EEXIST, and so is an entry
     * that is not empty (a PTE marker counts as empty for a copy or continue,
     * pte_none_mostly(); not for the zero page). Private memory gets a new anonymous page (or
     * the zero page); a shared shmem VMA gets a new page in its file's cache (EEXIST when one is
     * there already), mapped writable where the VMA is; a continue maps the cached page (EFAULT
     * without one, EINVAL past the end of the file), read-only in a private VMA. A copy or zeropage
     * past the end of a shmem file is EFAULT. Pages
     * are dirty, and carry the uffd-wp bit for a write-protected copy or continue.
     */
    public static long mfill(Mm mm, long dst, long len, Mfill mode, boolean wp) {
        int err = validateRange(mm, dst, len);
        if (err != 0) return err;
        long end = dst + len;
        // uffd_mfill_lock() -> find_vma_and_prepare_anon()
        Vma vma = mm.vmaLookup(dst);
        if (vma == null) return Errno.ENOENT.neg();
        if (!vma.has(VmFlag.VM_SHARED)) Memory.anonVmaPrepare(mm, vma);
        // validate_dst_vma()
        if (end > vma.end() || vma.uffdCtx() == null) return Errno.ENOENT.neg();
        if (wp && !vma.has(VmFlag.VM_UFFD_WP)) return Errno.EINVAL.neg();
        if (vma.isHugetlb()) throw new NotModelledException("UFFDIO_" + mode + " into a hugetlb VMA");
        if (!vma.isAnonymous() && !vma.isShmem()) return Errno.EINVAL.neg();
        if (!vma.isShmem() && mode == Mfill.CONTINUE) return Errno.EINVAL.neg();
        long copied = 0;
        for (long addr = dst; addr < end; addr += PAGE_SIZE) {
            mm.pageTables().pmdAlloc(addr);                                  // mm_alloc_pmd()
            if (mm.pageTables().pmdLeaf(addr) != null) {                     // pmd_trans_huge()
                err = Errno.EEXIST.neg();
                break;
            }
            mm.pageTables().pteAlloc(addr);                                  // __pte_alloc()
            err = mfillAtomicPte(mm, vma, addr, mode, wp);
            if (err != 0) break;
            copied += PAGE_SIZE;
        }
        if (copied == 0) return err;
        return copied == len ? 0 : Errno.EAGAIN.neg();
    }

    /** mfill_atomic_pte(): one page. */
    private static int mfillAtomicPte(Mm mm, Vma vma, long addr, Mfill mode, boolean wp) {
        long[] table = mm.pageTables().pteTable(addr);
        int i = pteIndex(addr);
        boolean shmem = vma.isShmem();
        long index = shmem ? vma.linearPageIndex(addr) : 0;
        if (mode == Mfill.CONTINUE) {
            // mfill_atomic_pte_continue(): shmem_get_folio(SGP_NOALLOC) refuses an index past the
            // end of the file (EINVAL), and finds no page as ENOENT, which becomes EFAULT
            if (index >= vma.file().sizePages()) return Errno.EINVAL.neg();
            int pfn = vma.file().lookup(index);
            if (pfn == 0) return Errno.EFAULT.neg();
            if (!pteNone(table[i]) && !isPteMarker(table[i])) return Errno.EEXIST.neg();
            mm.frames().map(pfn);
            table[i] = installPte(mm, vma, pfn, true, wp);
            return 0;
        }
        // mfill_file_over_size() (shmem_mfill_atomic_pte() checks the same first)
        if (shmem && index >= vma.file().sizePages()) return Errno.EFAULT.neg();
        if (shmem && vma.has(VmFlag.VM_SHARED)) {
            // shmem_mfill_atomic_pte(): a new page in the file's cache, unless one is there
            if (vma.file().lookup(index) != 0 || vma.file().isSwapped(index)) return Errno.EEXIST.neg();
            if (!pteNone(table[i]) && !isPteMarker(table[i])) return Errno.EEXIST.neg();
            int pfn = vma.file().getOrAlloc(index, mm.frames());
            mm.frames().map(pfn);
            table[i] = installPte(mm, vma, pfn, true, wp);
            return 0;
        }
        if (mode == Mfill.ZEROPAGE) {
            // mfill_atomic_pte_zeropage(): the zero page, special and read-only, where the entry is none
            if (!pteNone(table[i])) return Errno.EEXIST.neg();
            table[i] = mkPresent(FrameTable.ZERO_PFN, false, false, true);
            return 0;
        }
        // mfill_atomic_pte_copy(): a new anonymous page
        if (!pteNone(table[i]) && !isPteMarker(table[i])) return Errno.EEXIST.neg();
        int pfn = mm.frames().alloc(FrameTable.ANON);
        mm.frames().map(pfn);
        table[i] = installPte(mm, vma, pfn, false, wp);
        return 0;
    }

    /**
     * mfill_atomic_install_pte(): dirty; writable where the VMA is, except a page-cache page in
     * a private VMA; the uffd-wp bit (and no write permission) for a write-protected fill.
     */
    private static long installPte(Mm mm, Vma vma, long pfn, boolean pageInCache, boolean wp) {
        boolean writable = vma.has(VmFlag.VM_WRITE) && !(pageInCache && !vma.has(VmFlag.VM_SHARED));
        long pte = SoftDirty.pteMkdirty(mm, mkPresent(pfn, writable, true, false));
        return wp ? pteWrprotect(pte) | _PAGE_UFFD_WP : pte;
    }

    /**
     * vma_has_uffd_without_event_remap(): registered with a userfaultfd that did not ask for
     * UFFD_FEATURE_EVENT_REMAP, so that a move drops the registration and its uffd-wp bits, and
     * moves entries one by one. A move that keeps it waits for the event to be read: only the
     * process's own userfaultfd has a reader (the agent's), not a context a child got at fork.
     */
    static boolean hasUffdWithoutEventRemap(Mm mm, Vma vma) {
        UffdCtx ctx = vma.uffdCtx();
        if (ctx == null || !ctx.eventRemap()) return ctx != null;
        if (ctx != mm.uffd) throw new NotModelledException("mremap whose UFFD_EVENT_REMAP no one reads (it waits for a reader)");
        return false;
    }

    /** validate_range(). */
    static int validateRange(Mm mm, long start, long len) {
        if ((start & ~PAGE_MASK) != 0 || (len & ~PAGE_MASK) != 0 || len == 0) return Errno.EINVAL.neg();
        if (Long.compareUnsigned(start, 0x10000) < 0 || Long.compareUnsigned(start, mm.taskSize()) >= 0
                || Long.compareUnsigned(len, mm.taskSize() - start) > 0) return Errno.EINVAL.neg();
        return 0;
    }

    /**
     * UFFDIO_API on the first registration (the agent opens the userfaultfd then), then
     * userfaultfd_register(): every VMA in the range must be able to take the modes
     * (vma_can_userfault()) and be writable-capable (VM_MAYWRITE); holes are allowed.
     */
    public static int register(Mm mm, long start, long len, int modes, long features) {
        if (mm.uffd == null) {
            // UFFDIO_API: a feature this kernel does not know fails it, and the agent keeps no
            // userfaultfd (semantic UFFD_WP_ASYNC: WP_ASYNC is 6.7's)
            if ((features & UffdCtx.UFFD_FEATURE_WP_ASYNC) != 0 && !mm.semantics().on(Semantic.UFFD_WP_ASYNC))
                return Errno.EINVAL.neg();
            mm.uffd = new UffdCtx(features);
        }
        UffdCtx ctx = mm.uffd;
        if (modes == 0 || (modes & ~(MODE_MISSING | MODE_WP | MODE_MINOR)) != 0) return Errno.EINVAL.neg();
        long vmFlags = 0;
        if ((modes & MODE_MISSING) != 0) vmFlags |= VmFlag.VM_UFFD_MISSING.mask();
        if ((modes & MODE_WP) != 0) vmFlags |= VmFlag.VM_UFFD_WP.mask();
        if ((modes & MODE_MINOR) != 0) vmFlags |= VmFlag.VM_UFFD_MINOR.mask();
        int err = validateRange(mm, start, len);
        if (err != 0) return err;
        long end = start + len;
        Vma first = mm.findVma(start);
        if (first == null || first.start() >= end) return Errno.EINVAL.neg();
        err = hugetlbRangeAligned(mm, start, end);
        if (err != 0) return err;
        for (Vma cur : mm.vmas(start, end)) {
            if (!vmaCanUserfault(cur, vmFlags, ctx.wpAsync())) return Errno.EINVAL.neg();
            if (!cur.has(VmFlag.VM_MAYWRITE)) return Errno.EPERM.neg();
            if (cur.uffdCtx() != null && cur.uffdCtx() != ctx) return Errno.EBUSY.neg();
        }
        long flags = vmFlags;
        return VmaMerge.catchSplit(() -> {
            modifyRange(mm, start, end, flags, ctx);
            return 0;
        });
    }

    /** vma_can_userfault(). */
    static boolean vmaCanUserfault(Vma vma, long vmFlags, boolean wpAsync) {
        if (vma.has(VmFlag.VM_DROPPABLE)) return false;
        if ((vmFlags & VmFlag.VM_UFFD_MINOR.mask()) != 0 && !vma.isShmem() && !vma.isHugetlb()) return false;
        if (wpAsync && vmFlags == VmFlag.VM_UFFD_WP.mask()) return true;
        return vma.isAnonymous() || vma.isHugetlb() || vma.isShmem();
    }

    /**
     * The hugetlb checks of userfaultfd_register(): a range that starts in a hugetlb VMA must start
     * on a huge page, one that ends in a hugetlb VMA must end on one (EINVAL).
     */
    static int hugetlbRangeAligned(Mm mm, long start, long end) {
        Vma first = mm.findVma(start);
        if (first != null && first.start() < end && first.isHugetlb() && (start & ~Hugetlb.HPAGE_MASK) != 0)
            return Errno.EINVAL.neg();
        Vma last = mm.vmaLookup(end - 1);
        if (last != null && last.isHugetlb() && (end & ~Hugetlb.HPAGE_MASK) != 0) return Errno.EINVAL.neg();
        return 0;
    }

    /**
     * userfaultfd_unregister(): VMAs in the range lose their registration (write-protection is
     * resolved first, so bits and markers go) and may merge again.
     */
    public static int unregister(Mm mm, long start, long len) {
        int err = validateRange(mm, start, len);
        if (err != 0) return err;
        long end = start + len;
        Vma first = mm.findVma(start);
        if (first == null || first.start() >= end) return Errno.EINVAL.neg();
        // only the start is checked against huge pages here; an end inside a huge page of a
        // registered hugetlb VMA fails when that VMA would be split
        if (first.isHugetlb() && (start & ~Hugetlb.HPAGE_MASK) != 0) return Errno.EINVAL.neg();
        for (Vma cur : mm.vmas(start, end)) {
            if (!vmaCanUserfault(cur, cur.flags() & VM_UFFD_FLAGS, userfaultfdWpAsync(cur))) return Errno.EINVAL.neg();
        }
        return VmaMerge.catchSplit(() -> {
            clearRange(mm, start, end);
            return 0;
        });
    }

    /** userfaultfd_release(): closing the userfaultfd unregisters everything it covered. */
    public static int close(Mm mm) {
        if (mm.uffd == null) return 0;
        release(mm, mm.uffd);
        // the children's contexts from EVENT_FORK go with it: their descriptors were held here
        for (UffdCtx.Forked f : mm.uffd.forked()) release(f.mm(), f.ctx());
        mm.uffd = null;
        return 0;
    }

    /** userfaultfd_release() of ctx: every VMA of mm registered with it is unregistered. */
    private static void release(Mm mm, UffdCtx ctx) {
        for (Vma v : mm.vmas()) {
            if (v.uffdCtx() == ctx) clearRange(mm, v.start(), v.end());
        }
    }

    /** userfaultfd_clear_vma() over every registered VMA in [start, end). */
    private static void clearRange(Mm mm, long start, long end) {
        long addr = start;
        while (addr < end) {
            Vma v = mm.findVma(addr);
            if (v == null || v.start() >= end) break;
            long s = Math.max(start, v.start());
            long e = Math.min(end, v.end());
            if (v.uffdCtx() != null) {
                if (userfaultfdWp(v)) uffdWpRange(mm, v, s, e, false);
                Vma prev = s > v.start() ? v : mm.prev(v);
                v = VmaMerge.vmaModifyFlagsUffd(mm, prev, v, s, e, v.flags() & ~VM_UFFD_FLAGS, null);
            }
            addr = Math.max(e, v.end());
        }
    }

    /** userfaultfd_register_range(): each VMA piece gets the flags and the context, merging where it can. */
    private static void modifyRange(Mm mm, long start, long end, long vmFlags, UffdCtx ctx) {
        long addr = start;
        while (addr < end) {
            Vma v = mm.findVma(addr);
            if (v == null || v.start() >= end) break;
            long s = Math.max(start, v.start());
            long e = Math.min(end, v.end());
            long newFlags = (v.flags() & ~VM_UFFD_FLAGS) | vmFlags;
            // "Nothing to do": a VMA of this userfaultfd that has every mode asked for keeps the
            // modes it has besides (registering wp over missing|wp leaves missing|wp)
            boolean registered = v.uffdCtx() == ctx && (v.flags() & vmFlags) == vmFlags;
            if (!registered) {
                Vma prev = s > v.start() ? v : mm.prev(v);
                v = VmaMerge.vmaModifyFlagsUffd(mm, prev, v, s, e, newFlags, ctx);
            }
            addr = Math.max(e, v.end());
        }
    }

    /**
     * UFFDIO_WRITEPROTECT / mwriteprotect_range(): every VMA in the range must be registered for
     * write-protection (ENOENT otherwise, or when the range holds no VMA).
     */
    public static int writeprotect(Mm mm, long start, long len, boolean enable) {
        int err = validateRange(mm, start, len);
        if (err != 0) return err;
        long end = start + len;
        err = Errno.ENOENT.neg();
        for (Vma v : mm.vmas(start, end)) {
            if (!userfaultfdWp(v)) return Errno.ENOENT.neg();
            // mwriteprotect_range(): in a hugetlb VMA start and length must be huge page aligned
            if (v.isHugetlb() && ((start | len) & ~Hugetlb.HPAGE_MASK) != 0) return Errno.EINVAL.neg();
            uffdWpRange(mm, v, Math.max(start, v.start()), Math.min(end, v.end()), enable);
            err = 0;
        }
        return err;
    }

    /**
     * uffd_wp_range() / change_protection(MM_CP_UFFD_WP[_RESOLVE]) over [start, end) of one VMA.
     */
    public static void uffdWpRange(Mm mm, Vma vma, long start, long end, boolean enable) {
        if (vma.isHugetlb()) {
            Hugetlb.hugetlbChangeProtectionUffd(mm, vma, start, end, enable);
            return;
        }
        boolean markers = userfaultfdWpUseMarkers(vma);
        PageTables pt = mm.pageTables();
        for (long addr = start, next; addr < end; addr = next) {
            next = pmdAddrEnd(addr, end);
            // change_pmd_range(): a PMD leaf changes whole or is split
            if (HugeMemory.uffdWpHugePmd(mm, vma, addr, next, enable)) continue;
            long[] t = pt.pteTable(addr);
            if (t == null) {
                if (!(enable && markers)) continue;
                t = pt.pteAlloc(addr); // change_pmd_prepare(): a table to hold the markers
            }
            // change_pte_range(): the entries of [addr, next) in this table
            for (int i = pteIndex(addr), last = pteIndex(next - PAGE_SIZE); i <= last; i++)
                t[i] = enable ? makeUffdWp(t[i], markers) : resolveUffdWp(t[i]);
        }
    }

    /** make_uffd_wp_pte() and the uffd-wp branch of change_pte_range(). */
    static long makeUffdWp(long pte, boolean markers) {
        if (pteP(pte)) return pteWrprotect(pte) | _PAGE_UFFD_WP;
        if (pteNone(pte)) return markers ? mkMarker(PTE_MARKER_UFFD_WP) : 0;
        if (isPteMarker(pte)) return pte; // guard markers and existing uffd-wp markers stay as they are
        return pte | _PAGE_SWP_UFFD_WP;
    }

    /** Resolving: clear the bit, drop a uffd-wp marker (the next fault is an ordinary one). */
    static long resolveUffdWp(long pte) {
        if (pteP(pte)) return pte & ~_PAGE_UFFD_WP;
        if (isUffdWpMarker(pte) && !isGuardMarker(pte)) return 0;
        if (isSwapPte(pte) && !isPteMarker(pte)) return pte & ~_PAGE_SWP_UFFD_WP;
        return pte;
    }
}
