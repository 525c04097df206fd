package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.VmFlag;

/**
 * Page faults and zapping, modelled on mm/memory.c: {@link #handleMmFault} and its branches
 * (do_anonymous_page, do_read_fault with do_fault_around, do_cow_fault, do_shared_fault,
 * do_wp_page), and {@link #zapPteRange} with the zap_details that decide whether markers survive
 * and whether an emptied PTE table is reclaimed (CONFIG_PT_RECLAIM, mm/pt_reclaim.c).
 */
public final class Memory {
    private Memory() {}

    /** What a fault ended in: the fault was handled, or the task gets a signal. */
    public enum FaultResult { OK, SIGSEGV, SIGBUS }

    /** fault_around_bytes / PAGE_SIZE (default 64 KiB). */
    public static final int FAULT_AROUND_PAGES = 16;

    /**
     * handle_mm_fault() for a user access at addr, after the architecture's access_error() check
     * (arch/x86/mm/fault.c): no VMA or a forbidden access gives SIGSEGV. A write that succeeds is
     * the scenario language's plain write: the byte 0x5a at the start of the page.
     */
    public static FaultResult handleMmFault(Mm mm, long addr, boolean write) {
        FaultResult r = fault(mm, addr, write);
        if (r == FaultResult.OK && write) store(mm, addr, PLAIN);
        return r;
    }

    /**
     * A user store of value into the first 8 bytes of the page at addr: the write fault, then the
     * store into whatever frame the fault left mapped there (a copy-on-write copy, a page-cache page).
     * {@link FrameTable#UNKNOWN} stands for data the kernel writes (copy_to_user()) that the model
     * does not keep.
     */
    public static FaultResult storeValue(Mm mm, long addr, long value) {
        FaultResult r = fault(mm, addr, true);
        if (r == FaultResult.OK) store(mm, addr, value);
        return r;
    }

    /**
     * copy_to_user() into the page at addr, from addr on: the write fault, then bytes the model does
     * not keep. The value becomes {@link FrameTable#UNKNOWN} when they reach into the page's first 8
     * bytes; past them, only the page is no longer zero-filled.
     */
    public static FaultResult copyToUserPage(Mm mm, long addr) {
        FaultResult r = fault(mm, addr, true);
        if (r == FaultResult.OK) store(mm, addr, (addr & ~PAGE_MASK) < Long.BYTES ? FrameTable.UNKNOWN : REST);
        return r;
    }

    /** What a user load of the first 8 bytes of the page at addr found: the fault, and the value read. */
    public record Load(FaultResult fault, long value) {}

    /**
     * A user load of the first 8 bytes of the page at addr: the read fault (exactly as a read
     * access), then the value of the page now mapped there.
     */
    public static Load loadValue(Mm mm, long addr) {
        FaultResult r = fault(mm, addr, false);
        return new Load(r, r == FaultResult.OK ? valueAt(mm, addr & PAGE_MASK) : 0);
    }

    private static FaultResult fault(Mm mm, long addr, boolean write) {
        Vma vma = mm.vmaLookup(addr);
        if (vma == null) return FaultResult.SIGSEGV;
        if (accessError(vma, write)) return FaultResult.SIGSEGV;
        if (vma.isHugetlb()) return Hugetlb.hugetlbFault(mm, vma, addr, write);
        return handlePteFault(mm, vma, addr & PAGE_MASK, write);
    }

    /** The value {@link #store} takes to mean the plain write (the byte 0x5a at addr). */
    private static final long PLAIN = Long.MIN_VALUE + 1;
    /** The value {@link #store} takes to mean data past the first 8 bytes of the page (the value stays). */
    private static final long REST = Long.MIN_VALUE + 2;

