package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.VmFlag;

/**
 * madvise(), modelled on mm/madvise.c: do_madvise() validates, madvise_walk_vmas() visits each
 * VMA in the range (a hole makes the call return ENOMEM after the mapped parts were done), and
 * madvise_vma_behavior() dispatches to the advice: flag updates through madvise_update_vma(),
 * MADV_DONTNEED, MADV_FREE, the populate advices, and guard regions
 * (madvise_guard_install() / madvise_guard_remove()).
 */
public final class MadviseOps {
    private MadviseOps() {}

    /** do_madvise(). Returns 0 or a negative errno. */
    public static int doMadvise(Mm mm, long start, long lenIn, Madvise behavior) {
        // Semantic GUARD_REGIONS off (before 6.13): madvise_behavior_valid() does not know the guard advices.
        if ((behavior == Madvise.GUARD_INSTALL || behavior == Madvise.GUARD_REMOVE)
                && !mm.semantics().on(Semantic.GUARD_REGIONS)) return Errno.EINVAL.neg();
        if (!pageAligned(start)) return Errno.EINVAL.neg();
        long len = pageAlign(lenIn);
        if (lenIn != 0 && len == 0) return Errno.EINVAL.neg();
        long end = start + len;
        if (Long.compareUnsigned(end, start) < 0) return Errno.EINVAL.neg();
        if (end == start) return 0;
        // check_input_range() accepts an end past TASK_SIZE (even past 2^63): madvise_walk_vmas()
        // skips the hole up there and answers ENOMEM, walking nothing page by page.
        long walkEnd = clampUserEnd(end);
        if (behavior == Madvise.POPULATE_READ || behavior == Madvise.POPULATE_WRITE) {
            boolean write = behavior == Madvise.POPULATE_WRITE;
            // semantic MADVISE_POPULATE_RANGE off (before 6.10): populate went through
            // madvise_walk_vmas() VMA by VMA, so a hole's ENOMEM came last, after any other error
            if (!mm.semantics().on(Semantic.MADVISE_POPULATE_RANGE)) return populateEachVma(mm, start, walkEnd, write);
            return madvisePopulate(mm, start, walkEnd, write);
        }
        // a flag advice that would split a hugetlb VMA inside a huge page fails there (EINVAL)
        try {
            return madviseWalkVmas(mm, start, walkEnd, behavior);
        } catch (VmaMerge.SplitFailed e) {
            return e.errno;
        }
    }


    /**
     * MADV_POPULATE_(READ|WRITE) before 6.10: madvise_walk_vmas() calls madvise_populate() on each
     * VMA's part of the range; a hole is remembered as ENOMEM and answered only when every VMA's
     * part succeeded (measured on Debian's 6.1: a file page past EOF is EFAULT, a read-only VMA
     * EINVAL, though the range starts in a hole).
     */
    static int populateEachVma(Mm mm, long start, long end, boolean write) {
        int unmappedError = 0;
        long addr = start;
        while (addr < end) {
            Vma vma = mm.findVma(addr);
            if (vma == null || vma.start() >= end) return Errno.ENOMEM.neg();
            if (addr < vma.start()) {
                unmappedError = Errno.ENOMEM.neg();
                addr = vma.start();
            }
            long stop = Math.min(end, vma.end());
            int err = madvisePopulate(mm, addr, stop, write);
            if (err != 0) return err;
            addr = stop;
        }
        return unmappedError;
    }

