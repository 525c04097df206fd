package dev.mmsim.scenarios.bench;

import dev.mmsim.core.Geometry;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;

/**
 * The operation mix of the throughput benchmark: a seeded sequence of mmap, mprotect and madvise
 * calls on small ranges inside one region. The agent's {@code time_ops} command generates the
 * same sequence from the same seed (the algorithm is specified in PROTOCOL.md, "time_ops"), so
 * the simulator and the kernel execute identical calls.
 *
 * <p>Each operation takes one splitmix64 output {@code r}: bits 0-1 choose the call (0 mmap,
 * 1 mprotect, 2 and 3 madvise), bits 2-5 the length (1 to 16 pages), bits 8-47 the first page
 * (modulo the region's pages minus the length, so the region's last page is never touched and a
 * VMA always lies above the range), and bits 61-63 the protection or the advice.
 */
public final class OpMix {
    /** The call an operation makes. */
    public enum Kind { MMAP, MPROTECT, MADVISE }

    /** The eight advices bits 61-63 select, in that order. */
    static final Madvise[] ADVICES = {Madvise.DONTNEED, Madvise.RANDOM, Madvise.NORMAL, Madvise.SEQUENTIAL,
        Madvise.DONTFORK, Madvise.DOFORK, Madvise.GUARD_INSTALL, Madvise.GUARD_REMOVE};

    /** Protection, MAP_* flags of the region reset and of each mmap in the mix. */
    public static final int PROT = Prot.PROT_READ | Prot.PROT_WRITE;
    public static final int MAP_FLAGS = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED
            | MapFlag.MAP_NORESERVE;

    private final Kind[] kind;
    private final long[] addr;
    private final long[] len;
    private final int[] prot;
    private final Madvise[] advice;

    private OpMix(int count) {
        kind = new Kind[count];
        addr = new long[count];
        len = new long[count];
        prot = new int[count];
        advice = new Madvise[count];
    }

    /**
     * Generates count operations on [base, base + regionLen).
     *
     * @throws IllegalArgumentException when the region is not page-aligned or has fewer than 32 pages
     */
    public static OpMix generate(long base, long regionLen, long seed, int count) {
        long pages = regionLen >>> Geometry.PAGE_SHIFT;
        if (!Geometry.pageAligned(base) || !Geometry.pageAligned(regionLen) || pages < 32)
            throw new IllegalArgumentException("the op-mix region must be page-aligned and at least 32 pages");
        OpMix mix = new OpMix(count);
        long state = seed;
        for (int i = 0; i < count; i++) {
            state += 0x9e3779b97f4a7c15L;
            long r = splitmix64Finish(state);
            long npages = 1 + ((r >>> 2) & 15);
            long page = Long.remainderUnsigned((r >>> 8) & ((1L << 40) - 1), pages - npages);
            int sel = (int) (r >>> 61);
            mix.addr[i] = base + (page << Geometry.PAGE_SHIFT);
            mix.len[i] = npages << Geometry.PAGE_SHIFT;
            switch ((int) (r & 3)) {
                case 0 -> mix.kind[i] = Kind.MMAP;
                case 1 -> {
                    mix.kind[i] = Kind.MPROTECT;
                    mix.prot[i] = (sel & 1) != 0 ? Prot.PROT_READ : Prot.PROT_READ | Prot.PROT_WRITE;
                }
                default -> {
                    mix.kind[i] = Kind.MADVISE;
                    mix.advice[i] = ADVICES[sel];
                }
            }
        }
        return mix;
    }

    /** The output function of splitmix64 applied to the advanced state. */
    private static long splitmix64Finish(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public int size() {
        return kind.length;
    }

    public Kind kind(int i) {
        return kind[i];
    }

    public long addr(int i) {
        return addr[i];
    }

    public long len(int i) {
        return len[i];
    }

    /** The new protection of an mprotect. */
    public int prot(int i) {
        return prot[i];
    }

    /** The advice of an madvise. */
    public Madvise advice(int i) {
        return advice[i];
    }
}
