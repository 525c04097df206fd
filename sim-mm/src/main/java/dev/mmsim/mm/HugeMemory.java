package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.VmFlag;

/**
 * PMD-level transparent huge pages of anonymous memory, modelled on mm/huge_memory.c (faults,
 * zap, split, fork, protection changes, moves) and mm/khugepaged.c (MADV_COLLAPSE).
 *
 * <p>A THP is a {@link PmdLeaf} whose entry maps the head frame of a 512-frame folio allocated
 * with {@link FrameTable#allocThp()}; the folio's PMD mappings are its entire mapcount, its PTE
 * mappings (after a split) the base pages' own mapcounts. The huge zero page is a leaf with the
 * special bit mapping {@link FrameTable#hugeZeroPfn()}.
 *
 * <p>Where the kernel would split the PMD ({@link #splitHugePmd}): a zap, protection change,
 * userfaultfd write-protection or move over part of it, a VMA boundary inside it
 * (vma_adjust_trans_huge()), a page walk with a pte_entry callback, a write to it that cannot
 * reuse the folio, and PAGEMAP_SCAN's write-protection of part of it. The folio stays whole and
 * mapped by 512 PTEs; what the PTE-level code then does to single pages it does to base pages
 * of that folio.
 *
 * <p>Model simplifications: only anonymous VMAs get THPs (shmem_enabled is never on the hosts and
 * file THPs come only from khugepaged); a THP fault in a VMA registered for userfaultfd missing or
 * minor faults, MADV_COLLAPSE
 * of file or shmem memory and reclaim (MADV_PAGEOUT) of a THP are not modelled. khugepaged is not
 * modelled: it runs asynchronously (see the user guide on how the kernel backend keeps it out).
 */
public final class HugeMemory {
    private HugeMemory() {}

    /** HPAGE_PMD_NR. */
    public static final int HPAGE_PMD_NR = FrameTable.HPAGE_PMD_NR;

    /** The host's /sys/kernel/mm/transparent_hugepage/enabled: always, madvise or never. */
    static String thpMode(Mm mm) {
        return mm.semantics().host().thp();
    }

    /**
     * thp_vma_suitable_order() for PMD_ORDER: the 2 MiB-aligned range around addr lies inside the
     * VMA, and the VMA's page offset is aligned with its address.
     */
    static boolean thpVmaSuitable(Vma vma, long addr) {
        if ((((vma.start() >>> PAGE_SHIFT) - vma.pgoff()) & (HPAGE_PMD_NR - 1)) != 0) return false;
        long haddr = addr & PMD_MASK;
        return haddr >= vma.start() && haddr + PMD_SIZE <= vma.end();
    }

    /**
     * thp_vma_allowable_order(vma, TVA_PAGEFAULT, PMD_ORDER) for anonymous memory: the VMA is
     * private anonymous, neither VM_NOHUGEPAGE nor VM_HUGETLB nor special, and the host's THP mode
     * is always, or madvise with VM_HUGEPAGE.
     */
    static boolean thpFaultAllowed(Mm mm, Vma vma) {
        if (!vma.isAnonymous()) return false;
        if ((vma.flags() & (VmFlag.VM_NOHUGEPAGE.mask() | VmFlag.VM_HUGETLB.mask() | VmFlag.VM_SPECIAL)) != 0) return false;
        return switch (thpMode(mm)) {
            case "always" -> true;
            case "madvise" -> vma.has(VmFlag.VM_HUGEPAGE);
            default -> false;
        };
    }