    /** madvise_walk_vmas(). */
    static int madviseWalkVmas(Mm mm, long start, long end, Madvise behavior) {
        int unmappedError = 0;
        VmaIterator vmi = new VmaIterator(mm, start);
        Vma vma = vmi.next();
        if (vma == null) return Errno.ENOMEM.neg();
        Vma prev = vma.start() < start ? vma : mm.prev(vma);
        long rangeStart = start;
        while (true) {
            if (vma == null) return Errno.ENOMEM.neg();
            if (rangeStart < vma.start()) {
                unmappedError = Errno.ENOMEM.neg();
                rangeStart = vma.start();
                if (rangeStart >= end) break;
            }
            long rangeEnd = Math.min(vma.end(), end);
            Result r = madviseVmaBehavior(mm, vmi, prev, vma, rangeStart, rangeEnd, behavior);
            if (r.error != 0) return r.error;
            prev = r.vma;
            rangeStart = rangeEnd;
            if (prev != null && rangeStart < prev.end()) rangeStart = prev.end();
            if (rangeStart >= end) break;
            vmi.set(prev != null ? prev.end() : rangeStart);
            vma = vmi.next();
        }
        return unmappedError;
    }

    /** The outcome for one VMA: an errno and the VMA now covering the range (madv_behavior->prev). */
    record Result(int error, Vma vma) {}

    /** madvise_vma_behavior(); the iterator stands at vma. */
    static Result madviseVmaBehavior(Mm mm, VmaIterator vmi, Vma prev, Vma vma, long start, long end, Madvise behavior) {
        if (!Mseal.canMadviseModify(vma, behavior)) return new Result(Errno.EPERM.neg(), vma);
        long flags = vma.flags();
        switch (behavior) {
            case DONTNEED, DONTNEED_LOCKED -> {
                return new Result(madviseDontneedSingleVma(mm, vma, start, end, behavior), vma);
            }
            case FREE -> {
                return new Result(madviseFree(mm, vma, start, end), vma);
            }
            case PAGEOUT -> {
                return new Result(madvisePageout(mm, vma, start, end), vma);
            }
            case WILLNEED -> {
                return new Result(0, vma);
            }
            case COLD -> {
                return new Result(madviseCold(mm, vma, start, end), vma);
            }
            case REMOVE -> {
                return new Result(madviseRemove(mm, vma, start, end), vma);
            }
            case GUARD_INSTALL -> {
                return new Result(madviseGuardInstall(mm, vma, start, end), vma);
            }
            case GUARD_REMOVE -> {
                return new Result(madviseGuardRemove(mm, vma, start, end), vma);
            }
            case COLLAPSE -> {
                return new Result(HugeMemory.madviseCollapse(mm, vma, start, end), vma);
            }
            case HUGEPAGE -> flags = HugeMemory.hugepageMadvise(flags, true);
            case NOHUGEPAGE -> flags = HugeMemory.hugepageMadvise(flags, false);
            case NORMAL -> flags &= ~(VmFlag.VM_SEQ_READ.mask() | VmFlag.VM_RAND_READ.mask());
            case SEQUENTIAL -> flags = (flags & ~VmFlag.VM_RAND_READ.mask()) | VmFlag.VM_SEQ_READ.mask();
            case RANDOM -> flags = (flags & ~VmFlag.VM_SEQ_READ.mask()) | VmFlag.VM_RAND_READ.mask();
            case DONTFORK -> flags |= VmFlag.VM_DONTCOPY.mask();
            case DOFORK -> {
                if (vma.has(VmFlag.VM_IO)) return new Result(Errno.EINVAL.neg(), vma);
                flags &= ~VmFlag.VM_DONTCOPY.mask();
            }
            case WIPEONFORK -> {
                if (vma.file() != null || vma.has(VmFlag.VM_SHARED)) return new Result(Errno.EINVAL.neg(), vma);
                flags |= VmFlag.VM_WIPEONFORK.mask();
            }
            case KEEPONFORK -> flags &= ~VmFlag.VM_WIPEONFORK.mask();
            case DONTDUMP -> flags |= VmFlag.VM_DONTDUMP.mask();
            case DODUMP -> flags &= ~VmFlag.VM_DONTDUMP.mask();
            case MERGEABLE, UNMERGEABLE -> flags = Ksm.ksmMadvise(vma, behavior, flags);
            default -> throw new NotModelledException("madvise " + behavior.scenarioName());
        }
        return new Result(0, madviseUpdateVma(mm, vmi, prev, vma, start, end, flags));
    }

