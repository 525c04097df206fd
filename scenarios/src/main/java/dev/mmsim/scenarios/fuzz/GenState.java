package dev.mmsim.scenarios.fuzz;

import dev.mmsim.core.Geometry;
import dev.mmsim.scenarios.lang.Addr;
import dev.mmsim.scenarios.lang.Stmt;
import dev.mmsim.scenarios.run.Layout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the generator knows while it writes one scenario: its random source, where every mapping
 * landed (a {@link Layout} kept exactly as the interpreter keeps it, so that offsets can aim at
 * 2 MiB and 1 GiB boundaries), the forked children, and the lines written so far. It does not
 * track what the kernel did: a statement on a range that was unmapped meanwhile is as good a test
 * as any.
 */
final class GenState {
    /** The most mappings one scenario creates with {@code mmap}. */
    static final int MAX_MAPPINGS = 4;
    /** The most children one scenario forks. */
    static final int MAX_CHILDREN = 2;

    /**
     * A range the scenario can address: a named mapping ({@code base} is its name, offset 0), or
     * where an mremap moved one ({@code base} is {@code arena}).
     *
     * @param base the name addresses are written from
     * @param offset the range's offset from base
     * @param start its absolute start
     * @param size its length in bytes, page-aligned
     * @param shared MAP_SHARED
     * @param file backed by a file
     */
    record Region(String base, long offset, long start, long size, boolean shared, boolean file) {
        /** The address delta bytes into the region. */
        Addr at(long delta) {
            return new Addr(base, offset + delta);
        }

        long pages() {
            return size / Geometry.PAGE_SIZE;
        }

        Region resized(long newSize) {
            return new Region(base, offset, start, newSize, shared, file);
        }
    }

    final SplittableRandom rng;
    final Layout layout;
    /** The arena, for {@link #copy}. */
    private final long arena;
    final List<Region> regions = new ArrayList<>();
    final List<String> children = new ArrayList<>();
    /** The files and memfds created so far. */
    final List<String> files = new ArrayList<>();
    /** The memfds among them. */
    final List<String> memfds = new ArrayList<>();
    final List<String> lines = new ArrayList<>();
    int mappings;
    /** Whether a range was registered with userfaultfd. */
    boolean uffdRegistered;
    /** A hugetlb mapping was made: no mremap moves from then on (see {@link Moves}). */
    boolean hugetlbMapped;
    /** The children that exited: no statement runs in them afterwards. */
    final List<String> exited = new ArrayList<>();
    /** The children that forked a child of their own (which they relay to): they do not exit. */
    final List<String> parents = new ArrayList<>();
    /** The child the next statements run in, or null for the parent. */
    String child;

    GenState(long seed, long arena) {
        this.rng = new SplittableRandom(seed);
        this.layout = new Layout(arena);
        this.arena = arena;
    }

    private GenState(GenState from, long seed) {
        this.rng = new SplittableRandom(seed);
        this.layout = from.layout.copy();
        this.arena = from.arena;
        regions.addAll(from.regions);
        children.addAll(from.children);
        files.addAll(from.files);
        memfds.addAll(from.memfds);
        lines.addAll(from.lines);
        mappings = from.mappings;
        uffdRegistered = from.uffdRegistered;
        hugetlbMapped = from.hugetlbMapped;
        exited.addAll(from.exited);
        parents.addAll(from.parents);
    }

    /**
     * This state with its own lists and layout, and a random source of its own drawn from seed: a
     * corpus entry's state that a mutation extends (see {@link Guidance}) without changing the entry.
     */
    GenState copy(long seed) {
        return new GenState(this, seed);
    }

    /** Writes a statement, in the current child if there is one. */
    void emit(Stmt stmt) {
        lines.add(child == null ? stmt.render() : child + ": " + stmt.render());
    }

    /** The children that have not exited. */
    List<String> liveChildren() {
        return children.stream().filter(c -> !exited.contains(c)).toList();
    }

    /** The name of the next file or memfd: f0, f1, ... */
    String nextFileName() {
        return "f" + files.size();
    }

    /** The name of the next mapping: A, B, C, ... */
    String nextMappingName() {
        return String.valueOf((char) ('A' + mappings++));
    }

    /** A region chosen uniformly. */
    Region anyRegion() {
        return regions.get(rng.nextInt(regions.size()));
    }

    /** The end of the highest region, as an offset from the arena. */
    long span() {
        long end = layout.arena();
        for (Region r : regions) end = Math.max(end, r.start() + r.size());
        return end - layout.arena();
    }

    /** An index drawn with the given relative weights. */
    int choose(double... weights) {
        double total = 0;
        for (double w : weights) total += w;
        double x = rng.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.length - 1;
    }

    boolean chance(double p) {
        return rng.nextDouble() < p;
    }

    /** A number in [lo, hi]. */
    int between(int lo, int hi) {
        return rng.nextInt(lo, hi + 1);
    }

    /** Pages as bytes. */
    static long pages(long n) {
        return n * Geometry.PAGE_SIZE;
    }
}