    /**
     * The PMD level of __handle_mm_fault(): a fault where the PMD is empty and a THP is allowed
     * goes to create_huge_pmd() / do_huge_pmd_anonymous_page(); a fault on a PMD leaf goes to
     * huge_pmd_set_accessed() or, for a write to a read-only leaf, do_huge_pmd_wp_page(). Returns
     * the result, or null when the fault is to be handled at PTE level (the PMD holds a PTE table,
     * a THP is not allowed, or the leaf was split).
     */
    static Memory.FaultResult hugePmdFault(Mm mm, Vma vma, long addr, boolean write) {
        PageTables pt = mm.pageTables();
        PmdLeaf leaf = pt.pmdLeaf(addr);
        if (leaf == null) {
            // A --semantic-class extension may overrule thpFaultAllowed() (SemanticExtension.faultMapsThp).
            if (!pmdNone(pt, addr) || !vma.isAnonymous()
                    || !mm.semantics().extension().faultMapsThp(thpFaultAllowed(mm, vma), vma.flags(), addr)
                    || !thpVmaSuitable(vma, addr)) return null;
            return doHugePmdAnonymousPage(mm, vma, addr, write);
        }
        if (!write || pteWrite(leaf.entry)) {
            // touch_pmd(): young, and dirty (pmd_mkdirty(): soft-dirty too) for a write
            leaf.entry |= _PAGE_ACCESSED;
            if (write) leaf.entry = SoftDirty.pteMkdirty(mm, leaf.entry);
            return Memory.FaultResult.OK;
        }
        return doHugePmdWpPage(mm, vma, addr, leaf);
    }

    /** pmd_none(): no PTE table and no leaf at addr. */
    static boolean pmdNone(PageTables pt, long addr) {
        Object[] pmd = pt.pmdTable(addr);
        return pmd == null || pmd[pmdIndex(addr)] == null;
    }

    /**
     * do_huge_pmd_anonymous_page(): prepares the anon_vma; a read maps the huge zero page when the
     * host uses zero pages (mm_forbids_zeropage() is false; the hosts' use_zero_page is 1), anything
     * else maps a new THP, writable and dirty where the VMA is writable.
     */
    static Memory.FaultResult doHugePmdAnonymousPage(Mm mm, Vma vma, long addr, boolean write) {
        // userfaultfd_missing(): the fault would wait for a handler. A uffd-wp registration alone
        // does not stop a THP (its markers live in PTE tables, so the PMD is not empty there).
        Memory.anonVmaPrepare(mm, vma);
        if (vma.has(VmFlag.VM_UFFD_MISSING)) return Userfaultfd.handleUserfault(vma, "userfaultfd missing fault");
        if (!write && mm.semantics().extension().faultMapsZeroPage(mm.semantics().on(Semantic.ZERO_PAGE), vma.flags(), addr, true)) {
            mm.pageTables().setPmdLeaf(addr, mkHugeZeroPmd(mm));
            return Memory.FaultResult.OK;
        }
        mapNewThp(mm, vma, addr & PMD_MASK);
        return Memory.FaultResult.OK;
    }

    /** The leaf of the huge zero page (mm_get_huge_zero_folio() + set_huge_zero_folio()): read-only, special. */
    static long mkHugeZeroPmd(Mm mm) {
        return mkPresent(mm.frames().hugeZeroPfn(), false, false, true) | _PAGE_PSE;
    }

    /**
     * map_anon_folio_pmd(): a new THP mapped by the PMD at haddr, always dirty (pmd_mkdirty(), so
     * soft-dirty where that is configured, also after a read fault or a collapse) and writable if
     * the VMA is (maybe_pmd_mkwrite()).
     */
    static void mapNewThp(Mm mm, Vma vma, long haddr) {
        int head = mm.frames().allocThp();
        mm.frames().mapPmd(head);
        boolean writable = vma.has(VmFlag.VM_WRITE);
        mm.pageTables().setPmdLeaf(haddr, SoftDirty.pteMkdirty(mm, mkPresent(head, writable, true, false)) | _PAGE_PSE);
    }