    /**
     * The user's store lands in the frame now mapped at addr: an anonymous frame or a hugetlb folio's
     * base page keeps the value itself, a page-cache page keeps it for its object and index (the
     * frame still notes that it is not zero-filled). A plain write stores one byte at addr: it
     * changes the value only when it falls into the page's first 8 bytes.
     */
    static void store(Mm mm, long addr, long value) {
        Vma vma = mm.vmaLookup(addr);
        FrameTable frames = mm.frames();
        PmdLeaf leaf = mm.pageTables().pmdLeaf(addr);
        long pte = leaf != null ? leaf.entry : mm.pageTables().pte(addr);
        if (vma == null || !pteP(pte) || pteSpecial(pte)) return;
        int sub = leaf != null ? (int) ((addr & ~PMD_MASK) >>> PAGE_SHIFT) : 0;
        int offset = (int) (addr & ~PAGE_MASK);
        long pfn = ptePfn(pte);
        if (vma.isHugetlb()) {
            frames.setHugetlbValue(pfn, sub, stored(frames.hugetlbValue(pfn, sub), value, offset));
            return;
        }
        pfn += sub;
        boolean rest = frames.restData(pfn) || value == PLAIN && offset >= Long.BYTES || value == REST
                || value == FrameTable.UNKNOWN;
        if (frames.kind(pfn) == FrameTable.PAGECACHE && vma.file() != null) {
            MappedFile file = vma.file();
            long index = vma.linearPageIndex(addr);
            file.setValue(index, stored(file.value(index), value, offset));
            frames.setContents(pfn, file.value(index), rest);
            return;
        }
        frames.setContents(pfn, stored(frames.value(pfn), value, offset), rest);
    }

    /** The value a page holding old holds after {@link #store} of value at byte offset. */
    private static long stored(long old, long value, int offset) {
        if (value == PLAIN) return FrameTable.plainWrite(old, offset);
        return value == REST ? old : value;
    }

    /**
     * The value of the present page at addr: the zero pages read 0, a page-cache page its object's
     * value at its index, an anonymous frame (a THP's base page) or hugetlb base page its own.
     */
    static long valueAt(Mm mm, long addr) {
        Vma vma = mm.vmaLookup(addr);
        PmdLeaf leaf = mm.pageTables().pmdLeaf(addr);
        long pte = leaf != null ? leaf.entry : mm.pageTables().pte(addr);
        if (vma == null || !pteP(pte) || pteSpecial(pte)) return 0;
        int sub = leaf != null ? (int) ((addr & ~PMD_MASK) >>> PAGE_SHIFT) : 0;
        if (vma.isHugetlb()) return mm.frames().hugetlbValue(ptePfn(pte), sub);
        return frameValue(mm, vma, addr, ptePfn(pte) + sub);
    }

    /** The contents of frame pfn mapped at addr of vma: a page-cache page's are its object's. */
    static long frameValue(Mm mm, Vma vma, long addr, long pfn) {
        if (FrameTable.isZeroPfn(pfn) || mm.frames().kind(pfn) == FrameTable.ZERO) return 0;
        if (mm.frames().kind(pfn) == FrameTable.PAGECACHE && vma.file() != null) return vma.file().value(vma.linearPageIndex(addr));
        return mm.frames().value(pfn);
    }

    /** access_error(): writes need VM_WRITE; reads need any of read, write or exec. */
    static boolean accessError(Vma vma, boolean write) {
        if (write) return !vma.has(VmFlag.VM_WRITE);
        return (vma.flags() & VmFlag.VM_ACCESS_FLAGS) == 0;
    }

