package dev.mmsim.mm;

import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The default hstate's pool of 2 MiB huge pages (struct hstate, mm/hugetlb.c): nr_huge_pages,
 * free_huge_pages and resv_huge_pages, shared like the frames by every simulated address space.
 *
 * <p>The kernel keeps resv_huge_pages as a running count that mmap (hugetlb_reserve_pages()),
 * faults (the reservation a page consumes) and VMA close (hugetlb_vm_op_close() giving back
 * what was never used) adjust. The model derives it instead from the state those updates
 * follow: a private mapping that owns its reservation (HPAGE_RESV_OWNER) still holds one for each
 * of its huge pages that never consumed it, and a hugetlbfs inode (the object behind a shared
 * mapping) one for each reserved index with no page in its cache. The two agree as long as the
 * VMAs are known, so each {@link Mm} registers itself here.
 *
 * <p>Model simplification: no surplus pages (nr_overcommit_hugepages is 0 on the hosts), one
 * huge page size, no subpools or cgroups.
 */
public final class HugetlbPool {
    /** resv_map of a private mapping (HPAGE_RESV_OWNER): the page indexes whose reservation was used. */
    static final class ResvMap {
        final LongHashSet consumed = new LongHashSet();
    }

    /**
     * The hugetlbfs inode behind a hugetlb mapping (an anonymous one too: hugetlb_file_setup()):
     * its page cache (shared mappings only; head page index to PFN) and its inode resv_map (the
     * indexes reserved by shared mappings).
     */
    static final class Inode {
        final LongIntHashMap cache = new LongIntHashMap();
        final LongHashSet reserved = new LongHashSet();
    }

    private final FrameTable frames;
    private long nrHugePages;
    private long inUse;
    private final Set<Mm> mms = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<MappedFile, Inode> inodes = new IdentityHashMap<>();

    HugetlbPool(FrameTable frames) {
        this.frames = frames;
    }

    /** Sets nr_hugepages (the sysctl); the pool starts empty. */
    public void setNrHugePages(long pages) {
        if (pages < inUse) throw new IllegalArgumentException("pool smaller than the pages in use");
        nrHugePages = pages;
    }

    /** nr_huge_pages. */
    public long nrHugePages() {
        return nrHugePages;
    }

    /** free_huge_pages. */
    public long freeHugePages() {
        reapDeadInodes();
        return nrHugePages - inUse;
    }

    /**
     * Reservations no mapping holds any more but the kernel never gives back (see
     * {@link Hugetlb#mremapLeaveReservations}): they stay in resv_huge_pages.
     */
    private long leaked;

    /** Counts one reservation as leaked: it stays in resv_huge_pages for good. */
    void leak() {
        leaked++;
    }

    /** resv_huge_pages, derived from the live reservations (see the class comment), plus the leaked ones. */
    public long resvHugePages() {
        reapDeadInodes();
        long resv = leaked;
        for (Mm mm : mms) {
            for (Vma v : mm.vmas()) {
                if (v.hugetlbResv() == null) continue;
                for (long a = v.start(); a < v.end(); a += Hugetlb.HPAGE_SIZE) {
                    if (!v.hugetlbResv().consumed.contains(v.linearPageIndex(a))) resv++;
                }
            }
        }
        for (Inode inode : inodes.values()) {
            for (long idx : inode.reserved.toArray()) if (!inode.cache.containsKey(idx)) resv++;
        }
        return resv;
    }

    /** Pages neither in use nor reserved: what a fault or a reservation without one may take. */
    long available() {
        return freeHugePages() - resvHugePages();
    }

    void register(Mm mm) {
        mms.add(mm);
    }

    Inode inode(MappedFile file) {
        return inodes.computeIfAbsent(file, f -> new Inode());
    }

    /** dequeue_hugetlb_folio(): a huge page leaves the free list (the caller checked there is one). */
    int allocFolio(boolean anon) {
        inUse++;
        return frames.alloc(anon ? FrameTable.HUGETLB_ANON : FrameTable.HUGETLB_FILE);
    }

    /** free_huge_folio(): the page goes back to the free list. */
    void freeFolio(int pfn) {
        inUse--;
        frames.free(pfn);
    }

    /**
     * evict_inode of a hugetlbfs inode no VMA maps any more (the last mapping of an anonymous
     * hugetlb file went): its pages go back to the pool and its reservations with it. The kernel
     * does this when the file is released; the model looks when the counts are read.
     */
    private void reapDeadInodes() {
        List<MappedFile> dead = new ArrayList<>();
        for (MappedFile f : inodes.keySet()) {
            boolean mapped = false;
            for (Mm mm : mms) {
                for (Vma v : mm.vmas()) {
                    if (v.file() == f) {
                        mapped = true;
                        break;
                    }
                }
                if (mapped) break;
            }
            if (!mapped) dead.add(f);
        }
        for (MappedFile f : dead) {
            Inode inode = inodes.remove(f);
            for (int pfn : inode.cache.values().toArray()) freeFolio(pfn);
        }
    }
}