    /**
     * do_huge_pmd_wp_page(): a write to a read-only leaf. A uffd-wp leaf in an async uffd-wp VMA
     * is split and the write resolved at PTE level. The huge zero page is replaced by a new
     * THP (do_huge_zero_wp_pmd(), since 6.13); a THP mapped by this PMD alone is reused; otherwise
     * the PMD is split and the fault falls back to PTE level, which copies one base page.
     */
    static Memory.FaultResult doHugePmdWpPage(Mm mm, Vma vma, long addr, PmdLeaf leaf) {
        if (pteUffdWp(leaf.entry)) {
            if (!Userfaultfd.userfaultfdWpAsync(vma))
                return Userfaultfd.handleUserfault(vma, "userfaultfd write-protect fault");
            // async uffd-wp resolves at PTE level: the leaf is split, each PTE keeps the bit
            splitHugePmd(mm, vma, addr);
            return null;
        }
        long pfn = ptePfn(leaf.entry);
        if (mm.frames().isHugeZeroPfn(pfn) && !mm.semantics().on(Semantic.HUGE_ZERO_WP_THP)) {
            // before 6.13 (semantic HUGE_ZERO_WP_THP off): the huge zero page is split into PTEs
            // of the shared zero page and the write copies one base page (do_wp_page())
            splitHugePmd(mm, vma, addr);
            return null;
        }
        if (mm.frames().isHugeZeroPfn(pfn)) {
            mm.pageTables().clearPmdLeaf(addr);
            Memory.anonVmaPrepare(mm, vma);
            mapNewThp(mm, vma, addr & PMD_MASK);
            return Memory.FaultResult.OK;
        }
        if (mm.frames().isAnon(pfn) && mm.frames().anonExclusive(pfn)) {
            leaf.entry = SoftDirty.pteMkdirty(mm, pteMkwriteDirty(leaf.entry)) | _PAGE_ACCESSED;
            return Memory.FaultResult.OK;
        }
        splitHugePmd(mm, vma, addr);
        return null;
    }

    /**
     * split_huge_pmd() / __split_huge_pmd_locked(): the leaf covering addr, if any, becomes a PTE
     * table of 512 entries mapping the same frames with the same permission, dirty, accessed and
     * uffd-wp bits; for the huge zero page, 512 entries of the small zero page
     * (__split_huge_zero_page_pmd()). The folio stays whole.
     */
    public static void splitHugePmd(Mm mm, Vma vma, long addr) {
        PageTables pt = mm.pageTables();
        PmdLeaf leaf = pt.pmdLeaf(addr);
        if (leaf == null) return;
        long entry = leaf.entry & ~_PAGE_PSE;
        long haddr = addr & PMD_MASK;
        pt.clearPmdLeaf(haddr);
        long[] table = pt.pteAlloc(haddr);
        long pfn = ptePfn(entry);
        if (mm.frames().isHugeZeroPfn(pfn)) {
            long zero = withBits(mkPresent(FrameTable.ZERO_PFN, false, false, true), entry, _PAGE_UFFD_WP);
            for (int i = 0; i < HPAGE_PMD_NR; i++) table[i] = zero;
            return;
        }
        mm.frames().remapPmdAsPtes(pfn);
        for (int i = 0; i < HPAGE_PMD_NR; i++) table[i] = (entry & ~PFN_MASK) | ((pfn + i) << PFN_SHIFT);
    }

    private static long withBits(long pte, long from, long bits) {
        return pte | (from & bits);
    }

    /**
     * vma_adjust_trans_huge() for one new VMA boundary: a leaf that the boundary at addr would cut
     * is split first (split_huge_pmd_if_needed()).
     */
    static void splitHugePmdIfNeeded(Mm mm, Vma vma, long addr) {
        if ((addr & ~PMD_MASK) == 0) return;
        if (mm.pageTables().pmdLeaf(addr) != null) splitHugePmd(mm, vma, addr);
    }

    /**
     * zap_pmd_range() at a leaf: a zap of the whole 2 MiB clears it (zap_huge_pmd()); a zap of part
     * of it splits it first, and the PTE level zaps the part. Returns whether the leaf was zapped.
     */
    static boolean zapHugePmdRange(Mm mm, Vma vma, long addr, long next) {
        PmdLeaf leaf = mm.pageTables().pmdLeaf(addr);
        if (leaf == null) return false;
        if (next - addr == PMD_SIZE) {
            zapHugePmd(mm, addr, leaf);
            return true;
        }
        splitHugePmd(mm, vma, addr);
        return false;
    }