    /** handle_pte_fault(). */
    static FaultResult handlePteFault(Mm mm, Vma vma, long addr, boolean write) {
        // __handle_mm_fault(): the PUD and PMD tables are allocated before anything else, and stay
        // when the fault fails (SIGBUS past the end of a file, a userfaultfd's SIGBUS), whether a
        // user access or GUP (populate, mlock) faulted
        mm.pageTables().pmdAlloc(addr);
        // __handle_mm_fault(): the PMD level first (a THP to create, or a PMD leaf to fault on)
        FaultResult huge = HugeMemory.hugePmdFault(mm, vma, addr, write);
        if (huge != null) return huge;
        long pte = mm.pageTables().pte(addr);
        boolean uffdWp = false;
        if (!pteNone(pte) && !pteP(pte)) {
            // do_swap_page() -> handle_pte_marker(): a guard marker is fatal to the access; a
            // uffd-wp marker is an empty entry whose next page keeps the write-protection
            // (pte_marker_handle_uffd_wp()).
            if (isGuardMarker(pte)) return FaultResult.SIGSEGV;
            if (!isPteMarker(pte)) return doSwapPage(mm, vma, addr, pte, write);
            uffdWp = true;
        }
        if (pteNone(pte) || uffdWp) {
            FaultResult r = vma.isAnonymous() ? doAnonymousPage(mm, vma, addr, write, uffdWp)
                    : doFault(mm, vma, addr, write, uffdWp);
            // The new page is write-protected: a write now faults on it (and resolves, if async).
            if (r != FaultResult.OK || !uffdWp || !write) return r;
            return handlePteFault(mm, vma, addr, true);
        }
        if (write && !pteWrite(pte)) return doWpPage(mm, vma, addr, pte);
        long[] table = mm.pageTables().pteTable(addr);
        // pte_mkyoung(), and pte_mkdirty() for a write (soft-dirty too, see SoftDirty)
        table[pteIndex(addr)] = write ? SoftDirty.pteMkdirty(mm, pte | _PAGE_ACCESSED) : pte | _PAGE_ACCESSED;
        return FaultResult.OK;
    }

    /**
     * do_swap_page(): the page comes back from swap (or from the swap cache, when another process
     * brought it in first) and the slot reference is dropped. An exclusive entry maps writable where
     * the VMA allows; a shared one stays read-only so that a write copies it. The entry keeps the
     * swap entry's soft-dirty bit, and stays read-only while soft-dirty tracking wants a write
     * fault first (pte_needs_soft_dirty_wp()).
     */
    static FaultResult doSwapPage(Mm mm, Vma vma, long addr, long pte, boolean write) {
        SwapDevice swap = mm.frames().swap();
        long offset = swpOffset(pte);
        boolean exclusive = pteSwpExclusive(pte);
        int pfn = swap.cached(offset);
        if (pfn == 0) {
            pfn = mm.frames().alloc(FrameTable.ANON);
            swap.load(offset, pfn, mm.frames());
            if (swap.useCount(offset) > 1) swap.cache(offset, pfn, mm.frames());
        }
        mm.frames().map(pfn);
        swap.free(offset, mm.frames());
        long entry = mkPresent(pfn, false, false, false);
        if (pteSwpSoftDirty(pte)) entry = SoftDirty.pteMksoftDirty(mm, entry);
        boolean writable = exclusive && vma.has(VmFlag.VM_WRITE) && !SoftDirty.pteNeedsSoftDirtyWp(mm, vma, entry);
        if (writable) entry |= _PAGE_RW;
        if (writable && write) entry = SoftDirty.pteMkdirty(mm, entry);
        mm.pageTables().pteTable(addr)[pteIndex(addr)] = withUffdWp(entry, pteSwpUffdWp(pte));
        if (write && !pteWrite(mm.pageTables().pte(addr))) return doWpPage(mm, vma, addr, mm.pageTables().pte(addr));
        return FaultResult.OK;
    }

    /**
     * do_anonymous_page(): a read maps the shared zero page when the host uses it (without
     * preparing an anon_vma); otherwise a new zeroed anonymous page, writable when the VMA is.
     */
    static FaultResult doAnonymousPage(Mm mm, Vma vma, long addr, boolean write, boolean uffdWp) {
        long[] table = mm.pageTables().pteAlloc(addr);
        // Semantic ZERO_PAGE: follows the host profile (pvm_no_zero_page=1 turns it off) unless set.
        // A --semantic-class extension may overrule the choice (SemanticExtension.faultMapsZeroPage).
        if (!write && mm.semantics().extension().faultMapsZeroPage(mm.semantics().on(Semantic.ZERO_PAGE), vma.flags(), addr, false)) {
            if (vma.has(VmFlag.VM_UFFD_MISSING)) return Userfaultfd.handleUserfault(vma, "userfaultfd missing fault");
            table[pteIndex(addr)] = withUffdWp(mkPresent(FrameTable.ZERO_PFN, false, false, true), uffdWp);
            return FaultResult.OK;
        }
        anonVmaPrepare(mm, vma);
        // the page table and the anon_vma are in place before userfaultfd_missing() is asked
        if (vma.has(VmFlag.VM_UFFD_MISSING)) return Userfaultfd.handleUserfault(vma, "userfaultfd missing fault");
        int pfn = mm.frames().alloc(FrameTable.ANON);
        mm.frames().map(pfn);
        boolean writable = vma.has(VmFlag.VM_WRITE);
        long entry = mkPresent(pfn, writable, false, false);
        if (writable) entry = SoftDirty.pteMkdirty(mm, entry);
        table[pteIndex(addr)] = withUffdWp(entry, uffdWp);
        return FaultResult.OK;
    }