    /** madvise_update_vma(): a flag change through vma_modify_flags(), a no-op when nothing changes. */
    static Vma madviseUpdateVma(Mm mm, VmaIterator vmi, Vma prev, Vma vma, long start, long end, long newFlags) {
        if (newFlags == vma.flags()) return vma;
        return VmaMerge.vmaModifyFlags(mm, vmi, prev, vma, start, end, newFlags);
    }

    /** struct madvise_walk_private's pageout: which of the two advices the walk serves. */
    private enum ColdOrPageout { COLD, PAGEOUT }

    /** cold_walk_ops: the one walk of MADV_COLD and MADV_PAGEOUT. */
    private static final MmWalkOps COLD_WALK_OPS = MmWalkOps.builder()
            .pmdEntry(MadviseOps::madviseColdOrPageoutPteRange)
            .build();

    /**
     * madvise_cold() / madvise_cold_page_range(): a THP not mapped shared whose PMD the range
     * covers in part, or which PTEs map out of order, is split ({@link HugeMemory#splitFolio});
     * the model keeps no LRU, so deactivation itself changes nothing it shows.
     */
    static int madviseCold(Mm mm, Vma vma, long start, long end) {
        if (!canMadvLruVma(vma)) return Errno.EINVAL.neg();
        PageWalk.walkPageRangeVma(mm, vma, start, end, COLD_WALK_OPS, ColdOrPageout.COLD);
        return 0;
    }

    /**
     * madvise_pageout() / madvise_pageout_page_range(), then reclaim_pages()
     * (shrink_folio_list(), mm/vmscan.c), page by page: a THP not mapped shared is split first
     * ({@link HugeMemory#splitFolio}, as measured on the hosts; a shared one is left alone); pages
     * mapped more than once and the zero page are left alone; an anonymous page moves to swap (its
     * entry becomes a swap entry) when a swap device exists; a shmem page is unmapped, then dropped
     * if clean (never written) or moved to swap when dirty and a device exists (without one it
     * stays in the page cache). A regular file's page is unmapped, then dropped if clean and kept
     * if dirty, marked PG_reclaim (which fault-around reads as PG_readahead): the simulator has no
     * writeback, so a page stays dirty from its write to its truncation (see {@link MappedFile}).
     */
    static int madvisePageout(Mm mm, Vma vma, long start, long end) {
        if (!canMadvLruVma(vma)) return Errno.EINVAL.neg();
        PageWalk.walkPageRangeVma(mm, vma, start, end, COLD_WALK_OPS, ColdOrPageout.PAGEOUT);
        return 0;
    }

    /**
     * madvise_cold_or_pageout_pte_range(): the PMD path first. A PMD-mapped THP mapped shared (or
     * the huge zero page) is left alone. Otherwise MADV_COLD splits it only where the range covers
     * part of it, and is then done with the PMD; MADV_PAGEOUT splits it (reclaim splits a whole one
     * too; zero-filled pages go to the zero page) and goes on at the PTE level with the rest.
     */
    static int madviseColdOrPageoutPteRange(Object[] pmd, int index, long addr, long next, MmWalk walk) {
        boolean pageout = walk.priv() == ColdOrPageout.PAGEOUT;
        Mm mm = walk.mm();
        FrameTable frames = mm.frames();
        if (pmd[index] instanceof PmdLeaf leaf) {
            long pfn = ptePfn(leaf.entry);
            if (frames.isHugeZeroPfn(pfn) || frames.folioMaybeMappedShared(pfn)) return 0;
            if (pageout || next - addr != PMD_SIZE) {
                HugeMemory.splitHugePmd(mm, walk.vma(), addr);
                HugeMemory.splitFolio(mm, pfn, addr);
            }
            if (!pageout) return 0;
        }
        // pte_offset_map_lock() failing: return 0 (madvise does not ask for ACTION_AGAIN)
        if (!(pmd[index] instanceof long[] table)) return 0;
        return PteRange.walk(table, addr, next, pageout ? MadviseOps::pageoutPte : MadviseOps::coldPte, walk);
    }

