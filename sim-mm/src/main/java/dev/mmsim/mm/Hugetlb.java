package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.VmFlag;

/**
 * hugetlb mappings (MAP_HUGETLB) with 2 MiB pages, modelled on mm/hugetlb.c and
 * fs/hugetlbfs/inode.c: reservations at mmap (hugetlb_reserve_pages()), faults
 * (hugetlb_fault(), hugetlb_no_page(), hugetlb_wp()), zapping (unmap_hugepage_range()), fork
 * (copy_hugetlb_page_range()), mprotect (hugetlb_change_protection()), splitting
 * (hugetlb_vm_op_split()) and hole punching (hugetlbfs_punch_hole()). Each huge page is one
 * {@link PmdLeaf} in the PMD table (huge_pte at PMD level on x86-64); the pool is
 * {@link HugetlbPool}.
 *
 * <p>Every hugetlb mapping has a hugetlbfs file behind it, an anonymous one too
 * (hugetlb_file_setup()): private mappings hold anonymous folios, shared mappings the folios of
 * the inode's page cache.
 *
 * <p>Model simplifications: one huge page size (2 MiB), no PMD sharing (it needs a 1 GiB-aligned
 * shared mapping).
 */
public final class Hugetlb {
    private Hugetlb() {}

    /** huge_page_size() of the default hstate. */
    public static final long HPAGE_SIZE = PMD_SIZE;
    /** huge_page_mask(). */
    public static final long HPAGE_MASK = PMD_MASK;

    /**
     * The packed PMD entry of a present huge page: pfn with _PAGE_PSE (make_huge_pte()); a dirty
     * one is soft-dirty too where soft-dirty is configured (huge_pte_mkdirty() is pte_mkdirty()).
     */
    static long mkHugePte(Mm mm, long pfn, boolean write, boolean dirty) {
        long entry = mkPresent(pfn, write, dirty, false) | _PAGE_PSE;
        return dirty ? SoftDirty.pteMkdirty(mm, entry) : entry;
    }

    /**
     * hugetlb_reserve_pages() for a new mapping of [from, to) (page indexes of the inode):
     * nothing with VM_NORESERVE; a shared mapping reserves the indexes of the inode not reserved
     * yet, a private one all of its pages in a new resv_map it owns. Returns false (ENOMEM for
     * mmap) when the pool has fewer pages than the reservation needs.
     */
    static boolean hugetlbReservePages(Mm mm, MappedFile file, long from, long to, long vmFlags, Vma vma) {
        if ((vmFlags & VmFlag.VM_NORESERVE.mask()) != 0) return true;
        HugetlbPool pool = mm.frames().hugetlb();
        long step = HPAGE_SIZE >>> PAGE_SHIFT;
        long available = pool.available();
        if ((vmFlags & VmFlag.VM_MAYSHARE.mask()) != 0) {
            HugetlbPool.Inode inode = pool.inode(file);
            long chg = 0;
            for (long idx = from; idx < to; idx += step) if (!inode.reserved.contains(idx)) chg++;
            if (chg > available) return false;
            for (long idx = from; idx < to; idx += step) inode.reserved.add(idx);
            return true;
        }
        if ((to - from) / step > available) return false;
        vma.setHugetlbResv(new HugetlbPool.ResvMap());
        return true;
    }

    /** hugetlb_vm_op_split(): a hugetlb VMA splits only at a huge page boundary. */
    static int hugetlbVmOpSplit(Vma vma, long addr) {
        return vma.isHugetlb() && (addr & ~HPAGE_MASK) != 0 ? Errno.EINVAL.neg() : 0;
    }