    /** pte_mkuffd_wp() when the entry replaced a uffd-wp marker: the bit, and no write permission. */
    static long withUffdWp(long pte, boolean uffdWp) {
        return uffdWp ? pteWrprotect(pte) | _PAGE_UFFD_WP : pte;
    }

    /** anon_vma_prepare(): the VMA gets an anon_vma before its first anonymous page. */
    static void anonVmaPrepare(Mm mm, Vma vma) {
        if (vma.anonVma() != null) return;
        AnonVma reused = findMergeableAnonVma(mm, vma);
        vma.setAnonVma(reused != null ? reused : new AnonVma(), vma.forkChild());
    }

    /**
     * find_mergeable_anon_vma() (mm/vma.c): a neighbour that could merge with this VMA but for
     * its access flags lends its anon_vma, unless that came from a fork (reusable_anon_vma()).
     */
    static AnonVma findMergeableAnonVma(Mm mm, Vma vma) {
        Vma next = mm.next(vma);
        if (next != null && anonVmaCompatible(mm, vma, next) && next.anonVma() != null && !next.forkChild()) return next.anonVma();
        Vma prev = mm.prev(vma);
        if (prev != null && anonVmaCompatible(mm, prev, vma) && prev.anonVma() != null && !prev.forkChild()) return prev.anonVma();
        return null;
    }

    /**
     * anon_vma_compatible(): a directly below b, same object and offsets, flags equal but for the
     * ones mprotect() changes and those merging ignores (the sticky flags).
     */
    static boolean anonVmaCompatible(Mm mm, Vma a, Vma b) {
        long ignored = VmFlag.VM_ACCESS_FLAGS | VmaMerge.ignoreMergeFlags(mm);
        return a.end() == b.start() && a.file() == b.file() && ((a.flags() ^ b.flags()) & ~ignored) == 0
                && b.pgoff() == a.pgoff() + a.pages();
    }

    /** do_fault(): a fault on a file or shmem mapping. */
    static FaultResult doFault(Mm mm, Vma vma, long addr, boolean write, boolean uffdWp) {
        if (!write) return doReadFault(mm, vma, addr, uffdWp);
        // do_cow_fault() prepares the anon_vma before __do_fault() finds the end of the file
        if (!vma.has(VmFlag.VM_SHARED)) anonVmaPrepare(mm, vma);
        FaultResult userfault = shmemUserfault(vma, addr);
        if (userfault != null) return userfault;
        if (vma.linearPageIndex(addr) >= vma.file().sizePages()) return FaultResult.SIGBUS;
        if (!vma.has(VmFlag.VM_SHARED)) return doCowFault(mm, vma, addr, uffdWp);
        return doSharedFault(mm, vma, addr, uffdWp);
    }

    /** do_read_fault(): map the cached neighbours first (fault-around), then the page itself. */
    static FaultResult doReadFault(Mm mm, Vma vma, long addr, boolean uffdWp) {
        if (shouldFaultAround(vma)) {
            doFaultAround(mm, vma, addr);
            if (pteP(mm.pageTables().pte(addr))) return FaultResult.OK;
        }
        FaultResult userfault = shmemUserfault(vma, addr);
        if (userfault != null) return userfault;
        // filemap_fault(): past the end of the file, after fault-around mapped what it could.
        if (vma.linearPageIndex(addr) >= vma.file().sizePages()) return FaultResult.SIGBUS;
        int pfn = pageCacheFolio(mm, vma, addr);
        setPteRange(mm, addr, pfn, false, uffdWp);
        return FaultResult.OK;
    }