    /**
     * The MADV_COLD entry step: a PTE-mapped THP mapped shared ends the table; one mapped whole and
     * in order from its head is passed over in one batch (folio_pte_batch()); any other is split.
     */
    private static int coldPte(long[] table, int i, long addr, long end, MmWalk walk) {
        FrameTable frames = walk.mm().frames();
        long pte = table[i];
        if (!pteP(pte) || pteSpecial(pte) || !frames.isLarge(ptePfn(pte))) return PteRange.NEXT;
        long pfn = ptePfn(pte);
        if (frames.folioMaybeMappedShared(pfn)) return PteRange.BREAK;
        int batch = folioPteBatch(frames, table, i, pteIndex(end - PAGE_SIZE), pfn);
        if (pfn == frames.thpHead(pfn) && batch == FrameTable.HPAGE_PMD_NR) return batch;
        HugeMemory.splitFolio(walk.mm(), pfn, addr);
        return PteRange.NEXT;
    }

    /** folio_pte_batch(): how many entries from index i (to last) map consecutive pages of pfn's folio. */
    private static int folioPteBatch(FrameTable frames, long[] table, int i, int last, long pfn) {
        int n = 0;
        int head = frames.thpHead(pfn);
        for (int j = i; j <= last; j++, n++) {
            long pte = table[j];
            long expect = pfn + n;
            if (!pteP(pte) || pteSpecial(pte) || ptePfn(pte) != expect || expect >= head + FrameTable.HPAGE_PMD_NR) break;
        }
        return n;
    }

    /**
     * The MADV_PAGEOUT entry step (the PTE loop of madvise_cold_or_pageout_pte_range(), then what
     * reclaim does with the page): a PTE-mapped THP mapped shared ends the table; otherwise its
     * folio is split and the entry looked at again.
     */
    private static int pageoutPte(long[] t, int i, long a, long end, MmWalk walk) {
        Mm mm = walk.mm();
        Vma vma = walk.vma();
        FrameTable frames = mm.frames();
        SwapDevice swap = frames.swap();
        long pte = t[i];
        if (!pteP(pte) || pteSpecial(pte)) return PteRange.NEXT;
        long pfn = ptePfn(pte);
        if (frames.isLarge(pfn)) {
            if (frames.folioMaybeMappedShared(pfn)) return PteRange.BREAK;
            HugeMemory.splitFolio(mm, pfn, a);
            return PteRange.AGAIN;
        }
        if (frames.mapcount(pfn) > 1) return PteRange.NEXT; // folio_maybe_mapped_shared()
        if (frames.isAnon(pfn)) {
            if (frames.lazyfree(pfn)) {
                // shrink_folio_list(): a lazyfree folio is not swap-backed, so it gets no swap
                // slot; try_to_unmap_one() drops it if it is still clean, and otherwise (written
                // since, or marked dirty by GUP) puts the entry back, makes the folio
                // swap-backed again and aborts: the page stays mapped this time (measured).
                if (!pteDirty(pte) && !frames.lazyfreeFolioDirty(pfn)) {
                    t[i] = 0;
                    frames.unmap(pfn);
                    return PteRange.NEXT;
                }
                frames.clearLazyfree(pfn);
                return PteRange.NEXT;
            }
            if (!swap.enabled()) return PteRange.NEXT;
            long slot = swap.alloc();
            swap.store(slot, (int) pfn, frames);
            long entry = mkSwap(SwapDevice.TYPE, slot) | _PAGE_SWP_EXCLUSIVE;
            if (pteUffdWp(pte)) entry |= _PAGE_SWP_UFFD_WP;
            // try_to_unmap_one(): the swap entry keeps the soft-dirty bit
            if (pteSoftDirty(pte)) entry |= _PAGE_SWP_SOFT_DIRTY;
            t[i] = entry;
            frames.unmap(pfn);
        } else {
            // try_to_unmap_one() of a page-cache page: the entry goes (a uffd-wp marker stays in
            // its place) and a dirty entry dirties the page
            long index = vma.linearPageIndex(a);
            t[i] = 0;
            frames.unmap(pfn);
            if (Userfaultfd.userfaultfdWp(vma) && pteUffdWp(pte)) t[i] = mkMarker(PTE_MARKER_UFFD_WP);
            if (pteDirty(pte)) vma.file().markDirty(index);
            // shrink_folio_list(): a clean page is dropped (__remove_mapping()); a dirty shmem
            // page needs swap; a dirty regular-file page stays in the page cache (only kswapd
            // writes file pages back; this reclaim activates it instead)
            if (!vma.file().isDirty(index)) vma.file().dropClean(index, frames);
            else if (vma.file().shmem()) {
                if (swap.enabled()) vma.file().swapOut(index, frames);
            } else vma.file().markReclaim(index);
        }
        return PteRange.NEXT;
    }

