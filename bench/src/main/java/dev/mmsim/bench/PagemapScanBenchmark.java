package dev.mmsim.bench;

import dev.mmsim.core.PageCategory;
import dev.mmsim.core.Geometry;
import dev.mmsim.mm.Mm;
import dev.mmsim.proc.PagemapScan;
import dev.mmsim.proc.PmScanArg;
import dev.mmsim.proc.ScanResult;

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
 * PAGEMAP_SCAN (do_pagemap_scan(), fs/proc/task_mmu.c) on the three layouts of {@code mmsim bench},
 * at 1/16 of their sizes: every category over 64 MiB populated; every category over 4 GiB with
 * one page per 2 MiB; category_mask guard over 64 GiB with 256 guard regions.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PagemapScanBenchmark {
    @Param({"populated", "sparse", "guard"})
    public String layout;

    private Mm mm;
    private PmScanArg arg;

    @Setup
    public void build() {
        long start = Layouts.BASE;
        switch (layout) {
            case "populated" -> {
                long len = 64L << 20;
                mm = Layouts.populated(len);
                arg = PmScanArg.of(start, start + len, 1);
            }
            case "sparse" -> {
                long len = 4L << 30;
                mm = Layouts.sparse(len);
                arg = PmScanArg.of(start, start + len, 2 * (len / Geometry.PMD_SIZE) + 1);
            }
            case "guard" -> {
                long len = 64L << 30;
                int regions = 256;
                mm = Layouts.guarded(len, regions);
                arg = PmScanArg.of(start, start + len, 2L * regions + 1)
                        .withMasks(0, PageCategory.PAGE_IS_GUARD.mask(), 0, PageCategory.PM_SCAN_CATEGORIES);
            }
            default -> throw new IllegalArgumentException("unknown layout " + layout);
        }
    }

    @Benchmark
    public ScanResult scan() {
        return PagemapScan.doPagemapScan(mm, arg, null);
    }
}
