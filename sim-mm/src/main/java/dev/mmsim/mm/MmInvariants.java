package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;

import dev.mmsim.core.Semantic;
import dev.mmsim.core.VmFlag;

import java.util.ArrayList;
import java.util.List;

/**
 * Whole-state checks of an {@link Mm} beyond {@link Mm#validate()}, for property tests: no two
 * neighbouring VMAs are left unmerged that the kernel would merge, page-table entries exist
 * only inside VMAs, and PMD leaves only where a VMA covers their whole 2 MiB. Each check states the kernel's rule on its own rather than calling the code
 * it checks, so that a bug in that code shows up as a violation.
 */
public final class MmInvariants {
    private MmInvariants() {}

    /** Every violation of {@link Mm#validate()} and of this class's checks; empty when consistent. */
    public static List<String> violations(Mm mm) {
        List<String> out = new ArrayList<>(mm.validate());
        out.addAll(unmergedNeighbours(mm));
        out.addAll(entriesOutsideVmas(mm));
        out.addAll(softDirtyWithoutConfig(mm));
        out.addAll(misplacedPmdLeaves(mm));
        return out;
    }

    /**
     * Without CONFIG_MEM_SOFT_DIRTY, _PAGE_SOFT_DIRTY, _PAGE_SWP_SOFT_DIRTY and VM_SOFTDIRTY are 0
     * (arch/x86/include/asm/pgtable_types.h, include/linux/mm.h): no entry or VMA may carry them.
     */
    public static List<String> softDirtyWithoutConfig(Mm mm) {
        List<String> out = new ArrayList<>();
        if (mm.semantics().softDirtyConfigured()) return out;
        for (Vma v : mm.vmas()) {
            if (v.has(VmFlag.VM_SOFTDIRTY)) out.add("VM_SOFTDIRTY without CONFIG_MEM_SOFT_DIRTY: " + v);
            for (long a = v.start(); a < v.end(); a += PAGE_SIZE) {
                long[] t = mm.pageTables().pteTable(a);
                if (t == null) {
                    a = Math.min(v.end(), (a & PMD_MASK) + PMD_SIZE) - PAGE_SIZE;
                    continue;
                }
                long pte = t[pteIndex(a)];
                if (PteBits.pteP(pte) ? PteBits.pteSoftDirty(pte) : PteBits.pteSwpSoftDirty(pte))
                    out.add(String.format("soft-dirty entry %x at %x without CONFIG_MEM_SOFT_DIRTY", pte, a));
            }
        }
        return out;
    }

    /**
     * PMD leaves (THPs, the huge zero page) where the kernel never leaves one: a leaf maps a whole
     * 2 MiB-aligned range that one VMA covers entirely (a VMA boundary inside it would have split
     * it, vma_adjust_trans_huge()), its entry is present with _PAGE_PSE, and its PFN is the
     * 512-aligned head of a THP folio or of the huge zero page.
     */
    public static List<String> misplacedPmdLeaves(Mm mm) {
        List<String> out = new ArrayList<>();
        forEachPmdSlot(mm, (addr, slot) -> {
            if (!(slot instanceof PmdLeaf leaf)) return;
            Vma v = mm.vmaLookup(addr);
            if (v == null || v.end() < addr + PMD_SIZE) {
                out.add(String.format("PMD leaf at %x not wholly inside one VMA (%s)", addr, v));
                return;
            }
            if (v.isHugetlb()) {
                // a hugetlb entry: a huge page (present) or a uffd-wp marker
                if (!PteBits.pteP(leaf.entry) && !PteBits.isUffdWpMarker(leaf.entry)) {
                    out.add(String.format("hugetlb entry at %x is neither a page nor a uffd-wp marker: %x", addr, leaf.entry));
                }
                return;
            }
            if (!PteBits.pteP(leaf.entry) || (leaf.entry & PteBits._PAGE_PSE) == 0) {
                out.add(String.format("PMD leaf at %x is not a present huge entry: %x", addr, leaf.entry));
            }
            long pfn = PteBits.ptePfn(leaf.entry);
            boolean head = (pfn & (PTRS_PER_TABLE - 1)) == 0
                    && (mm.frames().isHugeZeroPfn(pfn) || mm.frames().isLarge(pfn));
            if (!head) out.add(String.format("PMD leaf at %x maps pfn %x, not the head of a THP", addr, pfn));
        });
        return out;
    }

    /** What {@link #forEachPmdSlot} calls: the 2 MiB-aligned address of a non-empty PMD slot and the slot. */
    private interface PmdSlotVisitor {
        void visit(long addr, Object slot);
    }