    /** can_madv_lru_vma(). */
    static boolean canMadvLruVma(Vma vma) {
        return (vma.flags() & VmFlag.of(VmFlag.VM_LOCKED, VmFlag.VM_PFNMAP, VmFlag.VM_HUGETLB)) == 0;
    }

    /** madvise_dontneed_free_valid_vma() + madvise_dontneed_single_vma(). */
    static int madviseDontneedSingleVma(Mm mm, Vma vma, long start, long end, Madvise behavior) {
        long forbidden = VmFlag.VM_PFNMAP.mask();
        if (behavior != Madvise.DONTNEED_LOCKED) forbidden |= VmFlag.VM_LOCKED.mask();
        if (vma.isHugetlb()) return Hugetlb.madviseDontneedHugetlb(mm, vma, start, end);
        if ((vma.flags() & forbidden) != 0) return Errno.EINVAL.neg();
        Memory.zapPteRange(mm, vma, start, end, Memory.ZapDetails.DONTNEED);
        return 0;
    }

    /** madvise_free_walk_ops. */
    private static final MmWalkOps MADVISE_FREE_WALK_OPS = MmWalkOps.builder()
            .pmdEntry(MadviseOps::madviseFreePteRange)
            .build();

    /**
     * madvise_free_single_vma(): anonymous memory only. Exclusive pages stay mapped but become
     * lazily freeable (their entries clean, the folio lazyfree): reclaim may drop them unless they
     * are written again. Swap entries are freed outright; markers stay.
     */
    static int madviseFree(Mm mm, Vma vma, long start, long end) {
        if (!vma.isAnonymous()) return Errno.EINVAL.neg();
        if (vma.has(VmFlag.VM_LOCKED)) return Errno.EINVAL.neg();
        PageWalk.walkPageRangeVma(mm, vma, start, end, MADVISE_FREE_WALK_OPS, null);
        return 0;
    }

    /** madvise_free_pte_range(): a PMD-mapped THP first ({@link HugeMemory#madviseFreeHugePmd}), then the PTEs. */
    static int madviseFreePteRange(Object[] pmd, int index, long addr, long next, MmWalk walk) {
        if (HugeMemory.madviseFreeHugePmd(walk.mm(), walk.vma(), addr, next)) return 0;
        if (!(pmd[index] instanceof long[] table)) return 0;
        return PteRange.walk(table, addr, next, MadviseOps::madviseFreePte, walk);
    }