    /** zap_huge_pmd(): the leaf goes; a THP's folio loses this PMD mapping. */
    static void zapHugePmd(Mm mm, long addr, PmdLeaf leaf) {
        long pfn = ptePfn(leaf.entry);
        mm.pageTables().clearPmdLeaf(addr);
        if (!mm.frames().isHugeZeroPfn(pfn)) mm.frames().unmapPmd(pfn);
    }

    /**
     * change_pmd_range() at a leaf for mprotect(): a leaf wholly inside [addr, next) is changed in
     * place (change_huge_pmd(): write permission goes when the VMA is no longer writable); one only
     * partly inside is split first. Returns whether the leaf was handled.
     */
    static boolean changeHugePmd(Mm mm, Vma vma, long addr, long next) {
        PmdLeaf leaf = mm.pageTables().pmdLeaf(addr);
        if (leaf == null) return false;
        if (next - addr != PMD_SIZE) {
            splitHugePmd(mm, vma, addr);
            return false;
        }
        if (!vma.has(VmFlag.VM_WRITE)) leaf.entry = pteWrprotect(leaf.entry);
        return true;
    }

    /**
     * change_huge_pmd() with MM_CP_UFFD_WP / MM_CP_UFFD_WP_RESOLVE for anonymous memory over a whole
     * leaf: the uffd-wp bit is set (and write permission removed) or cleared. A partial range splits
     * the leaf. Returns whether the leaf was handled.
     */
    static boolean uffdWpHugePmd(Mm mm, Vma vma, long addr, long next, boolean enable) {
        PmdLeaf leaf = mm.pageTables().pmdLeaf(addr);
        if (leaf == null) return false;
        if (next - addr != PMD_SIZE || !vma.isAnonymous()) {
            splitHugePmd(mm, vma, addr);
            return false;
        }
        leaf.entry = enable ? pteWrprotect(leaf.entry) | _PAGE_UFFD_WP : leaf.entry & ~_PAGE_UFFD_WP;
        return true;
    }

    /**
     * copy_huge_pmd(): fork of a leaf of a private anonymous VMA. The child maps the same folio
     * (another PMD mapping) or the huge zero page; for a COW mapping both leaves lose write
     * permission, and the child's is old and without uffd-wp unless the child VMA is registered.
     */
    static void copyHugePmd(Mm dstMm, Vma dstVma, Mm srcMm, Vma srcVma, long addr, PmdLeaf leaf) {
        long pmd = leaf.entry;
        long pfn = ptePfn(pmd);
        if (!srcMm.frames().isHugeZeroPfn(pfn)) {
            srcMm.frames().mapPmd(pfn);
            if (srcVma.isCowMapping()) {
                leaf.entry = pteWrprotect(leaf.entry);
                pmd = pteWrprotect(pmd);
            }
        }
        pmd &= ~_PAGE_ACCESSED;
        if (!dstVma.has(VmFlag.VM_UFFD_WP)) pmd &= ~_PAGE_UFFD_WP;
        dstMm.pageTables().setPmdLeaf(addr, pmd);
    }

    /**
     * move_page_tables() at a leaf: with both addresses 2 MiB-aligned, a whole PMD to move and an
     * empty destination slot, the leaf itself moves (move_huge_pmd()); otherwise it is split and
     * its entries move one by one. Returns whether the leaf moved.
     */
    static boolean moveHugePmd(Mm mm, Vma vma, long src, long dst, long remaining) {
        PageTables pt = mm.pageTables();
        if (pt.pmdLeaf(src) == null) return false;
        boolean whole = (src & ~PMD_MASK) == 0 && (dst & ~PMD_MASK) == 0 && remaining >= PMD_SIZE;
        if (whole && pmdNone(pt, dst)) {
            pt.movePteTable(src, dst);
            return true;
        }
        splitHugePmd(mm, vma, src);
        return false;
    }