    /**
     * shmem_get_folio_gfp()'s userfaultfd checks, before its end-of-file check: a page in the
     * cache (or out in swap) of a MINOR-registered VMA, or one missing from it in a
     * MISSING-registered VMA, goes to handle_userfault(). Null when the fault goes on.
     */
    static FaultResult shmemUserfault(Vma vma, long addr) {
        if (!vma.isShmem() || (vma.flags() & (VmFlag.VM_UFFD_MISSING.mask() | VmFlag.VM_UFFD_MINOR.mask())) == 0)
            return null;
        long index = vma.linearPageIndex(addr);
        boolean cached = vma.file().lookup(index) != 0 || vma.file().isSwapped(index);
        if (cached && vma.has(VmFlag.VM_UFFD_MINOR)) return Userfaultfd.handleUserfault(vma, "userfaultfd minor fault");
        if (!cached && vma.has(VmFlag.VM_UFFD_MISSING)) return Userfaultfd.handleUserfault(vma, "userfaultfd missing fault");
        return null;
    }

    /** should_fault_around(): not in uffd WP/MINOR-registered VMAs (uffd_disable_fault_around()). */
    static boolean shouldFaultAround(Vma vma) {
        return (vma.flags() & (VmFlag.VM_UFFD_WP.mask() | VmFlag.VM_UFFD_MINOR.mask())) == 0;
    }

    /**
     * do_fault_around() + filemap_map_pages(): maps, read-only, every page already in the page
     * cache within the fault_around_bytes-aligned window around addr, clamped to the VMA, the PTE
     * table and the end of the file, wherever the PTE is still none.
     */
    static void doFaultAround(Mm mm, Vma vma, long addr) {
        long pteOff = pteIndex(addr);
        long vmaOff = vma.linearPageIndex(addr) - vma.pgoff();
        long fromPte = Math.max(pteOff & ~(FAULT_AROUND_PAGES - 1), pteOff - Math.min(pteOff, vmaOff));
        long toPte = Math.min(Math.min(fromPte + FAULT_AROUND_PAGES, PTRS_PER_TABLE),
                pteOff + vma.pages() - vmaOff) - 1;
        long base = addr - (pteOff << PAGE_SHIFT);
        // filemap_map_pages() maps a PMD-sized folio whole when it lies within the VMA and this
        // PTE table (6.18: the window grows to the folio)
        long head = vma.file().largeFolioHead(vma.linearPageIndex(addr));
        if (head >= 0) {
            long folioAddr = addr - ((vma.linearPageIndex(addr) - head) << PAGE_SHIFT);
            if (folioAddr == base && folioAddr >= vma.start() && folioAddr + PMD_SIZE <= vma.end()) {
                fromPte = 0;
                toPte = PTRS_PER_TABLE - 1;
            }
        }
        long lastIndex = vma.file().sizePages() - 1;
        if (!anyCached(vma, base, fromPte, Math.min(toPte, pteOff + lastIndex - vma.linearPageIndex(addr)))) return;
        // filemap_map_pmd(): the table comes with the first page there is to map
        long[] table = mm.pageTables().pteAlloc(addr);
        for (long i = fromPte; i <= toPte; i++) {
            long a = base + (i << PAGE_SHIFT);
            long index = vma.linearPageIndex(a);
            if (index > lastIndex) break;
            if (!pteNone(table[(int) i])) continue;
            int pfn = vma.file().lookup(index);
            if (pfn == 0 || vma.file().readaheadMarked(index)) continue; // next_uptodate_folio()
            mm.frames().map(pfn);
            table[(int) i] = mkPresent(pfn, false, false, false);
        }
    }

    /** next_uptodate_folio(): whether any page of the window's PTE slots [from, to] is cached. */
    private static boolean anyCached(Vma vma, long base, long from, long to) {
        for (long i = from; i <= to; i++) {
            long index = vma.linearPageIndex(base + (i << PAGE_SHIFT));
            if (vma.file().lookup(index) != 0 && !vma.file().readaheadMarked(index)) return true;
        }
        return false;
    }

