package dev.mmsim.scenarios.run;

/**
 * The memory cap both backends share. The kernel backend's worker runs in a memory cgroup limited
 * to 3 GiB (where the host has a memory controller, agent.h's MEMORY_CAP), so that a scenario can
 * never bring the host's OOM killer; a scenario that could populate more than {@link #CAP} is
 * refused at that statement, on both backends alike, before it could get there.
 *
 * <p>What a scenario may have populated is bounded from above without running it: the bytes of
 * its files (page cache), plus the smaller of two bounds on its anonymous and mapped pages, what
 * it ever mapped, and the ranges of every statement that fills pages (read, write, mlock,
 * MAP_POPULATE and MAP_LOCKED, madvise populate and collapse, an mremap that grows), each counted
 * with {@link #THP_SLACK} for the huge pages a touch may bring in at its two ends. Unmapping gives
 * nothing back: the bound only grows.
 */
final class MemoryBudget {
    /** The most a scenario may populate: 2 GiB, well under the kernel backend's 3 GiB cgroup limit. */
    static final long CAP = 2L << 30;
    /** Two 2 MiB huge pages: what THP can add around a touched range. */
    static final long THP_SLACK = 4L << 20;

    private long files;
    private long mapped;
    private long filled;

    void file(long bytes) {
        files = saturatingAdd(files, bytes);
        check("file", 0);
    }

    void map(long bytes) {
        mapped = saturatingAdd(mapped, bytes);
    }

    /** A statement that fills {@code bytes} of memory; refused if the bound passes the cap. */
    void populate(String what, long bytes) {
        check(what, bytes == 0 ? 0 : saturatingAdd(bytes, THP_SLACK));
    }

    private void check(String what, long more) {
        long nextFilled = saturatingAdd(filled, more);
        long bound = saturatingAdd(files, Long.compareUnsigned(nextFilled, mapped) < 0 ? nextFilled : mapped);
        if (Long.compareUnsigned(bound, CAP) > 0)
            throw new Interpreter.Refused(what + " could populate more than " + (CAP >> 30) + " GiB in this scenario"
                    + " (its files, and what it mapped or filled), past the kernel backend's memory cap: refused on both backends");
        filled = nextFilled;
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return Long.compareUnsigned(r, a) < 0 ? -1L : r;
    }
}