    /**
     * madvise_free_huge_pmd(): MADV_FREE over a whole leaf leaves it mapped but clean and old, its
     * folio lazily freeable unless it is mapped shared (or is the huge zero page); a partial range
     * splits it and the PTE level handles the part. Returns whether the leaf was handled.
     */
    static boolean madviseFreeHugePmd(Mm mm, Vma vma, long addr, long next) {
        PmdLeaf leaf = mm.pageTables().pmdLeaf(addr);
        if (leaf == null) return false;
        long pfn = ptePfn(leaf.entry);
        FrameTable frames = mm.frames();
        if (frames.isHugeZeroPfn(pfn) || frames.folioMaybeMappedShared(pfn)) return true;
        if (next - addr != PMD_SIZE) {
            // part of the THP: the folio is split, and the PTE level handles the part
            splitHugePmd(mm, vma, addr);
            splitFolio(mm, pfn, addr);
            return false;
        }
        leaf.entry &= ~(_PAGE_DIRTY | _PAGE_ACCESSED);
        for (long p = pfn; p < pfn + HPAGE_PMD_NR; p++) frames.markLazyfree(p);
        return true;
    }

    /**
     * split_folio() of an anonymous THP mapped (by PTEs, after a PMD split) in this mm only, near
     * addr: the folio becomes 512 small folios, and remap_page() with RMP_USE_SHARED_ZEROPAGE maps
     * each base page that holds only zeroes to the shared zero page instead
     * (try_to_map_unused_to_zeropage(): not in VM_LOCKED VMAs; the uffd-wp bit is kept), freeing
     * it. Measured on the hosts: this happens even where pvm_no_zero_page=1 keeps anonymous read
     * faults off the zero page.
     */
    static void splitFolio(Mm mm, long pfnInFolio, long addr) {
        FrameTable frames = mm.frames();
        if (!frames.isLarge(pfnInFolio)) return;
        int head = frames.thpHead(pfnInFolio);
        PageTables pt = mm.pageTables();
        long base = (addr & PMD_MASK) - PMD_SIZE;
        for (long t = base; t < base + 3 * PMD_SIZE; t += PMD_SIZE) {
            long[] table = pt.pteTable(t);
            if (table == null) continue;
            for (int i = 0; i < HPAGE_PMD_NR; i++) {
                long pte = table[i];
                if (!pteP(pte) || pteSpecial(pte)) continue;
                long pfn = ptePfn(pte);
                if (pfn < head || pfn >= head + HPAGE_PMD_NR || frames.nonZero(pfn)) continue;
                Vma v = mm.vmaLookup(t + ((long) i << PAGE_SHIFT));
                if (v == null || v.has(VmFlag.VM_LOCKED)) continue;
                table[i] = mkPresent(FrameTable.ZERO_PFN, false, false, true) | (pte & _PAGE_UFFD_WP);
                if (pteUffdWp(pte)) table[i] = pteWrprotect(table[i]);
                frames.unmap(pfn);
            }
        }
        frames.splitFolio(head);
    }


    /**
     * hugepage_madvise(): MADV_HUGEPAGE sets VM_HUGEPAGE and clears VM_NOHUGEPAGE, MADV_NOHUGEPAGE
     * the reverse. Existing THPs stay. Returns the new flags.
     */
    static long hugepageMadvise(long flags, boolean huge) {
        if (huge) return (flags & ~VmFlag.VM_NOHUGEPAGE.mask()) | VmFlag.VM_HUGEPAGE.mask();
        return (flags & ~VmFlag.VM_HUGEPAGE.mask()) | VmFlag.VM_NOHUGEPAGE.mask();
    }

    /** The outcome of collapsing one 2 MiB range (enum scan_result, mm/khugepaged.c), as far as modelled. */
    enum ScanResult { SUCCEED, PMD_MAPPED, PMD_NULL, PTE_NON_PRESENT, PTE_UFFD_WP, EXCEED_NONE_PTE }

