package dev.mmsim.proc;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.VmFlag;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.MmWalk;
import dev.mmsim.mm.MmWalkOps;
import dev.mmsim.mm.PageWalk;
import dev.mmsim.mm.Vma;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * /proc/pid/smaps and /proc/pid/maps, modelled on show_smap(), smap_gather_stats() with
 * smaps_pte_range()/smaps_pte_entry(), show_map_vma() and show_smap_vma_flags() in
 * fs/proc/task_mmu.c.
 */
public final class Smaps {
    private Smaps() {}

    /** struct mem_size_stats: the counters gathered for one VMA, in bytes. */
    static final class MemSizeStats {
        long resident;
        long swap;
    }

    static final MmWalkOps SMAPS_WALK_OPS = MmWalkOps.builder().pmdEntry(Smaps::smapsPteRange).build();

    /** smaps_pte_range() + smaps_pte_entry(): Rss counts normal pages (not the zero page); Swap counts swap entries. */
    static int smapsPteRange(Object[] pmdTable, int index, long addr, long end, MmWalk walk) {
        MemSizeStats mss = walk.priv();
        long[] pte = (long[]) pmdTable[index];
        for (; addr < end; addr += PAGE_SIZE) {
            long e = pte[pteIndex(addr)];
            if (pteP(e)) {
                if (!pteSpecial(e)) mss.resident += PAGE_SIZE;
            } else if (isSwapPte(e) && !isPteMarker(e)) {
                mss.swap += PAGE_SIZE;
            }
        }
        return 0;
    }

    /** The smaps entries of the VMAs overlapping [start, end). */
    public static List<SmapsEntry> smaps(Mm mm, long start, long end) {
        List<SmapsEntry> out = new ArrayList<>();
        for (Vma vma : mm.vmas(start, end)) out.add(showSmap(mm, vma));
        return out;
    }

    /** show_smap() for one VMA. */
    static SmapsEntry showSmap(Mm mm, Vma vma) {
        MemSizeStats mss = new MemSizeStats();
        PageWalk.walkPageRange(mm, vma.start(), vma.end(), SMAPS_WALK_OPS, mss);
        // smap_gather_stats(): a shmem VMA also counts its object's pages out in swap (shmem_swap_usage()).
        if (vma.isShmem()) mss.swap += vma.file().swappedPages(vma.pgoff(), vma.pgoff() + vma.pages()) * PAGE_SIZE;
        String mnemonics = VmFlag.mnemonics(vma.flags(), mm.semantics().softDirtyConfigured());
        List<String> flags = mnemonics.isEmpty() ? List.of() : Arrays.asList(mnemonics.split(","));
        return new SmapsEntry(vma.start(), vma.end(), perms(vma), flags, mss.resident >> 10, mss.swap >> 10);
    }

    /** The permission string of show_map_vma(): r, w, x or '-', then s (VM_MAYSHARE) or p. */
    public static String perms(Vma vma) {
        return (vma.has(VmFlag.VM_READ) ? "r" : "-") + (vma.has(VmFlag.VM_WRITE) ? "w" : "-")
                + (vma.has(VmFlag.VM_EXEC) ? "x" : "-") + (vma.has(VmFlag.VM_MAYSHARE) ? "s" : "p");
    }
}
