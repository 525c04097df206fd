package dev.mmsim.bench;

import dev.mmsim.core.Geometry;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.Mprotect;
import dev.mmsim.mm.Vma;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The VMA tree (the sorted map standing in for the maple tree) with few and with many VMAs: a
 * lookup (find_vma()) at a random address, and an mprotect() of one page in the middle of a VMA
 * and back, which splits the VMA in three and merges the three again (vma_modify_flags(), four
 * tree updates each way).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VmaTreeBenchmark {
    @Param({"16", "4096"})
    public int vmas;

    private static final int PROBES = 1024;

    private Mm mm;
    /** Random addresses inside the mapped range, and the VMA index each lies in. */
    private final long[] addr = new long[PROBES];
    private final int[] vmaIndex = new int[PROBES];
    private int next;

    @Setup
    public void build() {
        mm = Layouts.manyVmas(vmas);
        SplittableRandom random = new SplittableRandom(1);
        long pages = vmas * Layouts.VMA_PAGES;
        for (int i = 0; i < PROBES; i++) {
            long page = random.nextLong(pages);
            addr[i] = Layouts.BASE + (page << Geometry.PAGE_SHIFT);
            vmaIndex[i] = (int) (page / Layouts.VMA_PAGES);
        }
    }

    @Benchmark
    public Vma findVma() {
        return mm.findVma(addr[next++ & (PROBES - 1)]);
    }

    /** One page in the middle of a random VMA changes protection (split in three), then changes back (merge). */
    @Benchmark
    public int mprotectSplitMerge() {
        int i = vmaIndex[next++ & (PROBES - 1)];
        long middle = Layouts.BASE + ((i * Layouts.VMA_PAGES + Layouts.VMA_PAGES / 2) << Geometry.PAGE_SHIFT);
        Layouts.check(Mprotect.doMprotect(mm, middle, Geometry.PAGE_SIZE, Layouts.protOf(i + 1)));
        Layouts.check(Mprotect.doMprotect(mm, middle, Geometry.PAGE_SIZE, Layouts.protOf(i)));
        return mm.mapCount();
    }
}
