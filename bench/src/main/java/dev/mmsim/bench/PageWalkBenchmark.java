package dev.mmsim.bench;

import dev.mmsim.mm.Mm;
import dev.mmsim.mm.MmWalkOps;
import dev.mmsim.mm.PageWalk;

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
 * The generic page walker (walk_page_range(), mm/pagewalk.c) on its own, with minimal callbacks:
 * how long the descent through the four levels costs before any /proc view adds its work.
 * Layouts: 256 MiB populated (65536 PTEs in 128 tables) and 4 GiB with one page per 2 MiB
 * (2048 tables of which one entry each is present).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PageWalkBenchmark {
    @Param({"populated", "sparse"})
    public String layout;

    private Mm mm;
    private long end;

    /** pte_entry only: visits every entry of every PTE table, counting the present ones. */
    private static final MmWalkOps PTE_ENTRY = MmWalkOps.builder()
            .pteEntry((table, index, addr, next, walk) -> {
                walk.<long[]>priv()[0] += table[index] & 1;
                return MmWalkOps.CONTINUE;
            })
            .build();

    /** pmd_entry only: stops at PMD level, counting the PTE tables. */
    private static final MmWalkOps PMD_ENTRY = MmWalkOps.builder()
            .pmdEntry((pmd, index, addr, next, walk) -> {
                walk.<long[]>priv()[0]++;
                return MmWalkOps.CONTINUE;
            })
            .build();

    @Setup
    public void build() {
        long len = layout.equals("populated") ? 256L << 20 : 4L << 30;
        mm = layout.equals("populated") ? Layouts.populated(len) : Layouts.sparse(len);
        end = Layouts.BASE + len;
    }

    @Benchmark
    public long pteEntry() {
        long[] present = new long[1];
        PageWalk.walkPageRange(mm, Layouts.BASE, end, PTE_ENTRY, present);
        return present[0];
    }

    @Benchmark
    public long pmdEntry() {
        long[] tables = new long[1];
        PageWalk.walkPageRange(mm, Layouts.BASE, end, PMD_ENTRY, tables);
        return tables[0];
    }
}