    /**
     * hugetlb_fault(): no entry goes to hugetlb_no_page(); a write to a read-only entry to
     * hugetlb_wp(); otherwise the entry is marked young (and dirty on a write).
     */
    static Memory.FaultResult hugetlbFault(Mm mm, Vma vma, long address, boolean write) {
        long haddr = address & HPAGE_MASK;
        // huge_pte_alloc(): the PUD and PMD tables are there before anything else is decided
        mm.pageTables().pmdAlloc(haddr);
        PmdLeaf leaf = mm.pageTables().pmdLeaf(haddr);
        if (leaf == null || pteNone(leaf.entry) || isUffdWpMarker(leaf.entry)) {
            if (vma.has(VmFlag.VM_UFFD_MISSING)) return Userfaultfd.handleUserfault(vma, "userfaultfd missing fault");
            boolean uffdWp = leaf != null && isUffdWpMarker(leaf.entry);
            Memory.FaultResult r = hugetlbNoPage(mm, vma, haddr, write, uffdWp);
            // the new page keeps the write-protection: a write faults again on it (and resolves, if async)
            if (r != Memory.FaultResult.OK || !uffdWp || !write) return r;
            return hugetlbFault(mm, vma, address, true);
        }
        if (write && pteUffdWp(leaf.entry) && Userfaultfd.userfaultfdWp(vma)) {
            if (!Userfaultfd.userfaultfdWpAsync(vma))
                return Userfaultfd.handleUserfault(vma, "userfaultfd write-protect fault");
            // async mode: the bit goes, then the ordinary write fault (hugetlb_wp()) follows
            leaf.entry &= ~_PAGE_UFFD_WP;
        }
        if (write && !pteWrite(leaf.entry)) return hugetlbWp(mm, vma, haddr, leaf);
        leaf.entry |= _PAGE_ACCESSED;
        if (write) leaf.entry = SoftDirty.pteMkdirty(mm, leaf.entry);     // huge_pte_mkdirty()
        return Memory.FaultResult.OK;
    }

    /**
     * hugetlb_no_page(): a shared mapping finds the page in the inode's cache or adds a new one
     * there; a private mapping gets a new anonymous page, mapped read-only on a read fault (a
     * later write reuses it) and writable at once on a write fault. A new page uses the
     * mapping's reservation when it has one for that index, otherwise it needs a free page that
     * nobody reserved: without one the access raises SIGBUS.
     */
    static Memory.FaultResult hugetlbNoPage(Mm mm, Vma vma, long haddr, boolean write, boolean uffdWp) {
        HugetlbPool pool = mm.frames().hugetlb();
        long idx = vma.linearPageIndex(haddr);
        boolean shared = vma.has(VmFlag.VM_MAYSHARE);
        int pfn;
        if (shared) {
            HugetlbPool.Inode inode = pool.inode(vma.file());
            pfn = inode.cache.getIfAbsent(idx, 0);
            if (pfn == 0) {
                if (!inode.reserved.contains(idx) && pool.available() < 1) return Memory.FaultResult.SIGBUS;
                pfn = pool.allocFolio(false);
                inode.cache.put(idx, pfn);
            }
        } else {
            // the owner took this child's page for its copy-on-write: the child dies rather than
            // see a zeroed page where its data was
            if (vma.hugetlbResvUnmapped()) return Memory.FaultResult.SIGBUS;
            // vmf_anon_prepare(): the VMA gets its anon_vma before the first anonymous folio
            Memory.anonVmaPrepare(mm, vma);
            boolean reserved = vma.hugetlbResv() != null && !vma.hugetlbResv().consumed.contains(idx);
            if (!reserved && pool.available() < 1) return Memory.FaultResult.SIGBUS;
            pfn = pool.allocFolio(true);
            if (vma.hugetlbResv() != null) vma.hugetlbResv().consumed.add(idx);
        }
        mm.frames().map(pfn);
        boolean writable = shared && vma.has(VmFlag.VM_WRITE);
        long entry = mkHugePte(mm, pfn, writable, writable && write);
        // a uffd-wp marker's protection carries over to the new page
        if (uffdWp) entry = pteWrprotect(entry) | _PAGE_UFFD_WP;
        PmdLeaf leaf = mm.pageTables().pmdLeaf(haddr);
        if (leaf != null) leaf.entry = entry;
        else mm.pageTables().setPmdLeaf(haddr, entry);
        // hugetlb_wp() never copies a uffd-wp protected page; hugetlb_fault() resolves it first
        if (write && !shared && !uffdWp) return hugetlbWp(mm, vma, haddr, mm.pageTables().pmdLeaf(haddr));
        return Memory.FaultResult.OK;
    }

