package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.VmFlag;

/**
 * mprotect(), modelled on do_mprotect_pkey(), mprotect_fixup() and change_pte_range() in
 * mm/mprotect.c.
 */
public final class Mprotect {
    private Mprotect() {}

    /**
     * do_mprotect_pkey(): changes the protection of [start, start+len). VMAs are changed one by one
     * in address order; a hole stops the walk with ENOMEM, leaving the VMAs before it changed, as
     * the kernel does. Returns 0 or a negative errno.
     */
    public static int doMprotect(Mm mm, long start, long len, int prot) {
        // a split inside a huge page of a hugetlb VMA fails the call (EINVAL)
        try {
            return doMprotectSplitting(mm, start, len, prot);
        } catch (VmaMerge.SplitFailed e) {
            return e.errno;
        }
    }

    private static int doMprotectSplitting(Mm mm, long start, long len, int prot) {
        if (!pageAligned(start)) return Errno.EINVAL.neg();
        if ((prot & ~7) != 0) return Errno.EINVAL.neg();
        if (len == 0) return 0;
        len = pageAlign(len);
        // do_mprotect_pkey(): unsigned, so only a wrap past 2^64 is ENOMEM here; an end past
        // TASK_SIZE changes the VMAs up to the first hole, which then answers ENOMEM.
        long end = start + len;
        if (Long.compareUnsigned(end, start) <= 0) return Errno.ENOMEM.neg();
        end = clampUserEnd(end);

        VmaIterator vmi = new VmaIterator(mm, start);
        Vma vma = vmi.find(end);
        if (vma == null) return Errno.ENOMEM.neg();
        if (vma.start() > start) return Errno.ENOMEM.neg();
        Vma prev = vma.start() < start ? vma : mm.prev(vma);
        long newProtBits = Mmap.calcVmProtBits(prot);
        long nstart = start;
        while (true) {
            long mayFlags = (vma.flags() & VmFlag.of(VmFlag.VM_MAYREAD, VmFlag.VM_MAYWRITE, VmFlag.VM_MAYEXEC)) >>> 4;
            if ((newProtBits & ~mayFlags) != 0) return Errno.EACCES.neg();
            long newFlags = newProtBits | (vma.flags() & ~VmFlag.VM_ACCESS_FLAGS);
            long tmp = Math.min(vma.end(), end);
            // mprotect_fixup(): a sealed VMA refuses any change, even to its current protection
            if (Mseal.vmaIsSealed(vma)) return Errno.EPERM.neg();
            Vma changed = mprotectFixup(mm, vmi, prev, vma, nstart, tmp, newFlags);
            // vma_iter_end(): a merge may have carried the VMA past tmp
            nstart = changed.end();
            if (nstart >= end) return 0;
            prev = changed;
            vmi.set(nstart);
            vma = vmi.next();
            if (vma == null || vma.start() != nstart) return Errno.ENOMEM.neg();
        }
    }

    /**
     * mprotect_fixup(): a private mapping that becomes writable is charged (VM_ACCOUNT); one that
     * becomes read-only before it ever had anonymous memory is uncharged again; the range gets its
     * new flags through vma_modify_flags(), change_protection() updates the PTEs, and a locked
     * private mapping that becomes writable is populated (to break COW up front).
     */
    static Vma mprotectFixup(Mm mm, VmaIterator vmi, Vma prev, Vma vma, long start, long end, long newFlags) {
        long oldFlags = vma.flags();
        if (newFlags == oldFlags) return vma;
        if ((newFlags & VmFlag.VM_WRITE.mask()) != 0) {
            if ((oldFlags & VmFlag.of(VmFlag.VM_ACCOUNT, VmFlag.VM_WRITE, VmFlag.VM_HUGETLB,
                    VmFlag.VM_SHARED, VmFlag.VM_NORESERVE)) == 0) newFlags |= VmFlag.VM_ACCOUNT.mask();
        } else if ((oldFlags & VmFlag.VM_ACCOUNT.mask()) != 0 && vma.isAnonymous() && vma.anonVma() == null
                && mm.semantics().on(Semantic.MPROTECT_UNACCOUNT)) {   // before 6.7 the charge stayed
            newFlags &= ~VmFlag.VM_ACCOUNT.mask();
        }
        Vma v = VmaMerge.vmaModifyFlags(mm, vmi, prev, vma, start, end, newFlags);
        changeProtection(mm, v, start, end);
        long lockedPrivate = VmFlag.of(VmFlag.VM_WRITE, VmFlag.VM_SHARED, VmFlag.VM_LOCKED);
        if ((oldFlags & lockedPrivate) == VmFlag.VM_LOCKED.mask() && (newFlags & VmFlag.VM_WRITE.mask()) != 0)
            Memory.populateVmaPageRange(mm, v, start, end);
        return v;
    }

    /**
     * change_pte_range(): entries lose write permission when the VMA is no longer writable.
     * Model simplification: gaining write permission leaves entries read-only; the next write
     * fault makes them writable (do_wp_page() reuse), with the same visible result. With soft-dirty
     * tracking the kernel does the same for every entry that matters: can_change_pte_writable()
     * (and vma_wants_writenotify() for shared mappings) keeps an entry that is not soft-dirty
     * read-only in a VMA without VM_SOFTDIRTY, so its next write faults and sets the bit
     * (soft-dirty.c test_mprotect_*); an entry the kernel does make writable is soft-dirty already
     * or in a VM_SOFTDIRTY VMA, where pagemap reports every page soft-dirty anyway.
     */
    static void changeProtection(Mm mm, Vma vma, long start, long end) {
        if (vma.isHugetlb()) {
            Hugetlb.hugetlbChangeProtection(mm, vma, start, end);
            return;
        }
        boolean wrprotect = !vma.has(VmFlag.VM_WRITE);
        for (long addr = start, next; addr < end; addr = next) {
            next = pmdAddrEnd(addr, end);
            // change_pmd_range(): a PMD leaf is changed whole (change_huge_pmd()) or split
            HugeMemory.changeHugePmd(mm, vma, addr, next);
            if (wrprotect) changePteRange(mm.pageTables().pteTable(addr), addr, next);
        }
    }

    /** change_pte_range(): [addr, end) of one PTE table (null: pmd_none()) loses write permission. */
    private static void changePteRange(long[] table, long addr, long end) {
        if (table == null) return;
        for (int i = pteIndex(addr), last = pteIndex(end - PAGE_SIZE); i <= last; i++) {
            long pte = table[i];
            if (pteP(pte)) table[i] = pteWrprotect(pte);
        }
    }
}
