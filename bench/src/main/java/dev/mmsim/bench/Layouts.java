package dev.mmsim.bench;

import dev.mmsim.core.Geometry;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.mm.MadviseOps;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.Mmap;

import java.util.SplittableRandom;

/**
 * The simulated address spaces the benchmarks run on, built with the simulator's own mmap and
 * madvise. They mirror the layouts of {@code mmsim bench} at smaller sizes, so that one JMH
 * invocation takes microseconds to milliseconds.
 */
final class Layouts {
    private Layouts() {}

    /** Where every layout starts: the scenario arena, 1 TiB aligned. */
    static final long BASE = 0x100000000000L;

    private static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED;
    private static final int ANON_NORESERVE = ANON | MapFlag.MAP_NORESERVE;
    private static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;

    /** len bytes of private anonymous memory, every page written. */
    static Mm populated(long len) {
        Mm mm = empty();
        check(Mmap.doMmap(mm, BASE, len, RW, ANON, null, 0));
        check(MadviseOps.doMadvise(mm, BASE, len, Madvise.POPULATE_WRITE));
        return mm;
    }

    /** len bytes reserved with MAP_NORESERVE, the first page of every 2 MiB written. */
    static Mm sparse(long len) {
        Mm mm = empty();
        check(Mmap.doMmap(mm, BASE, len, RW, ANON_NORESERVE, null, 0));
        for (long a = BASE; a < BASE + len; a += Geometry.PMD_SIZE)
            check(MadviseOps.doMadvise(mm, a, Geometry.PAGE_SIZE, Madvise.POPULATE_WRITE));
        return mm;
    }

    /** len bytes reserved with MAP_NORESERVE and count guard regions of 1 to 8 pages, one per equal slot. */
    static Mm guarded(long len, int count) {
        Mm mm = empty();
        check(Mmap.doMmap(mm, BASE, len, RW, ANON_NORESERVE, null, 0));
        SplittableRandom random = new SplittableRandom(1);
        long slotPages = (len / count) >>> Geometry.PAGE_SHIFT;
        for (int i = 0; i < count; i++) {
            long pages = 1 + random.nextInt(8);
            long page = i * slotPages + random.nextLong(slotPages - pages);
            check(MadviseOps.doMadvise(mm, BASE + (page << Geometry.PAGE_SHIFT), pages << Geometry.PAGE_SHIFT,
                    Madvise.GUARD_INSTALL));
        }
        return mm;
    }

    /** Pages per VMA of {@link #manyVmas}. */
    static final long VMA_PAGES = 16;

    /**
     * count VMAs of {@link #VMA_PAGES} pages each, back to back, alternately read-only and
     * read-write so that no two neighbours merge.
     */
    static Mm manyVmas(int count) {
        Mm mm = empty();
        long len = VMA_PAGES << Geometry.PAGE_SHIFT;
        for (int i = 0; i < count; i++)
            check(Mmap.doMmap(mm, BASE + i * len, len, protOf(i), ANON_NORESERVE, null, 0));
        return mm;
    }

    /** The protection of VMA i of {@link #manyVmas}. */
    static int protOf(int i) {
        return i % 2 == 0 ? Prot.PROT_READ : RW;
    }

    private static Mm empty() {
        return new Mm(Semantics.newest(HostProfile.UPSTREAM));
    }

    static void check(int rc) {
        if (rc != 0) throw new IllegalStateException("building the layout failed: " + rc);
    }
}
