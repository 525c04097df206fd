package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

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
     * (arch/x86/mm/fault.c): no VMA or a forbidden access gives SIGSEGV.
     */
    public static FaultResult handleMmFault(Mm mm, long addr, boolean write) {
        Vma vma = mm.vmaLookup(addr);
        if (vma == null) return FaultResult.SIGSEGV;
        if (accessError(vma, write)) return FaultResult.SIGSEGV;
        return handlePteFault(mm, vma, addr & PAGE_MASK, write);
    }

    /** access_error(): writes need VM_WRITE; reads need any of read, write or exec. */
    static boolean accessError(Vma vma, boolean write) {
        if (write) return !vma.has(VmFlag.VM_WRITE);
        return (vma.flags & VmFlag.VM_ACCESS_FLAGS) == 0;
    }

    /** handle_pte_fault(). */
    static FaultResult handlePteFault(Mm mm, Vma vma, long addr, boolean write) {
        long pte = mm.pageTables().pte(addr);
        if (pteNone(pte)) {
            if (vma.isAnonymous()) return doAnonymousPage(mm, vma, addr, write);
            return doFault(mm, vma, addr, write);
        }
        if (!pteP(pte)) {
            // do_swap_page() -> handle_pte_marker(): a guard marker is fatal to the access.
            if (isGuardMarker(pte)) return FaultResult.SIGSEGV;
            // Model simplification: swap-in and uffd-wp markers are not modelled yet.
            return FaultResult.SIGSEGV;
        }
        if (write && !pteWrite(pte)) return doWpPage(mm, vma, addr, pte);
        long[] table = mm.pageTables().pteTable(addr);
        table[pteIndex(addr)] = pte | _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
        return FaultResult.OK;
    }

    /**
     * do_anonymous_page(): a read maps the shared zero page when the host uses it (without
     * preparing an anon_vma); otherwise a new zeroed anonymous page, writable when the VMA is.
     */
    static FaultResult doAnonymousPage(Mm mm, Vma vma, long addr, boolean write) {
        long[] table = mm.pageTables().pteAlloc(addr);
        if (!write && mm.semantics().host().zeroPage()) {
            table[pteIndex(addr)] = mkPresent(FrameTable.ZERO_PFN, false, false, true);
            return FaultResult.OK;
        }
        anonVmaPrepare(vma);
        int pfn = mm.frames().alloc(FrameTable.ANON);
        mm.frames().map(pfn);
        boolean writable = vma.has(VmFlag.VM_WRITE);
        table[pteIndex(addr)] = mkPresent(pfn, writable, writable, false);
        return FaultResult.OK;
    }

    /** anon_vma_prepare(): the VMA gets an anon_vma before its first anonymous page. */
    static void anonVmaPrepare(Vma vma) {
        if (vma.anonVma == null) vma.anonVma = new AnonVma();
    }

    /** do_fault(): a fault on a file or shmem mapping. */
    static FaultResult doFault(Mm mm, Vma vma, long addr, boolean write) {
        long index = vma.linearPageIndex(addr);
        if (index >= vma.file.sizePages()) return FaultResult.SIGBUS;
        if (!write) return doReadFault(mm, vma, addr);
        if (!vma.has(VmFlag.VM_SHARED)) return doCowFault(mm, vma, addr);
        return doSharedFault(mm, vma, addr);
    }

    /** do_read_fault(): map the cached neighbours first (fault-around), then the page itself. */
    static FaultResult doReadFault(Mm mm, Vma vma, long addr) {
        if (shouldFaultAround(vma)) {
            doFaultAround(mm, vma, addr);
            if (!pteNone(mm.pageTables().pte(addr))) return FaultResult.OK;
        }
        int pfn = pageCacheFolio(mm, vma, addr);
        setPteRange(mm, addr, pfn, false);
        return FaultResult.OK;
    }

    /** should_fault_around(): not in uffd MISSING/MINOR-registered VMAs (uffd_disable_fault_around()). */
    static boolean shouldFaultAround(Vma vma) {
        return (vma.flags & (VmFlag.VM_UFFD_MISSING.mask() | VmFlag.VM_UFFD_MINOR.mask())) == 0;
    }

    /**
     * do_fault_around() + filemap_map_pages(): maps, read-only, every page already in the page
     * cache within the fault_around_bytes-aligned window around addr, clamped to the VMA, the PTE
     * table and the end of the file, wherever the PTE is still none.
     */
    static void doFaultAround(Mm mm, Vma vma, long addr) {
        long pteOff = pteIndex(addr);
        long vmaOff = vma.linearPageIndex(addr) - vma.pgoff;
        long fromPte = Math.max(pteOff & ~(FAULT_AROUND_PAGES - 1), pteOff - Math.min(pteOff, vmaOff));
        long toPte = Math.min(Math.min(fromPte + FAULT_AROUND_PAGES, PTRS_PER_TABLE),
                pteOff + vma.pages() - vmaOff) - 1;
        long[] table = mm.pageTables().pteAlloc(addr);
        long base = addr - (pteOff << PAGE_SHIFT);
        long lastIndex = vma.file.sizePages() - 1;
        for (long i = fromPte; i <= toPte; i++) {
            long a = base + (i << PAGE_SHIFT);
            long index = vma.linearPageIndex(a);
            if (index > lastIndex) break;
            if (!pteNone(table[(int) i])) continue;
            int pfn = vma.file.lookup(index);
            if (pfn == 0) continue;
            mm.frames().map(pfn);
            table[(int) i] = mkPresent(pfn, false, false, false);
        }
    }

    /** The page-cache page for addr (filemap_fault() / shmem_fault(), which allocates shmem pages). */
    static int pageCacheFolio(Mm mm, Vma vma, long addr) {
        return vma.file.getOrAlloc(vma.linearPageIndex(addr), mm.frames());
    }

    /** set_pte_range() for one page-cache page. */
    static void setPteRange(Mm mm, long addr, int pfn, boolean write) {
        long[] table = mm.pageTables().pteAlloc(addr);
        mm.frames().map(pfn);
        table[pteIndex(addr)] = mkPresent(pfn, write, write, false);
    }

    /** do_cow_fault(): a write to a private file mapping gets a private anonymous copy. */
    static FaultResult doCowFault(Mm mm, Vma vma, long addr) {
        anonVmaPrepare(vma);
        int pfn = mm.frames().alloc(FrameTable.ANON);
        long[] table = mm.pageTables().pteAlloc(addr);
        mm.frames().map(pfn);
        table[pteIndex(addr)] = mkPresent(pfn, true, true, false);
        return FaultResult.OK;
    }

    /** do_shared_fault(): a write to a shared mapping maps the page-cache page writable. */
    static FaultResult doSharedFault(Mm mm, Vma vma, long addr) {
        int pfn = pageCacheFolio(mm, vma, addr);
        setPteRange(mm, addr, pfn, true);
        return FaultResult.OK;
    }

    /**
     * do_wp_page(): a write to a present read-only entry. Shared mappings just become writable;
     * in a private mapping an exclusive anonymous page is reused, and the zero page or a
     * page-cache page is copied (wp_page_copy()).
     */
    static FaultResult doWpPage(Mm mm, Vma vma, long addr, long pte) {
        long[] table = mm.pageTables().pteTable(addr);
        int idx = pteIndex(addr);
        long pfn = ptePfn(pte);
        if (vma.has(VmFlag.VM_SHARED)) {
            table[idx] = pteMkwriteDirty(pte);
            return FaultResult.OK;
        }
        boolean anon = !pteSpecial(pte) && mm.frames().isAnon(pfn);
        if (anon && mm.frames().mapcount(pfn) == 1) {
            table[idx] = pteMkwriteDirty(pte);
            return FaultResult.OK;
        }
        anonVmaPrepare(vma);
        int copy = mm.frames().alloc(FrameTable.ANON);
        mm.frames().map(copy);
        if (!pteSpecial(pte)) mm.frames().unmap(pfn);
        table[idx] = mkPresent(copy, true, true, false);
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
            long[] table = mm.pageTables().pteTable(addr);
            if (table != null) {
                boolean empty = true;
                for (long a = addr; a < next; a += PAGE_SIZE) {
                    int i = pteIndex(a);
                    long pte = table[i];
                    if (pteNone(pte)) continue;
                    if (pteP(pte)) {
                        if (!pteSpecial(pte)) mm.frames().unmap(ptePfn(pte));
                        table[i] = 0;
                    } else if (isPteMarker(pte)) {
                        if (details.dropMarkers()) table[i] = 0;
                    } else {
                        table[i] = 0;
                    }
                }
                if (details.reclaimPt() && next - addr == PMD_SIZE) {
                    for (long v : table) if (v != 0) { empty = false; break; }
                    if (empty) mm.pageTables().freePteTable(addr);
                }
            }
            addr = next;
        }
    }

    /** unmap_vmas() for one VMA being removed. */
    static void unmapVma(Mm mm, Vma vma) {
        zapPteRange(mm, vma, vma.start, vma.end, ZapDetails.UNMAP);
    }

    /**
     * populate_vma_page_range() (mm/gup.c) for MAP_POPULATE / MAP_LOCKED: faults every page in
     * [start, end) of each VMA, writing when the mapping is private and writable (to break COW
     * up front) and reading otherwise; PROT_NONE VMAs are skipped. Faults that fail are ignored,
     * as mm_populate() ignores them.
     */
    public static void mmPopulate(Mm mm, long start, long end) {
        for (Vma vma : mm.vmas(start, end)) {
            if ((vma.flags & VmFlag.VM_ACCESS_FLAGS) == 0) continue;
            boolean write = (vma.flags & (VmFlag.VM_WRITE.mask() | VmFlag.VM_SHARED.mask())) == VmFlag.VM_WRITE.mask();
            long s = Math.max(start, vma.start);
            long e = Math.min(end, vma.end);
            for (long a = s; a < e; a += PAGE_SIZE) {
                long pte = mm.pageTables().pte(a);
                if (pteP(pte) && (!write || pteWrite(pte))) continue;
                if (handlePteFault(mm, vma, a, write) != FaultResult.OK) break;
            }
        }
    }
}
