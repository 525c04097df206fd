package dev.mmsim.scenarios.bench;

import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.proc.PmScanArg;
import dev.mmsim.scenarios.run.Agent;

import java.util.Arrays;
import java.util.List;

/**
 * The kernel side of the benchmark: one agent process whose own address space holds the layouts.
 * Timed work runs inside the agent ({@code populate}, {@code time_scan}, {@code time_ops}, see
 * PROTOCOL.md), which measures it with clock_gettime(CLOCK_MONOTONIC) around the system calls
 * and reports nanoseconds; the pipe and the Java side are outside every measurement.
 */
final class AgentTarget implements BenchTarget {
    private final Agent agent;

    AgentTarget(Agent agent) {
        this.agent = agent;
    }

    /** Sends one command and returns the fields of its "ok" status line after "ok". */
    private String[] call(String what, String command) {
        List<String> reply = agent.call(command);
        String status = reply.get(0);
        if (!status.equals("ok") && !status.startsWith("ok "))
            throw new BenchException("kernel " + what + " failed: " + status);
        String[] fields = status.split(" ");
        return Arrays.copyOfRange(fields, 1, fields.length);
    }

    @Override
    public void mmap(long addr, long len, int flags) {
        call("mmap", String.format("mmap 0x%x %d %d 0x%x -1 0", addr, len, OpMix.PROT, flags | MapFlag.MAP_FIXED));
    }

    @Override
    public long populate(long addr, long len, long stride) {
        return Long.parseLong(call("populate", String.format("populate 0x%x %d %d", addr, len, stride))[0]);
    }

    @Override
    public void madvise(long addr, long len, Madvise advice) {
        call("madvise " + advice.scenarioName(), String.format("madvise 0x%x %d %d", addr, len, advice.value));
    }

    @Override
    public void munmap(long addr, long len) {
        call("munmap", String.format("munmap 0x%x %d", addr, len));
    }

    @Override
    public int vmaCount(long lo, long hi) {
        List<String> reply = agent.call(String.format("smaps 0x%x 0x%x", lo, hi));
        if (!reply.get(0).startsWith("ok ")) throw new BenchException("kernel smaps failed: " + reply.get(0));
        return (int) reply.stream().filter(l -> l.startsWith("VmFlags:")).count();
    }

    @Override
    public ScanTiming timeScan(PmScanArg a, int warmup, int reps) {
        String[] f = call("PAGEMAP_SCAN", String.format("time_scan %d %d 0x%x 0x%x %d %d %d %d %d %d %d", warmup, reps,
                a.start(), a.end(), a.flags(), a.categoryMask(), a.categoryInverted(), a.categoryAnyofMask(),
                a.returnMask(), a.vecLen(), a.maxPages()));
        return new ScanTiming(Long.parseLong(f[0]), Long.decode(f[1]), nanos(f, 2));
    }

    @Override
    public OpsTiming timeOps(long base, long len, long seed, int count, int warmup, int reps) {
        String[] f = call("op mix", String.format("time_ops %d %d 0x%x %d %s %d", warmup, reps, base, len,
                Long.toUnsignedString(seed), count));
        return new OpsTiming(Integer.parseInt(f[0]), nanos(f, 1));
    }

    private static long[] nanos(String[] fields, int from) {
        return Arrays.stream(fields, from, fields.length).mapToLong(Long::parseLong).toArray();
    }

    @Override
    public void close() {
        agent.close();
    }
}
