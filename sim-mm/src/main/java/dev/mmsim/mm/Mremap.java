package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.VmFlag;

/**
 * mremap(), modelled on mm/mremap.c: shrinking in place, growing in place (vma_merge_extend()),
 * and moving (move_vma(): copy_vma() in mm/vma.c, then move_page_tables(), then unmapping the old
 * range unless MREMAP_DONTUNMAP). Page-table entries move as they are, guard markers included.
 *
 * <p>Model simplification: a move without MREMAP_FIXED lets the kernel choose the new address
 * (get_unmapped_area()), which a transcript cannot name; it throws {@link NotModelledException}.
 */
public final class Mremap {
    private Mremap() {}

    public static final int MREMAP_MAYMOVE = 1;
    public static final int MREMAP_FIXED = 2;
    public static final int MREMAP_DONTUNMAP = 4;

    /** The mremap() system call. Returns the new address, or a negative errno. */
    public static long doMremap(Mm mm, long addr, long oldLen, long newLen, int flags, long newAddr) {
        if ((flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP)) != 0) return Errno.EINVAL.neg();
        if ((flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0) return Errno.EINVAL.neg();
        if ((flags & MREMAP_DONTUNMAP) != 0 && ((flags & MREMAP_MAYMOVE) == 0 || oldLen != newLen))
            return Errno.EINVAL.neg();
        if (!pageAligned(addr)) return Errno.EINVAL.neg();
        oldLen = pageAlign(oldLen);
        newLen = pageAlign(newLen);
        if (newLen == 0) return Errno.EINVAL.neg();
        // check_mremap_params(): a new length past TASK_SIZE is EINVAL before anything else is
        // looked at (measured on the hosts' 6.18.y; placed with the 6.15 parameter checks, not
        // measured on older kernels, where vma_to_resize() and get_unmapped_area() said ENOMEM)
        if (mm.semantics().on(Semantic.MREMAP_PARAM_CHECKS) && Long.compareUnsigned(newLen, TASK_SIZE) > 0)
            return Errno.EINVAL.neg();
        if (oldLen == 0) throw new NotModelledException("mremap of a zero-length shared mapping");
        Vma at = mm.vmaLookup(addr);
        if (at != null && at.isHugetlb()) return mremapHugetlb(mm, at, addr, oldLen, newLen, flags, newAddr);

        if ((flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0) return mremapTo(mm, addr, oldLen, newLen, flags, newAddr);
        // check_prep_vma(): there must be a VMA at the old address before anything is changed.
        if (mm.vmaLookup(addr) == null) return Errno.EFAULT.neg();
        if (Mseal.vmaIsSealed(mm.vmaLookup(addr))) return Errno.EPERM.neg();

        if (Long.compareUnsigned(oldLen, newLen) >= 0) {     // lengths are unsigned (a huge one is no shrink)
            int ret = VmaMerge.doVmiMunmap(mm, addr + newLen, oldLen - newLen);
            if (ret != 0 && oldLen != newLen) return ret;
            return addr;
        }
        Vma vma = mm.vmaLookup(addr);
        long err = vmaToResize(vma, addr, oldLen, newLen, flags);
        if (err != 0) return err;
        if (oldLen == vma.end() - addr && vmaExpandable(mm, vma, newLen - oldLen)) {
            // Measured on the hosts' 6.18.y: growing in place does not fault in the new part, even
            // of a VM_LOCKED VMA (a move that grows one does, see moveVma()).
            vmaMergeExtend(mm, vma, newLen - oldLen);
            return addr;
        }
        if ((flags & MREMAP_MAYMOVE) == 0) return Errno.ENOMEM.neg();
        // get_unmapped_area(): no room for a length past TASK_SIZE (before 6.15 nothing refused it
        // earlier: measured ENOMEM on Debian's 6.12)
        if (Long.compareUnsigned(newLen, TASK_SIZE) > 0) return Errno.ENOMEM.neg();
        throw new NotModelledException("mremap maymove to a kernel-chosen address");
    }

    /**
     * mremap() of a hugetlb VMA: the hugetlb rules of check_prep_vma() first (huge page aligned
     * addresses, lengths rounded up to huge pages, no growing: EINVAL), then a shrink unmaps the
     * tail and an unchanged length is a no-op; MREMAP_FIXED moves it as any mapping moves
     * (mremap_to()), its huge pages with it (move_hugetlb_page_tables()) and its reservation too:
     * the new VMA keeps the resv_map (fixup_hugetlb_reservations() clears it from the old one, so
     * that closing that one gives nothing back). MREMAP_DONTUNMAP is refused for the VMA's
     * VM_DONTEXPAND (EINVAL).
     */
    static long mremapHugetlb(Mm mm, Vma vma, long addr, long oldLen, long newLen, int flags, long newAddr) {
        long[] lens = {oldLen, newLen};
        int err = Hugetlb.mremapCheck(addr, newAddr, (flags & MREMAP_FIXED) != 0, lens);
        if (err != 0) return err;
        oldLen = lens[0];
        newLen = lens[1];
        if ((flags & MREMAP_DONTUNMAP) != 0) return Errno.EINVAL.neg();
        if ((flags & MREMAP_FIXED) != 0) return mremapTo(mm, addr, oldLen, newLen, flags, newAddr);
        if (oldLen > vma.end() - addr) return Errno.EFAULT.neg();
        if (newLen < oldLen) {
            int ret = VmaMerge.doVmiMunmap(mm, addr + newLen, oldLen - newLen);
            if (ret != 0) return ret;
        }
        return addr;
    }

    /**
     * mremap_to(): a move to a caller-chosen address (MREMAP_FIXED), or with MREMAP_DONTUNMAP.
     *
     * <p>The order of its checks changed twice, which two semantic switches follow. Since 6.15
     * ({@link Semantic#MREMAP_PARAM_CHECKS}, check_mremap_params()) the new address's alignment is
     * checked before the VMA at the old address is looked up (EFAULT without one, EPERM for a
     * sealed one); before, mremap_to() checked it after. Since 6.17
     * ({@link Semantic#MREMAP_MULTI_VMA}) TASK_SIZE and the overlap of the two ranges are checked
     * before that lookup too, and that the old range lies in its VMA before anything is unmapped,
     * or else the range moves VMA by VMA (remap_move()); before, mremap_to() checked TASK_SIZE and
     * the overlap after the lookup, then unmapped the destination and the shrunk tail, and only
     * then did vma_to_resize() (resize_is_valid() by 6.15) find the range leaving its VMA:
     * EFAULT, with those unmaps done.
     */
    static long mremapTo(Mm mm, long addr, long oldLen, long newLen, int flags, long newAddr) {
        boolean multiVma = mm.semantics().on(Semantic.MREMAP_MULTI_VMA);
        if ((flags & MREMAP_FIXED) == 0) {
            // check_prep_vma() comes before the kernel picks the new address
            Vma vma = mm.vmaLookup(addr);
            if (vma == null) return Errno.EFAULT.neg();
            if (Mseal.vmaIsSealed(vma)) return Errno.EPERM.neg();
            // Semantic MREMAP_MULTI_VMA off (before 6.17): mremap_to() checks the range against its
            // VMA (vma_to_resize()) before get_unmapped_area() chooses the new address
            if (!multiVma) {
                long err = vmaToResize(vma, addr, oldLen, newLen, flags);
                if (err != 0) return err;
            }
            throw new NotModelledException("mremap dontunmap to a kernel-chosen address");
        }
        // Semantic MREMAP_PARAM_CHECKS off (before 6.15): mremap_to() checks the new address's
        // alignment only after the VMA lookup and the seal check below.
        boolean alignmentFirst = mm.semantics().on(Semantic.MREMAP_PARAM_CHECKS);
        if (alignmentFirst && !pageAligned(newAddr)) return Errno.EINVAL.neg();
        if (multiVma) {
            long err = mremapToRangeChecks(addr, oldLen, newLen, newAddr);
            if (err != 0) return err;
            // vrm_move_only(): a fixed move of an unchanged length goes to remap_move(), which
            // looks at each VMA itself (a gap at the start, vma_multi_allowed(), then its seal)
            if ((flags & MREMAP_FIXED) != 0 && oldLen == newLen) return remapMove(mm, addr, oldLen, newAddr, flags);
        }
        Vma first = mm.vmaLookup(addr);
        if (first == null) return Errno.EFAULT.neg(); // check_prep_vma(), after the argument checks
        if (Mseal.vmaIsSealed(first)) return Errno.EPERM.neg(); // check_prep_vma(): mremap() of a sealed VMA
        if (!alignmentFirst && !pageAligned(newAddr)) return Errno.EINVAL.neg();
        if (!multiVma) {
            // Semantic MREMAP_MULTI_VMA off (before 6.17): mremap_to()'s own checks, after the lookup;
            // a range that leaves its VMA takes the one-VMA path below and fails in vmaToResize()
            long err = mremapToRangeChecks(addr, oldLen, newLen, newAddr);
            if (err != 0) return err;
        } else if (addr + Math.min(oldLen, newLen) > first.end()) {
            // 6.17's remap_move(): several VMAs move only as they are; a resize of a range that
            // would still span several VMAs fails before anything is unmapped
            if (oldLen != newLen) return Errno.EFAULT.neg();
            return remapMove(mm, addr, oldLen, newAddr, flags);
        }
        int ret = VmaMerge.doVmiMunmap(mm, newAddr, newLen);
        if (ret != 0) return ret;
        if (oldLen > newLen) {
            ret = VmaMerge.doVmiMunmap(mm, addr + newLen, oldLen - newLen);
            if (ret != 0) return ret;
            oldLen = newLen;
        }
        Vma vma = mm.vmaLookup(addr);
        long err = vmaToResize(vma, addr, oldLen, newLen, flags);
        if (err != 0) return err;
        return moveVma(mm, vma, addr, oldLen, newLen, newAddr, flags);
    }

    /**
     * The new range must end below TASK_SIZE and must not overlap the old one: EINVAL
     * (check_mremap_params() since 6.17, mremap_to() before).
     */
    static long mremapToRangeChecks(long addr, long oldLen, long newLen, long newAddr) {
        if (Long.compareUnsigned(newLen, TASK_SIZE) > 0 || Long.compareUnsigned(newAddr, TASK_SIZE - newLen) > 0)
            return Errno.EINVAL.neg();
        // vrm_overlaps(), unsigned: an old length of 2^63 and up overlaps everything above addr
        if (Long.compareUnsigned(addr + oldLen, newAddr) > 0 && Long.compareUnsigned(newAddr + newLen, addr) > 0)
            return Errno.EINVAL.neg();
        return 0;
    }

    /**
     * remap_move() (6.17, "mm/mremap: permit mremap() move of multiple VMAs"): an old range that
     * reaches past its first VMA, over gaps and other VMAs, moves VMA by VMA, each piece to the same
     * offset from newAddr, unmapping only what each piece lands on (with MREMAP_DONTUNMAP each old
     * VMA stays, emptied). A VMA registered with a userfaultfd (userfaultfd_armed(), so not
     * vma_multi_allowed()) moves only alone: the loop stops with EFAULT when it reaches one that is
     * not the first, or that is first but does not reach the range's end, before its seal is
     * checked; the VMAs before it have moved already, nothing of it or after it has, not even the
     * unmap of its destination (measured on 6.18: corpus ops/mremap-multi-vma-uffd).
     */
    static long remapMove(Mm mm, long addr, long len, long newAddr, int flags) {
        long end = addr + len;
        long cursor = addr;
        boolean seenVma = false;
        while (cursor < end) {
            Vma v = mm.findVma(cursor);
            if (v == null || v.start() >= end) break;
            long from = Math.max(cursor, v.start());
            long to = Math.min(end, v.end());
            long target = newAddr + (from - addr);
            if (!seenVma && addr < v.start()) return Errno.EFAULT.neg(); // no gap at the start
            // vma_multi_allowed(): a userfaultfd-armed VMA only as the first and whole of the range
            if ((v.flags() & VmFlag.VM_UFFD_FLAGS) != 0 && (seenVma || v.end() < end)) return Errno.EFAULT.neg();
            seenVma = true;
            // check_prep_vma() for each VMA: the VMAs before a sealed one have moved already
            if (Mseal.vmaIsSealed(v)) return Errno.EPERM.neg();
            int ret = VmaMerge.doVmiMunmap(mm, target, to - from);
            if (ret != 0) return ret;
            v = mm.vmaLookup(from);
            long err = vmaToResize(v, from, to - from, to - from, flags);
            if (err != 0) return err;
            moveVma(mm, v, from, to - from, to - from, target, flags);
            cursor = to;
        }
        return seenVma ? newAddr : Errno.EFAULT.neg();
    }

    /**
     * vma_to_resize() (resize_is_valid() by 6.15, remap_is_valid() in 6.17): MREMAP_DONTUNMAP
     * of a VM_DONTEXPAND or VM_PFNMAP VMA is EINVAL; then the old range must lie inside one VMA
     * (EFAULT); special VMAs cannot grow (EFAULT).
     */
    static long vmaToResize(Vma vma, long addr, long oldLen, long newLen, int flags) {
        if (vma == null) return Errno.EFAULT.neg();
        if ((flags & MREMAP_DONTUNMAP) != 0
                && (vma.flags() & (VmFlag.VM_DONTEXPAND.mask() | VmFlag.VM_PFNMAP.mask())) != 0)
            return Errno.EINVAL.neg();
        if (oldLen > vma.end() - addr) return Errno.EFAULT.neg();
        if (newLen == oldLen) return 0;
        if ((vma.flags() & (VmFlag.VM_DONTEXPAND.mask() | VmFlag.VM_PFNMAP.mask())) != 0) return Errno.EFAULT.neg();
        return 0;
    }

    /** vma_expandable(): nothing is mapped in the delta bytes after the VMA. */
    static boolean vmaExpandable(Mm mm, Vma vma, long delta) {
        long end = vma.end() + delta;
        if (end < vma.end() || end > TASK_SIZE) return false;
        Vma next = mm.findVma(vma.end());
        return next == null || next.start() >= end;
    }

    /**
     * vma_merge_extend(): grows vma by delta as a new-range merge with vma as prev, which also
     * absorbs the next VMA when it is adjacent and compatible.
     */
    static void vmaMergeExtend(Mm mm, Vma vma, long delta) {
        // expand_vma_in_place(): a locked VMA's new pages are counted in mm->locked_vm
        if (vma.has(VmFlag.VM_LOCKED)) mm.addLockedVm(delta >>> PAGE_SHIFT);
        VmaMerge.VmaMergeStruct vmg = new VmaMerge.VmaMergeStruct(mm);
        vmg.prev = vma;
        vmg.start = vma.end();
        vmg.end = vma.end() + delta;
        vmg.flags = vma.flags();
        vmg.file = vma.file();
        vmg.anonVma = vma.anonVma();
        vmg.uffdCtx = vma.uffdCtx();
        vmg.pgoff = vma.pgoff() + vma.pages();
        vmg.next = mm.findVma(vma.end());
        VmaMerge.vmaMergeNewRange(vmg);
    }

    /**
     * move_vma(): creates (or merges into) the VMA at the destination with copy_vma(), moves the
     * entries, then unmaps the old range; with MREMAP_DONTUNMAP the old VMA stays, empty,
     * unlocked and without its anon_vma.
     */
    static long moveVma(Mm mm, Vma vma, long oldAddr, long oldLen, long newLen, long newAddr, int flags) {
        long newPgoff = vma.pgoff() + ((oldAddr - vma.start()) >>> PAGE_SHIFT);
        boolean locked = vma.has(VmFlag.VM_LOCKED);
        // vma_has_uffd_without_event_remap(): the move drops the registration and its bits.
        boolean clearUffd = Userfaultfd.hasUffdWithoutEventRemap(mm, vma);
        Vma newVma = VmaMerge.copyVma(mm, vma, newAddr, newLen, newPgoff);
        if (vma.isHugetlb()) Hugetlb.moveHugetlbPageTables(mm, oldAddr, newAddr, oldLen);
        else movePageTables(mm, vma, newVma, oldAddr, newAddr, oldLen, !clearUffd);
        if (clearUffd) {
            // mremap_userfaultfd_prep() without UFFD_FEATURE_EVENT_REMAP: userfaultfd_reset_ctx().
            Userfaultfd.uffdWpRange(mm, newVma, newAddr, newAddr + oldLen, false);
            newVma.vmFlagsClear(VmFlag.VM_UFFD_FLAGS);
            newVma.setUffdCtx(null);
        }
        // move_vma(): the new VMA's pages are counted in mm->locked_vm; the old VMA's leave it with
        // the unmap below, or (MREMAP_DONTUNMAP) never: that VMA is unlocked without subtracting them
        // (semantic MREMAP_DONTUNMAP_LOCKED off, before 6.15: a DONTUNMAP move counts nothing)
        if (locked && ((flags & MREMAP_DONTUNMAP) == 0 || mm.semantics().on(Semantic.MREMAP_DONTUNMAP_LOCKED)))
            mm.addLockedVm(newLen >>> PAGE_SHIFT);
        // mremap_to() of a VM_LOCKED VMA populates what the move added (mm_populate())
        if (locked && newLen > oldLen) Memory.mmPopulate(mm, newAddr + oldLen, newAddr + newLen);
        if ((flags & MREMAP_DONTUNMAP) != 0) {
            Vma old = mm.vmaLookup(oldAddr);
            if (old != null) {
                old.vmFlagsClear(VmFlag.VM_LOCKED_MASK);
                if (old != newVma && old.start() == oldAddr && old.end() == oldAddr + oldLen) {
                    old.setAnonVma(null, false);
                }
            }
            return newAddr;
        }
        HugetlbPool.ResvMap resv = vma.isHugetlb() ? vma.hugetlbResv() : null;
        VmaMerge.doVmiMunmap(mm, oldAddr, oldLen);
        Hugetlb.mremapLeaveReservations(mm, resv, newVma);
        return newAddr;
    }

    /**
     * move_page_tables() (mm/mremap.c): moves the entries of [oldAddr, oldAddr+len) to the same
     * offsets at newAddr, extent by extent, each extent bounded by the next page-table boundary on
     * both sides (get_extent()):
     * <ul>
     * <li>first try_realign_addr(): when the old range starts inside a PMD, at the same offset as
     *     the new one, reaches the next PMD boundary, and both VMAs start there with nothing mapped
     *     below them down to the boundary, both addresses are aligned down to it, so that the first
     *     PTE table moves whole;</li>
     * <li>an extent the source has no PMD table for is skipped; otherwise the destination gets its
     *     PUD table (alloc_new_pud()), and a whole PUD-sized extent moves its PMD table
     *     (move_normal_pud(), x86 has HAVE_MOVE_PUD) when the destination slot is empty;</li>
     * <li>at the PMD level an empty source slot is skipped; otherwise the destination gets its PMD
     *     table (alloc_new_pmd()); a THP moves whole (move_huge_pmd()) or is split, and a whole
     *     PMD-sized extent moves its PTE table (move_normal_pmd()) when the destination slot is
     *     empty, leaving no table behind and the entries' soft-dirty bits as they were;</li>
     * <li>else the destination gets a PTE table and the entries move one by one, each marked
     *     soft-dirty (move_ptes(), move_soft_dirty_pte()).</li>
     * </ul>
     * Neither table move is made (tableMoves false) for a VMA registered with userfaultfd without
     * UFFD_FEATURE_EVENT_REMAP (vma_has_uffd_without_event_remap()): its entries go one by one so
     * that their uffd-wp bits can be cleared, and its old tables stay.
     */
    static void movePageTables(Mm mm, Vma vma, Vma newVma, long oldAddr, long newAddr, long len, boolean tableMoves) {
        if (len == 0) return;
        PageTables pt = mm.pageTables();
        long oldEnd = oldAddr + len;
        if (canRealignAddr(mm, vma, newVma, oldAddr, newAddr, len)) {
            oldAddr &= PMD_MASK;
            newAddr &= PMD_MASK;
        }
        for (long extent; oldAddr < oldEnd; oldAddr += extent, newAddr += extent) {
            extent = extent(oldAddr, oldEnd, newAddr, PUD_SIZE);
            Object[] oldPmds = pt.pmdTable(oldAddr);                   // get_old_pud()
            if (oldPmds == null) continue;
            pt.pudAlloc(newAddr);                                      // alloc_new_pud()
            if (extent == PUD_SIZE && tableMoves && pt.pmdTable(newAddr) == null) {
                pt.movePmdTable(oldAddr, newAddr);                     // move_normal_pud()
                continue;
            }
            extent = extent(oldAddr, oldEnd, newAddr, PMD_SIZE);
            if (oldPmds[pmdIndex(oldAddr)] == null) continue;          // get_old_pmd()
            pt.pmdAlloc(newAddr);                                      // alloc_new_pmd()
            // move_huge_pmd(), or a split when the leaf cannot move whole
            if (HugeMemory.moveHugePmd(mm, vma, oldAddr, newAddr, extent)) continue;
            long[] table = pt.pteTable(oldAddr);
            if (table == null) continue;
            if (extent == PMD_SIZE && tableMoves && HugeMemory.pmdNone(pt, newAddr)) {
                pt.movePteTable(oldAddr, newAddr);                     // move_normal_pmd()
                continue;
            }
            long[] dst = pt.pteAlloc(newAddr);                         // pte_alloc() + move_ptes()
            for (long off = 0; off < extent; off += PAGE_SIZE) {
                int from = pteIndex(oldAddr + off);
                long pte = table[from];
                if (pte == 0) continue;
                table[from] = 0;
                dst[pteIndex(newAddr + off)] = SoftDirty.moveSoftDirtyPte(mm, pte);
            }
        }
    }

    /** get_extent(): up to the next boundary of size on both sides, and not past oldEnd. */
    private static long extent(long oldAddr, long oldEnd, long newAddr, long size) {
        long extent = ((oldAddr + size) & -size) - oldAddr;
        if (Long.compareUnsigned(extent, oldEnd - oldAddr) > 0) extent = oldEnd - oldAddr;
        long toNew = ((newAddr + size) & -size) - newAddr;
        return Long.compareUnsigned(extent, toNew) > 0 ? toNew : extent;
    }

    /**
     * can_realign_addr() for PMD_MASK: the range reaches the next PMD boundary, starts inside a
     * PMD at the same offset on both sides, and both VMAs start at the range with nothing mapped
     * below them down to the boundary (can_align_down()).
     */
    private static boolean canRealignAddr(Mm mm, Vma vma, Vma newVma, long oldAddr, long newAddr, long len) {
        long oldAlign = oldAddr & ~PMD_MASK;
        if (Long.compareUnsigned(len, PMD_SIZE - oldAlign) < 0) return false;
        if (oldAlign == 0 || oldAlign != (newAddr & ~PMD_MASK)) return false;
        return canAlignDown(mm, vma, oldAddr) && canAlignDown(mm, newVma, newAddr);
    }

    /** can_align_down(): the VMA starts at addr and no VMA lies in [addr & PMD_MASK, addr). */
    private static boolean canAlignDown(Mm mm, Vma vma, long addr) {
        if (vma.start() != addr) return false;
        Vma below = mm.findVma(addr & PMD_MASK);
        return below == null || below.start() >= addr;
    }
}