    /** Visits every non-empty PMD slot (PTE table or leaf) of the page tables, in address order. */
    private static void forEachPmdSlot(Mm mm, PmdSlotVisitor visitor) {
        Object[] pgd = mm.pageTables().pgd();
        for (int g = 0; g < PTRS_PER_TABLE; g++) {
            if (!(pgd[g] instanceof Object[] pud)) continue;
            for (int u = 0; u < PTRS_PER_TABLE; u++) {
                if (!(pud[u] instanceof Object[] pmd)) continue;
                for (int m = 0; m < PTRS_PER_TABLE; m++) {
                    if (pmd[m] == null) continue;
                    visitor.visit(((long) g << PGDIR_SHIFT) | ((long) u << PUD_SHIFT) | ((long) m << PMD_SHIFT), pmd[m]);
                }
            }
        }
    }

    /**
     * Adjacent VMAs that one VMA could cover (mm/vma.c): neither VM_SPECIAL; equal flags but for
     * the sticky ones (VM_MAYBE_GUARD, with {@link Semantic#STICKY_FLAGS}; VM_SOFTDIRTY, where
     * soft-dirty is configured); the same file and
     * userfaultfd context; contiguous page offsets; and compatible anon_vmas (the same one, or none
     * on one side and, on the other, one not inherited through fork: is_mergeable_anon_vma(); with
     * {@link Semantic#ANON_MERGE_UNFAULTED} off, the same one or none on either side); with
     * {@link Semantic#KSM_NEW_VMA_MERGE} off, not VM_MERGEABLE. Every
     * operation that creates or changes a VMA tries to merge it with its neighbours, so no such pair
     * may remain.
     */
    public static List<String> unmergedNeighbours(Mm mm) {
        List<String> out = new ArrayList<>();
        Vma prev = null;
        for (Vma v : mm.vmas()) {
            if (prev != null && prev.end() == v.start() && mergeable(mm, prev, v)) {
                out.add("unmerged neighbours the kernel would merge: " + prev + " | " + v);
            }
            prev = v;
        }
        return out;
    }

    private static boolean mergeable(Mm mm, Vma a, Vma b) {
        long sticky = mm.semantics().on(Semantic.STICKY_FLAGS) ? VmFlag.VM_MAYBE_GUARD.mask() : 0;
        // VM_SOFTDIRTY: sticky since 6.19, ignored by the merge test before (VM_IGNORE_MERGE)
        if (mm.semantics().softDirtyConfigured()) sticky |= VmFlag.VM_SOFTDIRTY.mask();
        // Before 6.17 (Semantic ksm_new_vma_merge off) a new mapping became VM_MERGEABLE after its
        // merge attempt, so two mergeable VMAs may remain side by side
        if ((a.flags() & VmFlag.VM_MERGEABLE.mask()) != 0 && !mm.semantics().on(Semantic.KSM_NEW_VMA_MERGE)) return false;
        return ((a.flags() | b.flags()) & VmFlag.VM_SPECIAL) == 0
                && ((a.flags() ^ b.flags()) & ~sticky) == 0
                && a.file() == b.file()
                && a.uffdCtx() == b.uffdCtx()
                && a.pgoff() + a.pages() == b.pgoff()
                && anonVmasCompatible(mm, a, b);
    }

    private static boolean anonVmasCompatible(Mm mm, Vma a, Vma b) {
        if (a.anonVma() == null && b.anonVma() == null) return true;
        // Before 6.16 (Semantic anon_merge_unfaulted off) a faulted VMA that changed could not merge
        // into an unfaulted neighbour, so such a pair may remain
        if ((a.anonVma() == null || b.anonVma() == null) && !mm.semantics().on(Semantic.ANON_MERGE_UNFAULTED)) return false;
        if (a.anonVma() == null) return !b.forkChild();
        if (b.anonVma() == null) return !a.forkChild();
        return a.anonVma() == b.anonVma();
    }

    /** Non-empty page-table entries (pages, zero page, markers) at addresses no VMA covers. */
    public static List<String> entriesOutsideVmas(Mm mm) {
        List<String> out = new ArrayList<>();
        forEachPmdSlot(mm, (base, slot) -> {
            if (!(slot instanceof long[] pte)) return;
            for (int i = 0; i < PTRS_PER_TABLE; i++) {
                long addr = base | ((long) i << PAGE_SHIFT);
                if (pte[i] != 0 && mm.vmaLookup(addr) == null) {
                    out.add(String.format("entry %x at %x outside every VMA", pte[i], addr));
                }
            }
        });
        return out;
    }
}