    /**
     * hugetlb_wp(): a shared mapping just becomes writable; a private one reuses an anonymous
     * page mapped only here, and otherwise copies it into a new page, which needs a free
     * unreserved page (SIGBUS without one, for a process that does not own the reservation).
     */
    static Memory.FaultResult hugetlbWp(Mm mm, Vma vma, long haddr, PmdLeaf leaf) {
        FrameTable frames = mm.frames();
        long pfn = ptePfn(leaf.entry);
        if (vma.has(VmFlag.VM_MAYSHARE)) {
            leaf.entry = SoftDirty.pteMkdirty(mm, pteMkwriteDirty(leaf.entry));
            return Memory.FaultResult.OK;
        }
        if (frames.kind(pfn) == FrameTable.HUGETLB_ANON && frames.mapcount(pfn) == 1) {
            leaf.entry = SoftDirty.pteMkdirty(mm, pteMkwriteDirty(leaf.entry));
            return Memory.FaultResult.OK;
        }
        HugetlbPool pool = frames.hugetlb();
        if (pool.available() < 1) {
            if (vma.hugetlbResv() == null) return Memory.FaultResult.SIGBUS;
            // The owner must not fail: the page goes from the VMAs of the children that share it
            // (unmap_ref_private()), and with it mapped only here the write reuses it.
            unmapRefPrivate(mm, vma, pfn, haddr);
            if (frames.mapcount(pfn) == 1) {
                leaf.entry = SoftDirty.pteMkdirty(mm, pteMkwriteDirty(leaf.entry));
                return Memory.FaultResult.OK;
            }
            throw new NotModelledException("hugetlb copy-on-write by the reservation owner with the pool exhausted");
        }
        Memory.anonVmaPrepare(mm, vma);
        int copy = pool.allocFolio(true);
        // copy_user_large_folio(): the copy holds the old folio's contents
        frames.copyHugetlbContents(pfn, copy);
        frames.map(copy);
        putFolio(frames, pfn);
        leaf.entry = mkHugePte(mm, copy, true, true);
        return Memory.FaultResult.OK;
    }

    /**
     * unmap_ref_private(): the folio at haddr of the owner's VMA is unmapped from every other
     * private VMA of the same hugetlbfs file that does not own a reservation (the fork children),
     * which are marked HPAGE_RESV_UNMAPPED.
     */
    static void unmapRefPrivate(Mm mm, Vma vma, long pfn, long haddr) {
        long idx = vma.linearPageIndex(haddr);
        for (Mm other : vma.file().mappers()) {
            for (Vma v : other.vmas()) {
                if (v == vma || v.file() != vma.file() || v.has(VmFlag.VM_MAYSHARE) || v.hugetlbResv() != null) continue;
                long at = v.start() + ((idx - v.pgoff()) << PAGE_SHIFT);
                if (at < v.start() || at >= v.end()) continue;
                PmdLeaf l = other.pageTables().pmdLeaf(at);
                if (l == null || !pteP(l.entry) || ptePfn(l.entry) != pfn) continue;
                other.pageTables().clearPmdLeaf(at);
                putFolio(other.frames(), pfn);
                v.setHugetlbResvUnmapped(true);
            }
        }
    }

    /** A mapping of a hugetlb folio goes; an anonymous folio mapped nowhere returns to the pool. */
    static void putFolio(FrameTable frames, long pfn) {
        frames.unmap(pfn);
        if (frames.kind(pfn) == FrameTable.HUGETLB_ANON && frames.mapcount(pfn) == 0)
            frames.hugetlb().freeFolio((int) pfn);
    }

    /**
     * __unmap_hugepage_range() over the huge pages of [start, end) (huge page aligned): their
     * entries are cleared (a uffd-wp protected one leaves a marker unless dropMarkers, as munmap and
     * hole punching ask); the PMD table stays. In a private mapping that owns its reservation an
     * anonymous page gives its reservation back (folio_set_hugetlb_restore_reserve() and
     * vma_add_reservation()), so that nobody else can take the page the mapping was promised.
     */
    static void unmapHugepageRange(Mm mm, Vma vma, long start, long end, boolean dropMarkers) {
        for (long a = start & HPAGE_MASK; a < end; a += HPAGE_SIZE) {
            PmdLeaf leaf = mm.pageTables().pmdLeaf(a);
            if (leaf == null) continue;
            long entry = leaf.entry;
            mm.pageTables().clearPmdLeaf(a);
            // a uffd-wp protected entry leaves a marker unless the zap drops them (ZAP_FLAG_DROP_MARKER)
            boolean wp = pteP(entry) ? pteUffdWp(entry) : pteSwpUffdWpAny(entry);
            if (wp && !dropMarkers) mm.pageTables().setPmdLeaf(a, mkMarker(PTE_MARKER_UFFD_WP));
            if (!pteP(entry)) continue;
            long pfn = ptePfn(entry);
            // semantic HUGETLB_RESTORE_RESERVE: before 6.8 the reservation stayed consumed and the
            // freed page went back to the pool unreserved, for anyone to take
            if (vma.hugetlbResv() != null && mm.frames().kind(pfn) == FrameTable.HUGETLB_ANON
                    && mm.semantics().on(Semantic.HUGETLB_RESTORE_RESERVE))
                vma.hugetlbResv().consumed.remove(vma.linearPageIndex(a));
            putFolio(mm.frames(), pfn);
        }
    }