    /**
     * madvise_collapse() over [start, end) of one VMA: the VMA must allow a forced collapse
     * (thp_vma_allowable_order(TVA_FORCED_COLLAPSE): anonymous memory with an anon_vma, not
     * VM_NOHUGEPAGE, and room for an aligned 2 MiB range), else EINVAL. The 2 MiB-aligned ranges
     * wholly inside [start, end) are collapsed in order, independently of the sysfs THP mode and of
     * max_ptes_none/swap/shared; the first that fails ends the call with EINVAL
     * (madvise_collapse_errno() for the failures modelled here).
     */
    static int madviseCollapse(Mm mm, Vma vma, long start, long end) {
        if ((vma.flags() & (VmFlag.VM_NOHUGEPAGE.mask() | VmFlag.VM_HUGETLB.mask() | VmFlag.VM_SPECIAL)) != 0)
            return Errno.EINVAL.neg();
        if (vma.end() - vma.start() < PMD_SIZE || !thpVmaSuitable(vma, vma.end() - PMD_SIZE)) return Errno.EINVAL.neg();
        // A regular file: thp_vma_allowable_order() refuses it on the hosts (file_thp_enabled()
        // wants CONFIG_READ_ONLY_THP_FOR_FS, and their ext4 files are not collapsed either way),
        // measured EINVAL with nothing changed for shared, private and executable mappings of a
        // file open read-only. Shmem (collapse_file() into a PMD-mapped shmem THP) is not modelled.
        if (vma.file() != null && !vma.file().shmem()) return Errno.EINVAL.neg();
        if (!vma.isAnonymous()) return madviseCollapseShmemBlocked(mm, vma, start, end);
        if (vma.anonVma() == null) return Errno.EINVAL.neg();
        long hstart = (start + PMD_SIZE - 1) & PMD_MASK;
        long hend = end & PMD_MASK;
        // a range inside one 2 MiB block, reaching neither of its ends: the kernel's count of
        // ranges to collapse, (hend - hstart) >> PMD_SHIFT unsigned, is never met
        if (hstart > hend) return Errno.EINVAL.neg();
        for (long addr = hstart; addr < hend; addr += PMD_SIZE) {
            ScanResult r = collapseHugePage(mm, vma, addr);
            // madvise_collapse_errno(): SCAN_EXCEED_NONE_PTE is -EBUSY (measured: a uffd-wp
            // registered VMA with one page present)
            if (r == ScanResult.EXCEED_NONE_PTE) return Errno.EBUSY.neg();
            // Measured on the hosts' 6.18: a failed range (no PTE table, a marker) ends the call;
            // the ranges after it are not collapsed.
            if (r != ScanResult.SUCCEED && r != ScanResult.PMD_MAPPED) return Errno.EINVAL.neg();
        }
        return 0;
    }

    /**
     * hpage_collapse_scan_pmd() + collapse_huge_page() for MADV_COLLAPSE of the 2 MiB at haddr: a
     * leaf is already collapsed; no PTE table fails (SCAN_PMD_NULL); a marker (guard, uffd-wp) or a
     * uffd-wp bit fails; otherwise swap entries are read back, a new THP is filled from the present
     * pages (empty entries and zero pages give zeroes), the old pages are unmapped, and the PTE table
     * is replaced by the leaf, writable and dirty where the VMA is writable.
     */
    static ScanResult collapseHugePage(Mm mm, Vma vma, long haddr) {
        PageTables pt = mm.pageTables();
        if (pt.pmdLeaf(haddr) != null) return ScanResult.PMD_MAPPED;
        long[] table = pt.pteTable(haddr);
        if (table == null) return ScanResult.PMD_NULL;
        // userfaultfd_armed(): a registered VMA's empty (or zero-page) entries must stay as they
        // are, for the handler to see them fault
        boolean armed = (vma.flags() & VmFlag.VM_UFFD_FLAGS) != 0;
        for (long pte : table) {
            boolean noneOrZero = pteNone(pte) || (pteP(pte) && pteSpecial(pte) && FrameTable.isZeroPfn(ptePfn(pte)));
            if (noneOrZero && armed) return ScanResult.EXCEED_NONE_PTE;
            if (pteNone(pte)) continue;
            if (pteP(pte)) {
                if (pteUffdWp(pte)) return ScanResult.PTE_UFFD_WP;
            } else if (isPteMarker(pte)) {
                return ScanResult.PTE_NON_PRESENT;
            } else if (pteSwpUffdWp(pte)) {
                return ScanResult.PTE_UFFD_WP;
            }
        }
        FrameTable frames = mm.frames();
        long[] data = new long[HPAGE_PMD_NR];
        boolean[] rest = new boolean[HPAGE_PMD_NR];
        for (int i = 0; i < HPAGE_PMD_NR; i++) {
            long pte = table[i];
            if (pteP(pte)) {
                data[i] = pteSpecial(pte) ? 0 : frames.value(ptePfn(pte));
                rest[i] = !pteSpecial(pte) && frames.restData(ptePfn(pte));
                if (!pteSpecial(pte)) frames.unmap(ptePfn(pte));
            } else if (!pteNone(pte)) {
                // __collapse_huge_page_swapin(): the page comes back, its slot reference goes
                data[i] = frames.swap().value(swpOffset(pte));
                rest[i] = frames.swap().restData(swpOffset(pte));
                frames.swap().free(swpOffset(pte), frames);
            }
        }
        pt.freePteTable(haddr);
        mapNewThp(mm, vma, haddr);
        // __collapse_huge_page_copy(): the THP holds the old pages' contents
        long head = ptePfn(pt.pmdLeaf(haddr).entry);
        for (int i = 0; i < HPAGE_PMD_NR; i++) frames.setContents(head + i, data[i], rest[i]);
        return ScanResult.SUCCEED;
    }