    /**
     * The entry step of madvise_free_pte_range(): a swap entry is freed; a PTE-mapped THP not
     * mapped shared is split first, then the entry is looked at again; an exclusive anonymous page
     * is cleaned and its folio marked lazyfree.
     */
    private static int madviseFreePte(long[] t, int i, long a, long end, MmWalk walk) {
        Mm mm = walk.mm();
        FrameTable frames = mm.frames();
        long pte = t[i];
        if (isSwapPte(pte) && !isPteMarker(pte)) {
            frames.swap().free(swpOffset(pte), frames);
            t[i] = 0;
        } else if (pteP(pte) && !pteSpecial(pte) && frames.isLarge(ptePfn(pte))) {
            if (frames.folioMaybeMappedShared(ptePfn(pte))) return PteRange.NEXT;
            HugeMemory.splitFolio(mm, ptePfn(pte), a);
            return PteRange.AGAIN;
        } else if (pteP(pte) && !pteSpecial(pte) && frames.isAnon(ptePfn(pte)) && !frames.folioMaybeMappedShared(ptePfn(pte))) {
            t[i] = pte & ~(_PAGE_DIRTY | _PAGE_ACCESSED);
            frames.markLazyfree(ptePfn(pte));
        }
        return PteRange.NEXT;
    }

    /**
     * madvise_populate() over the whole range (not per VMA), as faultin_page_range() walks it: an
     * address without a VMA stops it with ENOMEM, a VMA whose protection refuses the access
     * (check_vma_flags(): reading needs VM_READ, writing VM_WRITE) with EINVAL, and a page that
     * cannot be faulted (a guard marker, past the end of a file) with EFAULT. What was faulted in
     * before the stop stays.
     */
    static int madvisePopulate(Mm mm, long start, long end, boolean write) {
        long addr = start;
        while (addr < end) {
            Vma vma = mm.vmaLookup(addr);
            if (vma == null) return Errno.ENOMEM.neg();
            if ((vma.flags() & (VmFlag.VM_IO.mask() | VmFlag.VM_PFNMAP.mask())) != 0) return Errno.EINVAL.neg();
            if (!vma.has(write ? VmFlag.VM_WRITE : VmFlag.VM_READ)) return Errno.EINVAL.neg();
            long stop = Math.min(end, vma.end());
            if (vma.isHugetlb()) {
                int err = Hugetlb.populateHugetlbRange(mm, vma, addr, stop, write);
                if (err != 0) return err;
                addr = stop;
                continue;
            }
            for (; addr < stop; addr += PAGE_SIZE) {
                long pte = mm.pageTables().pte(addr);
                if (pteP(pte) && (!write || pteWrite(pte))) {
                    if (write) Memory.followPageTouchWrite(mm, vma, addr, pte);
                    continue;
                }
                if (Memory.handlePteFault(mm, vma, addr, write) != Memory.FaultResult.OK) return Errno.EFAULT.neg();
            }
        }
        return 0;
    }

    /**
     * madvise_remove(): punches a hole in the object behind a shared writable mapping
     * (vfs_fallocate(FALLOC_FL_PUNCH_HOLE)); its pages are unmapped everywhere, markers stay.
     */
    static int madviseRemove(Mm mm, Vma vma, long start, long end) {
        if (vma.has(VmFlag.VM_LOCKED)) return Errno.EINVAL.neg();
        if (vma.file() == null) return Errno.EINVAL.neg();
        if (!vma.has(VmFlag.VM_SHARED) || !vma.has(VmFlag.VM_MAYWRITE)) return Errno.EACCES.neg();
        if (vma.isHugetlb()) return Hugetlb.hugetlbfsPunchHole(mm, vma, start, end);
        long offset = (start - vma.start()) + (vma.pgoff() << PAGE_SHIFT);
        return FileOps.punchHole(vma.file(), vma.fileReadOnly(), offset, end - start, mm.frames());
    }

    /** is_valid_guard_vma(). */
    static boolean isValidGuardVma(Mm mm, Vma vma, boolean allowLocked) {
        long disallowed = VmFlag.VM_SPECIAL | VmFlag.VM_HUGETLB.mask();
        if (!allowLocked) disallowed |= VmFlag.VM_LOCKED.mask();
        // Semantic FILE_GUARD off (before 6.15): only anonymous VMAs that may be written qualify.
        if (!mm.semantics().on(Semantic.FILE_GUARD) && (!vma.isAnonymous() || !vma.has(VmFlag.VM_MAYWRITE)))
            return false;
        return (vma.flags() & disallowed) == 0;
    }