    /** The page-cache page for addr (filemap_fault() / shmem_fault(), which allocates shmem pages). */
    static int pageCacheFolio(Mm mm, Vma vma, long addr) {
        asyncMmapReadahead(vma, addr);
        return vma.file().getOrAlloc(vma.linearPageIndex(addr), mm.frames());
    }

    /**
     * do_async_mmap_readahead(): a fault that finds its page marked PG_readahead starts async
     * readahead (page_cache_async_ra()), which clears the mark; not in a VM_RAND_READ VMA. The
     * reading ahead itself is not modelled: a page reclaim dropped stays out until a fault on it.
     */
    static void asyncMmapReadahead(Vma vma, long addr) {
        long index = vma.linearPageIndex(addr);
        if (!vma.has(VmFlag.VM_RAND_READ) && vma.file().readaheadMarked(index)) vma.file().clearReadahead(index);
    }

    /** set_pte_range() for one page-cache page. */
    static void setPteRange(Mm mm, long addr, int pfn, boolean write, boolean uffdWp) {
        long[] table = mm.pageTables().pteAlloc(addr);
        mm.frames().map(pfn);
        long entry = mkPresent(pfn, write, false, false);
        if (write) entry = SoftDirty.pteMkdirty(mm, entry);
        table[pteIndex(addr)] = withUffdWp(entry, uffdWp);
    }

    /** do_cow_fault(): a write to a private file mapping gets a private anonymous copy. */
    static FaultResult doCowFault(Mm mm, Vma vma, long addr, boolean uffdWp) {
        anonVmaPrepare(mm, vma);
        asyncMmapReadahead(vma, addr); // __do_fault() reads the page-cache page to copy
        int pfn = mm.frames().alloc(FrameTable.ANON);
        // copy_mc_user_highpage(): the copy starts with the file page's contents
        mm.frames().setValue(pfn, vma.file().value(vma.linearPageIndex(addr)));
        long[] table = mm.pageTables().pteAlloc(addr);
        mm.frames().map(pfn);
        table[pteIndex(addr)] = withUffdWp(SoftDirty.pteMkdirty(mm, mkPresent(pfn, true, true, false)), uffdWp);
        return FaultResult.OK;
    }

    /** do_shared_fault(): a write to a shared mapping maps the page-cache page writable. */
    static FaultResult doSharedFault(Mm mm, Vma vma, long addr, boolean uffdWp) {
        int pfn = pageCacheFolio(mm, vma, addr);
        setPteRange(mm, addr, pfn, true, uffdWp);
        return FaultResult.OK;
    }

    /**
     * do_wp_page(): a write to a present read-only entry. Shared mappings just become writable;
     * in a private mapping an exclusive anonymous page is reused (unless the swap cache still holds
     * it for another process's slot), and the zero page or a page-cache page is copied
     * (wp_page_copy()).
     */
    static FaultResult doWpPage(Mm mm, Vma vma, long addr, long pte) {
        long[] table = mm.pageTables().pteTable(addr);
        int idx = pteIndex(addr);
        if (pteUffdWp(pte)) {
            if (!Userfaultfd.userfaultfdWpAsync(vma))
                return Userfaultfd.handleUserfault(vma, "userfaultfd write-protect fault");
            // Async mode resolves in place: the bit goes, then the ordinary write fault follows.
            pte &= ~_PAGE_UFFD_WP;
            table[idx] = pte;
        }
        long pfn = ptePfn(pte);
        if (vma.has(VmFlag.VM_SHARED)) {
            table[idx] = SoftDirty.pteMkdirty(mm, pteMkwriteDirty(pte));
            return FaultResult.OK;
        }
        boolean anon = !pteSpecial(pte) && mm.frames().isAnon(pfn);
        // wp_can_reuse_anon_folio(): a folio the swap cache holds for a slot another process still
        // uses cannot be freed from it (folio_free_swap() fails), so its extra reference forbids reuse
        if (anon && mm.frames().anonExclusive(pfn) && !mm.frames().swapCached(pfn)) {
            table[idx] = SoftDirty.pteMkdirty(mm, pteMkwriteDirty(pte));
            return FaultResult.OK;
        }
        anonVmaPrepare(mm, vma);
        int copy = mm.frames().alloc(FrameTable.ANON);
        // wp_page_copy(): the zero page gives a zeroed page, anything else a copy of its contents
        if (!pteSpecial(pte)) mm.frames().setContents(copy, frameValue(mm, vma, addr, pfn), mm.frames().restData(pfn));
        mm.frames().map(copy);
        if (!pteSpecial(pte)) mm.frames().unmap(pfn);
        table[idx] = SoftDirty.pteMkdirty(mm, mkPresent(copy, true, true, false));
        return FaultResult.OK;
    }