    /**
     * MADV_COLLAPSE of shmem memory, modelled only where every 2 MiB range of [start, end) in this
     * VMA keeps a PTE table holding a marker (a guard region, say) and no other mapping shares the
     * pages: for each range hpage_collapse_scan_file() and collapse_file() rebuild the page cache
     * as one huge folio, unmapping the old pages (try_to_unmap(): the VMA's entries go, markers
     * stay), and then collapse_pte_mapped_thp() finds the marker (SCAN_PTE_NON_PRESENT), so no PMD
     * maps the folio; the call goes on to the next range and ends with EINVAL. Measured on the
     * hosts (guard-regions collapse, shmem variant): the pages between the guards read as none
     * afterwards. A range without a marker would get a PMD-mapped shmem THP, which is not modelled.
     */
    static int madviseCollapseShmemBlocked(Mm mm, Vma vma, long start, long end) {
        long hstart = (start + PMD_SIZE - 1) & PMD_MASK;
        long hend = end & PMD_MASK;
        if (hstart >= hend) throw new NotModelledException("madvise collapse of shmem memory");
        PageTables pt = mm.pageTables();
        for (Mm other : vma.file().mappers()) {
            for (Vma v : other.vmas()) {
                if (v != vma && v.file() == vma.file())
                    throw new NotModelledException("madvise collapse of shmem memory mapped twice");
            }
        }
        for (long addr = hstart; addr < hend; addr += PMD_SIZE) {
            long[] t = pt.pteTable(addr);
            boolean marker = false;
            if (t != null) for (long pte : t) marker |= isPteMarker(pte);
            long index = vma.linearPageIndex(addr);
            if (!marker || index + HPAGE_PMD_NR > vma.file().sizePages())
                throw new NotModelledException("madvise collapse of shmem memory");
            for (long i = index; i < index + HPAGE_PMD_NR; i++)
                if (vma.file().isSwapped(i)) throw new NotModelledException("madvise collapse of swapped shmem memory");
        }
        for (long addr = hstart; addr < hend; addr += PMD_SIZE) {
            long[] t = pt.pteTable(addr);
            for (int i = 0; i < PTRS_PER_TABLE; i++) {
                long pte = t[i];
                if (!pteP(pte)) continue;
                if (pteDirty(pte)) vma.file().markDirty(vma.linearPageIndex(addr + ((long) i << PAGE_SHIFT)));
                if (!pteSpecial(pte)) mm.frames().unmap(ptePfn(pte));
                t[i] = 0;
            }
            vma.file().collapseInto(vma.linearPageIndex(addr), HPAGE_PMD_NR, mm.frames());
        }
        return Errno.EINVAL.neg();
    }
}
