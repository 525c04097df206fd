package dev.mmsim.scenarios.bench;

import dev.mmsim.core.Errno;
import dev.mmsim.core.Geometry;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Semantics;
import dev.mmsim.mm.MadviseOps;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.Mmap;
import dev.mmsim.mm.Mprotect;
import dev.mmsim.mm.VmaMerge;
import dev.mmsim.proc.PagemapScan;
import dev.mmsim.proc.PmScanArg;
import dev.mmsim.proc.ScanResult;

/**
 * The simulator side of the benchmark: one {@link Mm} following the host profile, driven through
 * the same entry points the scenario interpreter uses (do_mmap, do_mprotect_pkey, do_madvise,
 * do_pagemap_scan), timed with {@link System#nanoTime()} around each call or loop. A full
 * collection runs between the warm-up and the timed repetitions, so that no collection of the
 * warm-up's garbage, or of earlier workloads', falls into them.
 */
final class SimTarget implements BenchTarget {
    private final Mm mm;

    SimTarget(HostProfile host) {
        mm = new Mm(Semantics.newest(host));
    }

    @Override
    public void mmap(long addr, long len, int flags) {
        check("mmap", Mmap.doMmap(mm, addr, len, OpMix.PROT, flags | MapFlag.MAP_FIXED, null, 0));
    }

    @Override
    public long populate(long addr, long len, long stride) {
        long t0 = System.nanoTime();
        int rc = 0;
        if (stride == Geometry.PAGE_SIZE) {
            rc = MadviseOps.doMadvise(mm, addr, len, Madvise.POPULATE_WRITE);
        } else {
            for (long a = addr; a < addr + len && rc == 0; a += stride)
                rc = MadviseOps.doMadvise(mm, a, Geometry.PAGE_SIZE, Madvise.POPULATE_WRITE);
        }
        long t1 = System.nanoTime();
        check("populate", rc);
        return t1 - t0;
    }

    @Override
    public void madvise(long addr, long len, Madvise advice) {
        check("madvise " + advice.scenarioName(), MadviseOps.doMadvise(mm, addr, len, advice));
    }

    @Override
    public void munmap(long addr, long len) {
        check("munmap", VmaMerge.doVmiMunmap(mm, addr, len));
    }

    @Override
    public int vmaCount(long lo, long hi) {
        return mm.vmas(lo, hi).size();
    }

    @Override
    public ScanTiming timeScan(PmScanArg arg, int warmup, int reps) {
        for (int i = 0; i < warmup; i++) PagemapScan.doPagemapScan(mm, arg, null);
        System.gc();
        ScanResult last = null;
        long[] nanos = new long[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            last = PagemapScan.doPagemapScan(mm, arg, null);
            nanos[i] = System.nanoTime() - t0;
        }
        check("PAGEMAP_SCAN", last.ret());
        return new ScanTiming(last.ret(), last.walkEnd(), nanos);
    }

    @Override
    public OpsTiming timeOps(long base, long len, long seed, int count, int warmup, int reps) {
        OpMix mix = OpMix.generate(base, len, seed, count);
        int succeeded = 0;
        long[] nanos = new long[reps];
        for (int i = 0; i < warmup + reps; i++) {
            mmap(base, len, OpMix.MAP_FLAGS);
            if (i == warmup) System.gc();
            long t0 = System.nanoTime();
            succeeded = replay(mix);
            long t = System.nanoTime() - t0;
            if (i >= warmup) nanos[i - warmup] = t;
        }
        return new OpsTiming(succeeded, nanos);
    }

    /** Runs every operation of the mix; returns how many returned 0. */
    private int replay(OpMix mix) {
        int ok = 0;
        for (int i = 0; i < mix.size(); i++) {
            int rc = switch (mix.kind(i)) {
                case MMAP -> Mmap.doMmap(mm, mix.addr(i), mix.len(i), OpMix.PROT, OpMix.MAP_FLAGS, null, 0);
                case MPROTECT -> Mprotect.doMprotect(mm, mix.addr(i), mix.len(i), mix.prot(i));
                case MADVISE -> MadviseOps.doMadvise(mm, mix.addr(i), mix.len(i), mix.advice(i));
            };
            if (rc == 0) ok++;
        }
        return ok;
    }

    private static void check(String what, long rc) {
        if (rc < 0) throw new BenchException("sim " + what + " failed with " + Errno.nameOf(rc));
    }

    @Override
    public void close() {
        // nothing to release: the mm is garbage once the target is
    }
}
