package dev.mmsim.scenarios.bench;

import dev.mmsim.core.Geometry;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.Semantics;
import dev.mmsim.mm.MadviseOps;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.Mmap;

import java.lang.ref.Reference;

/**
 * How much Java heap the simulator retains per populated page: one {@link Mm} with one private
 * anonymous mapping, every page of it populated with MADV_POPULATE_WRITE (one write fault per
 * page: a PTE, a frame, its mapcount).
 *
 * <p>Method: the used heap ({@code Runtime.totalMemory() - freeMemory()}) right after
 * {@link System#gc()}, before the mm exists and again after it was populated while it is still
 * reachable; the difference is everything the mm retains. The page-table part is also counted
 * directly from the structure: {@link dev.mmsim.mm.PageTables#pteTableCount()} tables of 512
 * eight-byte entries (array headers and the few upper-level tables left out), so the rest of the
 * difference is the frame table, the VMA and the mm itself.
 */
final class HeapFootprint {
    private HeapFootprint() {}

    /**
     * @param ptes           populated PTEs
     * @param retainedBytes  heap growth, measured after GC
     * @param pteEntryBytes  bytes of PTE-table entries, counted
     */
    record Result(long ptes, long retainedBytes, long pteEntryBytes) {
        double bytesPerPte() {
            return (double) retainedBytes / ptes;
        }

        double pteEntryBytesPerPte() {
            return (double) pteEntryBytes / ptes;
        }
    }

    static Result measure(HostProfile host, long base, long ptes) {
        long len = ptes << Geometry.PAGE_SHIFT;
        long before = usedHeapAfterGc();
        Mm mm = new Mm(Semantics.newest(host));
        long rc = Mmap.doMmap(mm, base, len, OpMix.PROT, OpMix.MAP_FLAGS, null, 0);
        if (rc == 0) rc = MadviseOps.doMadvise(mm, base, len, Madvise.POPULATE_WRITE);
        if (rc != 0) throw new BenchTarget.BenchException("sim populate for the heap measurement failed: " + rc);
        long after = usedHeapAfterGc();
        long entries = mm.pageTables().pteTableCount() * Geometry.PTRS_PER_TABLE * Long.BYTES;
        Reference.reachabilityFence(mm);
        return new Result(ptes, after - before, entries);
    }

    /** Used heap after full collections; two, so that objects freed by the first are gone too. */
    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