    /**
     * Populating [start, end) of a hugetlb VMA (hugetlb_follow_page_mask() / faultin_page() in
     * mm/gup.c): every huge page the range touches is faulted in, for writing when asked.
     * Returns 0 or EFAULT at the first page that cannot be faulted.
     */
    static int populateHugetlbRange(Mm mm, Vma vma, long start, long end, boolean write) {
        for (long a = start & HPAGE_MASK; a < end; a += HPAGE_SIZE) {
            PmdLeaf leaf = mm.pageTables().pmdLeaf(a);
            if (leaf != null && pteP(leaf.entry) && (!write || pteWrite(leaf.entry))) continue;
            if (hugetlbFault(mm, vma, a, write) != Memory.FaultResult.OK) return Errno.EFAULT.neg();
        }
        return 0;
    }

    /** madvise_dontneed_free_valid_vma() for a hugetlb VMA: the start aligned, the end rounded down. */
    static int madviseDontneedHugetlb(Mm mm, Vma vma, long start, long end) {
        if ((start & ~HPAGE_MASK) != 0) return Errno.EINVAL.neg();
        end &= HPAGE_MASK;
        if (start >= end) return 0;
        unmapHugepageRange(mm, vma, start, end, false);
        return 0;
    }

    /**
     * hugetlbfs_punch_hole() for MADV_REMOVE on a shared hugetlb mapping: the whole huge pages
     * inside the range leave every mapping of the inode and its cache, and their reservations go
     * too (hugetlb_unreserve_pages()).
     */
    static int hugetlbfsPunchHole(Mm mm, Vma vma, long start, long end) {
        long first = (start + HPAGE_SIZE - 1) & HPAGE_MASK;
        long last = end & HPAGE_MASK;
        HugetlbPool pool = mm.frames().hugetlb();
        HugetlbPool.Inode inode = pool.inode(vma.file());
        for (long a = first; a < last; a += HPAGE_SIZE) {
            long idx = vma.linearPageIndex(a);
            for (Mm other : vma.file().mappers()) {
                for (Vma v : other.vmas()) {
                    if (v.file() != vma.file()) continue;
                    long at = v.start() + ((idx - v.pgoff()) << PAGE_SHIFT);
                    if (at < v.start() || at >= v.end()) continue;
                    unmapHugepageRange(other, v, at, at + HPAGE_SIZE, true);
                }
            }
            int pfn = inode.cache.getIfAbsent(idx, 0);
            if (pfn != 0) {
                inode.cache.remove(idx);
                pool.freeFolio(pfn);
            }
            inode.reserved.remove(idx);
        }
        return 0;
    }

    /**
     * hugetlb_change_protection(): entries lose write permission when the VMA is no longer
     * writable. Model simplification, as for base pages: gaining write permission leaves them
     * read-only until the next write fault.
     */
    static void hugetlbChangeProtection(Mm mm, Vma vma, long start, long end) {
        if (vma.has(VmFlag.VM_WRITE)) return;
        for (long a = start & HPAGE_MASK; a < end; a += HPAGE_SIZE) {
            PmdLeaf leaf = mm.pageTables().pmdLeaf(a);
            if (leaf != null && pteP(leaf.entry)) leaf.entry = pteWrprotect(leaf.entry);
        }
    }

    /**
     * hugetlb_change_protection() with MM_CP_UFFD_WP or MM_CP_UFFD_WP_RESOLVE over the huge pages
     * of [start, end): protecting sets the uffd-wp bit on present entries and puts a uffd-wp
     * marker in empty ones, allocating the PMD table for it (huge_pte_alloc()), whether or not
     * the context asked for WP_UNPOPULATED; resolving clears the bit and drops the markers.
     */
    static void hugetlbChangeProtectionUffd(Mm mm, Vma vma, long start, long end, boolean enable) {
        PageTables pt = mm.pageTables();
        for (long a = start & HPAGE_MASK; a < end; a += HPAGE_SIZE) {
            if (pt.pmdTable(a) == null) {
                if (!enable) continue;
                pt.pmdAlloc(a);
            }
            PmdLeaf leaf = pt.pmdLeaf(a);
            if (leaf == null) {
                if (enable) pt.setPmdLeaf(a, mkMarker(PTE_MARKER_UFFD_WP));
            } else if (pteP(leaf.entry)) {
                leaf.entry = enable ? pteWrprotect(leaf.entry) | _PAGE_UFFD_WP : leaf.entry & ~_PAGE_UFFD_WP;
            } else if (isUffdWpMarker(leaf.entry) && !enable) {
                pt.clearPmdLeaf(a);
            }
        }
    }

