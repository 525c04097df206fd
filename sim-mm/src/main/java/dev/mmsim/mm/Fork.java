package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.VmFlag;

/**
 * fork(): the address-space half of it, modelled on dup_mmap() (kernel/fork.c) and
 * copy_page_range() with vma_needs_copy(), copy_pte_range(), copy_present_pte() and
 * copy_nonpresent_pte() (mm/memory.c).
 *
 * <p>Every VMA without VM_DONTCOPY is duplicated; locks are not inherited. A child VMA whose parent
 * had an anon_vma gets its own, chained to the parent's (anon_vma_fork()), which makes it a fork
 * child that never merges with VMAs holding other anonymous memory. VM_WIPEONFORK VMAs start
 * empty. Page tables are copied only where they cannot be rebuilt by faults: where the parent has
 * anonymous memory, or where the child VMA has a VM_COPY_ON_FORK flag. Since 6.19 (and in the
 * hosts' 6.18.y) that includes VM_MAYBE_GUARD, so guard markers survive fork in file and shmem
 * mappings too ({@link Semantic#COPY_ON_FORK_GUARD}).
 */
public final class Fork {
    private Fork() {}

    /** dup_mmap(): a new mm for the child, sharing physical frames with the parent. */
    public static Mm dupMmap(Mm oldMm) {
        Mm mm = new Mm(oldMm.semantics(), oldMm.frames());
        java.util.Map<UffdCtx, UffdCtx> forkedCtx = new java.util.IdentityHashMap<>();
        // the mm flags the child inherits (MMF_INIT_MASK): MMF_VM_MERGE_ANY among them
        mm.mergeAny = oldMm.mergeAny;
        for (Vma mpnt : oldMm.vmas()) {
            if (mpnt.has(VmFlag.VM_DONTCOPY)) continue;
            Vma tmp = mpnt.copy();
            // hugetlb_dup_vma_private(): the child does not own the parent's reservation
            tmp.setHugetlbResv(null);
            tmp.setHugetlbResvUnmapped(false);
            tmp.vmFlagsClear(VmFlag.VM_LOCKED_MASK);
            dupUserfaultfd(oldMm, mm, tmp, forkedCtx);
            if (tmp.has(VmFlag.VM_WIPEONFORK)) {
                tmp.setAnonVma(null, false);
            } else if (mpnt.anonVma() != null) {
                anonVmaFork(tmp);
            }
            mm.insert(tmp);
            if (tmp.file() != null) tmp.file().addMapper(mm);
            if (!tmp.has(VmFlag.VM_WIPEONFORK)) copyPageRange(mm, tmp, oldMm, mpnt);
        }
        return mm;
    }

    /**
     * dup_userfaultfd(): with UFFD_FEATURE_EVENT_FORK the child's VMA stays registered, with one
     * new context per parent context (its descriptor goes to the parent's reader in the fork
     * event); without it the child is not registered (userfaultfd_reset_ctx()). The fork waits
     * until the event is read: only the process's own userfaultfd has a reader.
     */
    static void dupUserfaultfd(Mm oldMm, Mm mm, Vma vma, java.util.Map<UffdCtx, UffdCtx> forkedCtx) {
        UffdCtx octx = vma.uffdCtx();
        if (octx == null) return;
        if (!octx.eventFork()) {
            vma.vmFlagsClear(VmFlag.VM_UFFD_FLAGS);
            vma.setUffdCtx(null);
            return;
        }
        if (octx != oldMm.uffd()) throw new NotModelledException("fork whose UFFD_EVENT_FORK no one reads (it waits for a reader)");
        vma.setUffdCtx(forkedCtx.computeIfAbsent(octx, c -> {
            UffdCtx ctx = new UffdCtx(c.features());
            c.addForked(mm, ctx);
            return ctx;
        }));
    }

    /** anon_vma_fork(): the child VMA gets a new anon_vma chained to the parent's. */
    static void anonVmaFork(Vma vma) {
        vma.setAnonVma(new AnonVma(), true);
    }

    /** The VM_COPY_ON_FORK flags in force: VM_MAYBE_GUARD only with {@link Semantic#COPY_ON_FORK_GUARD}. */
    static long vmCopyOnFork(Mm mm) {
        long flags = VmFlag.VM_COPY_ON_FORK;
        if (!mm.semantics().on(Semantic.COPY_ON_FORK_GUARD)) flags &= ~VmFlag.VM_MAYBE_GUARD.mask();
        return flags;
    }