    /** struct zap_details: what a zap leaves behind. */
    public record ZapDetails(boolean dropMarkers, boolean reclaimPt) {
        /** unmap_vmas() on munmap: everything goes, markers included. */
        public static final ZapDetails UNMAP = new ZapDetails(true, false);
        /** MADV_DONTNEED: markers stay; an emptied PTE table over a whole PMD range is freed. */
        public static final ZapDetails DONTNEED = new ZapDetails(false, true);
        /** zap_vma_range() as used by guard install: markers stay, tables stay. */
        public static final ZapDetails KEEP_MARKERS = new ZapDetails(false, false);
    }

    /**
     * zap_page_range_single() / unmap_page_range() over [start, end) of one VMA, PMD by PMD:
     * zap_pte_range() clears present entries (dropping their frames' mappings) and, unless
     * dropMarkers, keeps PTE markers. With reclaimPt, a PTE table whose whole PMD range was zapped
     * and that holds nothing afterwards is freed (try_get_and_clear_pmd(), mm/pt_reclaim.c).
     */
    public static void zapPteRange(Mm mm, Vma vma, long start, long end, ZapDetails details) {
        long addr = start;
        while (addr < end) {
            long next = pmdAddrEnd(addr, end);
            // zap_pmd_range(): a PMD leaf goes whole (zap_huge_pmd()) or is split first
            if (HugeMemory.zapHugePmdRange(mm, vma, addr, next)) {
                addr = next;
                continue;
            }
            long[] table = mm.pageTables().pteTable(addr);
            if (table != null) {
                boolean empty = true;
                for (long a = addr; a < next; a += PAGE_SIZE) {
                    int i = pteIndex(a);
                    long pte = table[i];
                    if (pteNone(pte)) continue;
                    if (pteP(pte)) {
                        // zap_present_folio_ptes(): a dirty entry dirties its page-cache page (not an
                        // anonymous COW copy in a private file or shmem mapping)
                        if (pteDirty(pte) && vma.file() != null && !pteSpecial(pte)
                                && !mm.frames().isAnon(ptePfn(pte))) vma.file().markDirty(vma.linearPageIndex(a));
                        if (!pteSpecial(pte)) mm.frames().unmap(ptePfn(pte));
                        table[i] = 0;
                        // pte_install_uffd_wp_if_needed(): a write-protected file page leaves a marker.
                        if (!details.dropMarkers() && !vma.isAnonymous() && Userfaultfd.userfaultfdWp(vma)
                                && pteUffdWp(pte)) table[i] = mkMarker(PTE_MARKER_UFFD_WP);
                    } else if (isUffdWpMarker(pte)) {
                        // zap_nonpresent_ptes(): anonymous memory always drops a uffd-wp marker,
                        // file memory only when markers are to go.
                        if (vma.isAnonymous() || details.dropMarkers()) table[i] = 0;
                    } else if (isPteMarker(pte)) {
                        if (details.dropMarkers()) table[i] = 0;
                    } else {
                        // a genuine swap entry: the slot reference goes (swap_put_entries_direct())
                        mm.frames().swap().free(swpOffset(pte), mm.frames());
                        table[i] = 0;
                    }
                }
                // semantic PT_RECLAIM: before 6.14 the emptied table stays
                if (details.reclaimPt() && next - addr == PMD_SIZE && mm.semantics().on(Semantic.PT_RECLAIM)) {
                    for (long v : table) if (v != 0) { empty = false; break; }
                    if (empty) mm.pageTables().freePteTable(addr);
                }
            }
            addr = next;
        }
    }

