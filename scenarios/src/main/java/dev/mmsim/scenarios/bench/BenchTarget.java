package dev.mmsim.scenarios.bench;

import dev.mmsim.core.Madvise;
import dev.mmsim.proc.PmScanArg;

/**
 * Where a benchmark runs: the simulator ({@link SimTarget}) or the host's kernel through the agent
 * ({@link AgentTarget}). {@link Bench} builds every layout through these calls, so both sides get
 * the same mappings, the same populated pages and the same guard regions by construction. Set-up
 * calls that fail throw {@link BenchException}; timed calls measure only the work itself, never
 * the pipe to the agent.
 */
interface BenchTarget extends AutoCloseable {
    /** mmap(addr, len, PROT_READ | PROT_WRITE, flags | MAP_FIXED) of anonymous memory. */
    void mmap(long addr, long len, int flags);

    /**
     * MADV_POPULATE_WRITE on the first page of every stride bytes of [addr, addr + len), one call
     * over the whole range when stride is a page. Returns the nanoseconds it took.
     */
    long populate(long addr, long len, long stride);

    void madvise(long addr, long len, Madvise advice);

    void munmap(long addr, long len);

    /** The number of VMAs overlapping [lo, hi). */
    int vmaCount(long lo, long hi);

    /** Runs the PAGEMAP_SCAN warmup times untimed, then reps times timed. */
    ScanTiming timeScan(PmScanArg arg, int warmup, int reps);

    /**
     * Runs the op mix warmup + reps times, each time after resetting [base, base + len) to one
     * fresh mapping (untimed), timing the reps.
     */
    OpsTiming timeOps(long base, long len, long seed, int count, int warmup, int reps);

    @Override
    void close();

    /** What the scan returned (the same on every repetition) and how long each repetition took. */
    record ScanTiming(long ret, long walkEnd, long[] nanos) {}

    /** How many operations of the mix returned 0, and how long each repetition of the mix took. */
    record OpsTiming(int succeeded, long[] nanos) {}

    /** A set-up step failed: the layout could not be built. */
    final class BenchException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BenchException(String message) {
            super(message);
        }
    }
}
