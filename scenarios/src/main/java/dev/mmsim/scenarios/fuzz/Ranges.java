package dev.mmsim.scenarios.fuzz;

import static dev.mmsim.scenarios.fuzz.GenState.pages;

import dev.mmsim.core.Geometry;
import dev.mmsim.scenarios.lang.Addr;
import dev.mmsim.scenarios.lang.Size;

/**
 * Sizes and addresses biased toward the places where page-walk code has its edge cases: the first
 * and last page of a VMA and just outside it, the 2 MiB boundaries where one PTE table ends and the
 * next begins, mappings of about one table (510 to 514 pages) or spanning two boundaries, and now
 * and then an unaligned address or length for the argument checks.
 */
final class Ranges {
    /** One PTE table maps this much: PMD_SIZE. */
    static final long TABLE_SPAN = Geometry.PMD_SIZE;
    /** One PMD table maps this much: PUD_SIZE. */
    static final long PMD_TABLE_SPAN = Geometry.PUD_SIZE;

    /** A region at least this long is big (a PUD-sized one): accesses to it touch a part of it only. */
    static final long BIG = 64L << 20;
    /** The most an access, a populating advice or an mlock touches of a big region. */
    static final long MAX_TOUCH = 2 * TABLE_SPAN;

    private Ranges() {}

    /**
     * A range to operate on.
     *
     * @param addr where it starts
     * @param size its length
     */
    record Range(Addr addr, Size size) {}

    /** A range in or around one of the scenario's regions. */
    static Range range(GenState g) {
        return range(g, g.anyRegion());
    }

    /** A range in or around region r. */
    static Range range(GenState g, GenState.Region r) {
        long offset = startOffset(g, r);
        return new Range(r.at(offset), new Size(length(g, r, offset)));
    }

    /**
     * A range to read /proc about (smaps, maps, pagemap): as {@link #range}, but a huge length is
     * cut to the region's end. Past the arena they would show the kernel backend's own mappings.
     */
    static Range observed(GenState g) {
        GenState.Region r = g.anyRegion();
        Range range = range(g, r);
        return Long.compareUnsigned(range.size().bytes(), BIG + r.size()) > 0 ? whole(r) : range;
    }

    /** A whole region. */
    static Range whole(GenState.Region r) {
        return new Range(r.at(0), new Size(r.size()));
    }

    /** The length of a new mapping, in bytes. */
    static long mappingSize(GenState g) {
        long size = switch (g.choose(35, 20, 15, 10, 5, 15, 2)) {
            case 0 -> pages(g.between(1, 8));
            case 1 -> pages(g.between(9, 40));
            case 2 -> pages(g.between(510, 514));         // about one PTE table
            case 3 -> TABLE_SPAN;
            case 4 -> pages(g.between(1023, 1026));       // across two table boundaries
            case 5 -> pages(g.between(41, 700));
            default -> PMD_TABLE_SPAN + pages(g.between(-1, 1));   // about one PMD table: PUD-sized
        };
        return g.chance(0.03) ? size - Geometry.PAGE_SIZE + 0x10 : size;   // the kernel rounds up
    }

    /** Where in (or just outside) region r a range starts, as an offset from its start. */
    static long startOffset(GenState g, GenState.Region r) {
        return switch (g.choose(30, 25, 10, 15, 5, 2)) {
            case 0 -> 0;
            case 1 -> randomPage(g, r);
            case 2 -> r.size() - pages(g.between(1, 2));            // the last pages
            case 3 -> nearBoundary(g, r.start(), TABLE_SPAN) - r.start();
            case 4 -> g.chance(0.5) ? -pages(1) : r.size();         // just outside
            default -> randomPage(g, r) + 0x10;                     // unaligned
        };
    }

    /** How long a range starting offset bytes into region r is. */
    static long length(GenState g, GenState.Region r, long offset) {
        long start = r.start() + offset;
        long length = switch (g.choose(25, 20, 20, 10, 10, 5, 2, 3, 2)) {
            case 0 -> r.size() - offset;                            // to the region's end
            case 1 -> pages(1);
            case 2 -> pages(g.between(2, 8));
            case 3 -> nearBoundary(g, start, TABLE_SPAN) - start;   // to a table boundary
            case 4 -> r.size() - offset + pages(g.between(1, 3));   // past the region's end
            case 5 -> TABLE_SPAN;
            case 6 -> 0;
            case 7 -> 0x800L * g.between(1, 3);                     // unaligned
            default -> hugeLength(g, start);
        };
        return length < 0 ? pages(1) : length;
    }

