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

    /** validate_range(). */
    static int validateRange(Mm mm, long start, long len) {
        if ((start & ~PAGE_MASK) != 0 || (len & ~PAGE_MASK) != 0 || len == 0) return Errno.EINVAL.neg();
        if (start < 0x10000 || start >= mm.taskSize() || len > mm.taskSize() - start) return Errno.EINVAL.neg();
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
        for (Vma v : mm.vmas()) {
            if (v.uffdCtx() == mm.uffd) clearRange(mm, v.start(), v.end());
        }
        mm.uffd = null;
        return 0;
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
            if (newFlags != v.flags() || v.uffdCtx() != ctx) {
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
