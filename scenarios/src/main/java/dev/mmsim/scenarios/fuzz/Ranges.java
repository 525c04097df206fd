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
        GenState.Region r = g.anyRegion();
        long offset = startOffset(g, r);
        return new Range(r.at(offset), new Size(length(g, r, offset)));
    }

    /** A whole region. */
    static Range whole(GenState.Region r) {
        return new Range(r.at(0), new Size(r.size()));
    }

    /** The length of a new mapping, in bytes. */
    static long mappingSize(GenState g) {
        long size = switch (g.choose(35, 20, 15, 10, 5, 15)) {
            case 0 -> pages(g.between(1, 8));
            case 1 -> pages(g.between(9, 40));
            case 2 -> pages(g.between(510, 514));         // about one PTE table
            case 3 -> TABLE_SPAN;
            case 4 -> pages(g.between(1023, 1026));       // across two table boundaries
            default -> pages(g.between(41, 700));
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
        long length = switch (g.choose(25, 20, 20, 10, 10, 5, 2, 3)) {
            case 0 -> r.size() - offset;                            // to the region's end
            case 1 -> pages(1);
            case 2 -> pages(g.between(2, 8));
            case 3 -> nearBoundary(g, start, TABLE_SPAN) - start;   // to a table boundary
            case 4 -> r.size() - offset + pages(g.between(1, 3));   // past the region's end
            case 5 -> TABLE_SPAN;
            case 6 -> 0;
            default -> 0x800L * g.between(1, 3);                    // unaligned
        };
        return length < 0 ? pages(1) : length;
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