    /**
     * A length at the edge of the address space: to TASK_SIZE_MAX exactly or a page past it, 2^47,
     * the largest page multiple below 2^63, or 2^63-1 (unaligned, which the kernel rounds up to
     * an overflow). The interpreter's confinement refuses, on both backends, whatever would reach
     * past the arena's zone (the agent's own memory).
     */
    static long hugeLength(GenState g, long start) {
        long toTop = Geometry.TASK_SIZE - start;
        return switch (g.choose(1, 1, 1, 1, 1)) {
            case 0 -> toTop > 0 ? toTop : Geometry.PAGE_SIZE;
            case 1 -> toTop > 0 ? toTop + Geometry.PAGE_SIZE : Geometry.PAGE_SIZE;
            case 2 -> 1L << 47;
            case 3 -> Long.MAX_VALUE & ~(Geometry.PAGE_SIZE - 1);
            default -> Long.MAX_VALUE;
        };
    }

    /**
     * A size for a tweaked statement ({@link Tweak}): zero, a page, unaligned, a PTE table's span
     * or a page either side, a PMD table's (PUD_SIZE) or a page either side, or huge.
     */
    static long boundarySize(GenState g) {
        return switch (g.choose(2, 2, 1, 2, 1, 1, 2, 1, 1, 2)) {
            case 0 -> 0;
            case 1 -> Geometry.PAGE_SIZE;
            case 2 -> 0x10;
            case 3 -> TABLE_SPAN;
            case 4 -> TABLE_SPAN - Geometry.PAGE_SIZE;
            case 5 -> TABLE_SPAN + Geometry.PAGE_SIZE;
            case 6 -> PMD_TABLE_SPAN;
            case 7 -> PMD_TABLE_SPAN - Geometry.PAGE_SIZE;
            case 8 -> PMD_TABLE_SPAN + Geometry.PAGE_SIZE;
            default -> hugeLength(g, g.layout.arena());
        };
    }

    /**
     * An offset into a region of the given start and size for a tweaked address: its start, a page
     * before it, its last page, its end, the next PMD or PUD boundary (or a page before it), or
     * unaligned.
     */
    static long boundaryOffset(GenState g, long start, long size) {
        return switch (g.choose(2, 1, 1, 1, 2, 1, 1, 1)) {
            case 0 -> 0;
            case 1 -> -Geometry.PAGE_SIZE;
            case 2 -> Math.max(0, size - Geometry.PAGE_SIZE);
            case 3 -> size;
            case 4 -> (Math.floorDiv(start, TABLE_SPAN) + 1) * TABLE_SPAN - start;
            case 5 -> (Math.floorDiv(start, TABLE_SPAN) + 1) * TABLE_SPAN - start - Geometry.PAGE_SIZE;
            case 6 -> (Math.floorDiv(start, PMD_TABLE_SPAN) + 1) * PMD_TABLE_SPAN - start;
            default -> 0x10;
        };
    }

    /**
     * A length an access, a populating advice or mlock may touch of region r: a part of a big
     * region, and never a huge length (it would fault in whatever lies past the region).
     */
    static long touchable(GenState.Region r, long length) {
        boolean big = r.size() >= BIG || Long.compareUnsigned(length, BIG) >= 0;
        return big && Long.compareUnsigned(length, MAX_TOUCH) > 0 ? MAX_TOUCH : length;
    }

    /** The first multiple of unit above addr, or a page either side of it. */
    static long nearBoundary(GenState g, long addr, long unit) {
        long boundary = (Math.floorDiv(addr, unit) + 1) * unit;
        return boundary + pages(g.between(-1, 1));
    }

    private static long randomPage(GenState g, GenState.Region r) {
        return pages(g.rng.nextLong(Math.max(1, r.pages())));
    }
}