    /** vma_needs_copy(): page tables that a fault could not rebuild must be copied. */
    static boolean vmaNeedsCopy(Mm dstMm, Vma dstVma, Vma srcVma) {
        // a uffd-wp registered child (EVENT_FORK) needs the tables: they hold the protection
        boolean kernel = Userfaultfd.userfaultfdWp(dstVma) || (dstVma.flags() & vmCopyOnFork(dstMm)) != 0
                || srcVma.anonVma() != null;
        // A --semantic-class extension may overrule it (SemanticExtension.forkCopiesPageTables).
        return dstMm.semantics().extension().forkCopiesPageTables(kernel, dstVma.flags(), srcVma.anonVma() != null);
    }

    /** copy_page_range() down to copy_pte_range(), a PTE table at a time. */
    static void copyPageRange(Mm dstMm, Vma dstVma, Mm srcMm, Vma srcVma) {
        if (!vmaNeedsCopy(dstMm, dstVma, srcVma)) return;
        if (srcVma.isHugetlb()) {
            Hugetlb.copyHugetlbPageRange(dstMm, dstVma, srcMm, srcVma);
            return;
        }
        boolean cow = srcVma.isCowMapping();
        long end = srcVma.end();
        for (long addr = srcVma.start(), next; addr < end; addr = next) {
            next = pmdAddrEnd(addr, end);
            // copy_pmd_range(): a PMD leaf is copied whole (copy_huge_pmd(); a leaf always lies
            // wholly inside its VMA)
            PmdLeaf leaf = srcMm.pageTables().pmdLeaf(addr);
            if (leaf != null) {
                HugeMemory.copyHugePmd(dstMm, dstVma, srcMm, srcVma, addr, leaf);
                continue;
            }
            long[] srcTable = srcMm.pageTables().pteTable(addr);
            if (srcTable == null) continue;
            // copy_pte_range() allocates the child's table before it looks at any entry
            long[] dstTable = dstMm.pageTables().pteAlloc(addr);
            for (int i = pteIndex(addr), last = pteIndex(next - PAGE_SIZE); i <= last; i++) {
                long pte = srcTable[i];
                if (pteNone(pte)) continue;
                long copied = pteP(pte) ? copyPresentPte(srcMm, srcTable, i, pte, cow, srcVma, dstVma)
                        : isPteMarker(pte) ? copyNonpresentPte(pte, dstVma) : copySwapPte(srcMm, srcTable, i, pte, dstVma);
                if (copied != 0) dstTable[i] = copied;
            }
        }
    }

    /**
     * copy_present_pte(): the child maps the same frame; in a private writable mapping both sides
     * are write-protected so the first write copies (COW). The child's entry is old, clean in
     * shared mappings, and keeps the uffd-wp bit only in a uffd-wp VMA (a child registered
     * through UFFD_FEATURE_EVENT_FORK).
     */
    static long copyPresentPte(Mm srcMm, long[] srcTable, int i, long pte, boolean cow, Vma srcVma, Vma dstVma) {
        if (!pteSpecial(pte)) srcMm.frames().map(ptePfn(pte));
        if (cow && pteWrite(pte)) {
            srcTable[i] = pteWrprotect(pte);
            pte = pteWrprotect(pte);
        }
        if (srcVma.has(VmFlag.VM_SHARED)) pte &= ~_PAGE_DIRTY;
        pte &= ~_PAGE_ACCESSED;
        if (!dstVma.has(VmFlag.VM_UFFD_WP)) pte &= ~_PAGE_UFFD_WP;
        return pte;
    }

    /**
     * copy_nonpresent_pte() for a swap entry: the child takes a reference to the slot
     * (swap_duplicate()) and neither side is exclusive any more; the child keeps the uffd-wp bit
     * only in a uffd-wp VMA.
     */
    static long copySwapPte(Mm srcMm, long[] srcTable, int i, long pte, Vma dstVma) {
        srcMm.frames().swap().duplicate(swpOffset(pte));
        pte &= ~_PAGE_SWP_EXCLUSIVE;
        srcTable[i] = pte;
        if (!dstVma.has(VmFlag.VM_UFFD_WP)) pte &= ~_PAGE_SWP_UFFD_WP;
        return pte;
    }

    /**
     * copy_nonpresent_pte() for PTE markers (copy_pte_marker()): guard markers are always copied; a
     * uffd-wp marker only into a uffd-wp VMA.
     */
    static long copyNonpresentPte(long pte, Vma dstVma) {
        long src = swpOffset(pte);
        long dst = src & (PTE_MARKER_GUARD | PTE_MARKER_POISONED);
        if (dstVma.has(VmFlag.VM_UFFD_WP)) dst |= src & PTE_MARKER_UFFD_WP;
        return dst == 0 ? 0 : mkMarker(dst);
    }
}