    /**
     * copy_hugetlb_page_range(): wherever the parent has a PMD table the child gets one
     * (huge_pte_alloc()), and each present entry is shared; in a private mapping both sides are
     * write-protected so that the first write copies.
     */
    static void copyHugetlbPageRange(Mm dstMm, Vma dstVma, Mm srcMm, Vma srcVma) {
        boolean cow = srcVma.isCowMapping();
        for (long a = srcVma.start(); a < srcVma.end(); a += HPAGE_SIZE) {
            if (srcMm.pageTables().pmdTable(a) == null) continue;
            dstMm.pageTables().pmdAlloc(a);
            PmdLeaf leaf = srcMm.pageTables().pmdLeaf(a);
            boolean childWp = Userfaultfd.userfaultfdWp(dstVma); // registered through EVENT_FORK
            // a uffd-wp marker is copied only to a uffd-wp registered child
            if (leaf != null && isUffdWpMarker(leaf.entry) && childWp) dstMm.pageTables().setPmdLeaf(a, leaf.entry);
            if (leaf == null || !pteP(leaf.entry)) continue;
            if (cow) leaf.entry = pteWrprotect(leaf.entry);
            srcMm.frames().map(ptePfn(leaf.entry));
            // a child that is not registered gets its copy without the uffd-wp bit
            dstMm.pageTables().setPmdLeaf(a, leaf.entry & ~(_PAGE_ACCESSED | (childWp ? 0 : _PAGE_UFFD_WP)));
        }
    }

    /**
     * move_hugetlb_page_tables(): every huge page entry of [oldAddr, oldAddr+len) that is not
     * empty (a page or a marker) moves to the same offset at newAddr, whose PMD table is allocated
     * for it.
     */
    static void moveHugetlbPageTables(Mm mm, long oldAddr, long newAddr, long len) {
        PageTables pt = mm.pageTables();
        for (long off = 0; off < len; off += HPAGE_SIZE) {
            PmdLeaf leaf = pt.pmdLeaf(oldAddr + off);
            if (leaf == null) continue;
            pt.clearPmdLeaf(oldAddr + off);
            pt.setPmdLeaf(newAddr + off, leaf.entry);
        }
    }

    /**
     * The mremap() rules for a hugetlb VMA (check_prep_vma() in mm/mremap.c): both lengths are
     * rounded up to huge pages, both addresses must be huge page aligned, and the mapping may not
     * grow. Returns 0 with the rounded lengths in {@code lens}, or EINVAL.
     */
    static int mremapCheck(long addr, long newAddr, boolean fixed, long[] lens) {
        lens[0] = (lens[0] + HPAGE_SIZE - 1) & HPAGE_MASK;
        lens[1] = (lens[1] + HPAGE_SIZE - 1) & HPAGE_MASK;
        if ((addr & ~HPAGE_MASK) != 0) return Errno.EINVAL.neg();
        if (fixed && (newAddr & ~HPAGE_MASK) != 0) return Errno.EINVAL.neg();
        if (lens[1] > lens[0]) return Errno.EINVAL.neg();
        return 0;
    }

    /**
     * What a move of part of a private hugetlb VMA does to the reservations of the parts left
     * behind, as measured on the hosts' 6.18 (mremap() clears the reservation map of the VMA it
     * moves from, clear_vma_resv_huge_pages(), while the split-off parts shared it): those parts
     * no longer own a reservation map, so their later faults take unreserved pages, and the
     * reservations they had not used yet stay counted in resv_huge_pages for good; not even the
     * exit of the process gives them back. Moving a whole VMA leaks nothing.
     */
    static void mremapLeaveReservations(Mm mm, HugetlbPool.ResvMap resv, Vma moved) {
        if (resv == null) return;
        for (Vma v : mm.vmas()) {
            if (v == moved || v.hugetlbResv() != resv) continue;
            for (long a = v.start(); a < v.end(); a += HPAGE_SIZE) {
                if (!resv.consumed.contains(v.linearPageIndex(a))) mm.frames().hugetlb().leak();
            }
            v.setHugetlbResv(null);
        }
    }
}