    /**
     * zap_page_range_single() with details.zap_mapping set: page-cache pages of the VMA's object are
     * unmapped; anonymous pages (private copies) only with evenCows; markers stay.
     */
    static void zapMappingRange(Mm mm, Vma vma, long start, long end, boolean evenCows) {
        for (long a = start; a < end; a += PAGE_SIZE) {
            long[] t = mm.pageTables().pteTable(a);
            if (t == null) {
                a = (a & PMD_MASK) + PMD_SIZE - PAGE_SIZE;
                continue;
            }
            int i = pteIndex(a);
            long pte = t[i];
            if (!pteP(pte) || pteSpecial(pte)) continue;
            long pfn = ptePfn(pte);
            if (mm.frames().isAnon(pfn) && !evenCows) continue;
            mm.frames().unmap(pfn);
            t[i] = 0;
            // cond_install_uffd_wp_ptes(): a write-protected entry of a uffd-wp file VMA leaves a marker
            if (!vma.isAnonymous() && Userfaultfd.userfaultfdWp(vma) && pteUffdWp(pte)) t[i] = mkMarker(PTE_MARKER_UFFD_WP);
        }
    }

    /** unmap_vmas() for one VMA being removed. */
    static void unmapVma(Mm mm, Vma vma) {
        if (vma.isHugetlb()) {
            Hugetlb.unmapHugepageRange(mm, vma, vma.start(), vma.end(), true);
            return;
        }
        zapPteRange(mm, vma, vma.start(), vma.end(), ZapDetails.UNMAP);
    }

    /**
     * populate_vma_page_range() (mm/gup.c) for MAP_POPULATE / MAP_LOCKED: faults every page in
     * [start, end) of each VMA, writing when the mapping is private and writable (to break COW
     * up front) and reading otherwise; PROT_NONE VMAs are skipped. Faults that fail are ignored,
     * as mm_populate() ignores them.
     */
    public static void mmPopulate(Mm mm, long start, long end) {
        for (Vma vma : mm.vmas(start, end)) {
            if ((vma.flags() & VmFlag.VM_ACCESS_FLAGS) == 0) continue;
            populateVmaPageRange(mm, vma, Math.max(start, vma.start()), Math.min(end, vma.end()));
        }
    }

    /**
     * populate_vma_page_range() (mm/gup.c) over [start, end) of one VMA: faults every page in,
     * writing where the mapping is private and writable (to break COW up front). Returns 0, or
     * EFAULT at the first page that cannot be faulted.
     */
    static int populateVmaPageRange(Mm mm, Vma vma, long start, long end) {
        boolean write = (vma.flags() & (VmFlag.VM_WRITE.mask() | VmFlag.VM_SHARED.mask())) == VmFlag.VM_WRITE.mask();
        if (vma.isHugetlb()) return Hugetlb.populateHugetlbRange(mm, vma, start, end, write);
        for (long a = start; a < end; a += PAGE_SIZE) {
            long pte = mm.pageTables().pte(a);
            if (pteP(pte) && (!write || pteWrite(pte))) {
                if (write) followPageTouchWrite(mm, vma, a, pte);
                continue;
            }
            if (handlePteFault(mm, vma, a, write) != FaultResult.OK) return Errno.EFAULT.neg();
        }
        return 0;
    }

    /**
     * follow_page_pte() with FOLL_WRITE | FOLL_TOUCH (mm/gup.c) on a present writable entry that
     * needs no fault: a clean entry's folio is marked dirty (folio_mark_dirty()). For an anonymous
     * folio MADV_FREE left lazily freeable, that means reclaim may no longer drop it; for a
     * page-cache folio, reclaim must keep it. The entry itself stays clean.
     */
    static void followPageTouchWrite(Mm mm, Vma vma, long addr, long pte) {
        if (pteDirty(pte) || pteSpecial(pte)) return;
        long pfn = ptePfn(pte);
        if (mm.frames().isAnon(pfn)) mm.frames().markAnonFolioDirty(pfn);
        else if (vma.file() != null) vma.file().markDirty(vma.linearPageIndex(addr));
    }
}