    /** The guard-install walk: markers go into empty entries; anything else needs a zap first. */
    private static final MmWalkOps GUARD_INSTALL_OPS = MmWalkOps.builder()
            .pmdEntry(MadviseOps::guardInstallPmdEntry)
            .pteEntry(MadviseOps::guardInstallPteEntry)
            .installPte((addr, next, walk) -> mkMarker(PTE_MARKER_GUARD))
            .build();

    /** guard_install_pmd_entry(): a PMD leaf (THP) stops the walk, so that the range is zapped. */
    static int guardInstallPmdEntry(Object[] pmdTable, int index, long addr, long next, MmWalk walk) {
        return pmdTable[index] instanceof PmdLeaf ? 1 : 0;
    }

    /** guard_install_pte_entry(): an existing guard marker is fine; a populated entry stops the walk. */
    static int guardInstallPteEntry(long[] table, int index, long addr, long next, MmWalk walk) {
        return isGuardMarker(table[index]) ? 0 : 1;
    }

    /**
     * madvise_guard_install(): sets VM_MAYBE_GUARD on the whole VMA (semantic
     * {@link Semantic#MAYBE_GUARD}; no split), prepares the anon_vma of anonymous VMAs, then
     * installs guard markers over [start, end), zapping populated entries first (their data is
     * lost).
     */
    static int madviseGuardInstall(Mm mm, Vma vma, long start, long end) {
        // A --semantic-class extension may overrule the check (SemanticExtension.guardInstallAllowed).
        if (!mm.semantics().extension().guardInstallAllowed(isValidGuardVma(mm, vma, false), vma.flags()))
            return Errno.EINVAL.neg();
        if (mm.semantics().on(Semantic.MAYBE_GUARD)) vma.vmFlagsSet(VmFlag.VM_MAYBE_GUARD.mask());
        if (vma.isAnonymous()) Memory.anonVmaPrepare(mm, vma);
        for (int attempt = 0; attempt < 3; attempt++) {
            int err = PageWalk.walkPageRangeMm(mm, start, end, GUARD_INSTALL_OPS, null);
            if (err < 0) return err;
            if (err == 0) return 0;
            Memory.zapPteRange(mm, vma, start, end, Memory.ZapDetails.KEEP_MARKERS);
        }
        return Errno.EAGAIN.neg();
    }

    private static final MmWalkOps GUARD_REMOVE_OPS = MmWalkOps.builder()
            .pmdEntry(MadviseOps::guardRemovePmdEntry)
            .pteEntry(MadviseOps::guardRemovePteEntry)
            .build();

    /** guard_remove_pmd_entry(): a PMD leaf holds no guard markers; it is skipped, not split. */
    static int guardRemovePmdEntry(Object[] pmdTable, int index, long addr, long next, MmWalk walk) {
        if (pmdTable[index] instanceof PmdLeaf) walk.action = MmWalk.Action.ACTION_CONTINUE;
        return 0;
    }

    /** guard_remove_pte_entry(): clears guard markers, nothing else. */
    static int guardRemovePteEntry(long[] table, int index, long addr, long next, MmWalk walk) {
        if (isGuardMarker(table[index])) table[index] = 0;
        return 0;
    }

    /** madvise_guard_remove(): VM_MAYBE_GUARD stays set. */
    static int madviseGuardRemove(Mm mm, Vma vma, long start, long end) {
        if (!mm.semantics().extension().guardRemoveAllowed(isValidGuardVma(mm, vma, true), vma.flags()))
            return Errno.EINVAL.neg();
        return PageWalk.walkPageRangeMm(mm, start, end, GUARD_REMOVE_OPS, null);
    }
}
