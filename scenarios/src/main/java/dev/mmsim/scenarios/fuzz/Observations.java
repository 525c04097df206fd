package dev.mmsim.scenarios.fuzz;

import static dev.mmsim.scenarios.fuzz.GenState.pages;

import dev.mmsim.core.Geometry;
import dev.mmsim.core.PageCategory;
import dev.mmsim.core.ScanFlag;
import dev.mmsim.scenarios.lang.Addr;
import dev.mmsim.scenarios.lang.MapsStmt;
import dev.mmsim.scenarios.lang.PagemapRawStmt;
import dev.mmsim.scenarios.lang.PagemapStmt;
import dev.mmsim.scenarios.lang.ValuesStmt;
import dev.mmsim.scenarios.lang.ScanStmt;
import dev.mmsim.scenarios.lang.Size;
import dev.mmsim.scenarios.lang.SmapsStmt;

/**
 * Writes the observations: PAGEMAP_SCAN with every option of struct pm_scan_arg (argument errors
 * included), pagemap reads, smaps and maps. Every scenario ends with {@link #finalLook}, so that a
 * difference in the state left behind shows even when no earlier observation looked there.
 */
final class Observations {
    /** The categories a scan mask or return mask draws from. */
    private static final PageCategory[] CATEGORIES = PageCategory.values();
    /** pagemap_raw reads stop being useful past this many bytes. */
    private static final int MAX_RAW_WORDS = 8;

    private Observations() {}

    /** {@code [trace] scan}: over a region, a range, or everything mapped, with random options. */
    static void scan(GenState g, boolean trace) {
        Ranges.Range r = switch (g.choose(50, 25, 25)) {
            case 0 -> Ranges.whole(g.anyRegion());
            case 1 -> Ranges.observed(g);
            default -> new Ranges.Range(new Addr(Addr.ARENA, 0), new Size(g.span()));
        };
        long flags = g.chance(0.03) ? ScanFlag.PM_SCAN_WP_MATCHING : g.chance(0.02) ? ScanFlag.PM_SCAN_CHECK_WPASYNC : 0;
        boolean filter = g.chance(0.25);
        long mask = filter && g.chance(0.6) ? categories(g) : 0;
        long anyof = filter && g.chance(0.6) ? categories(g) : 0;
        long inverted = filter && g.chance(0.3) ? (mask | anyof) & categories(g) : 0;
        long returnMask = g.chance(0.6) ? PageCategory.PM_SCAN_CATEGORIES : categories(g);
        boolean vecNull = g.chance(0.01);   // a NULL vec keeps the default vec_len
        long vec = vecNull ? ScanStmt.DEFAULT_VEC
                : g.chance(0.15) ? g.between(1, 4) : g.chance(0.05) ? 0 : ScanStmt.DEFAULT_VEC;
        long max = g.chance(0.1) ? g.between(1, 5) : 0;
        Long rawSize = g.chance(0.01) ? (long) (g.between(0, 1) == 0 ? 88 : 104) : null;
        Addr rawStart = g.chance(0.01) ? new Addr(r.addr().base(), r.addr().offset() + 0x10) : null;
        Addr rawEnd = g.chance(0.01) ? rawEnd(g, r) : null;
        g.emit(new ScanStmt(r.addr(), r.size(), flags, inverted, mask, anyof, returnMask, vec, vecNull, max,
                rawSize, rawStart, rawEnd, trace));
    }

    /** An end before the start, past TASK_SIZE, or unaligned (rounded up by the kernel). */
    private static Addr rawEnd(GenState g, Ranges.Range r) {
        return switch (g.choose(1, 1, 1)) {
            case 0 -> new Addr(r.addr().base(), r.addr().offset() - Geometry.PAGE_SIZE);
            case 1 -> new Addr(null, Geometry.TASK_SIZE + Geometry.PAGE_SIZE);
            default -> new Addr(r.addr().base(), r.addr().offset() + r.size().bytes() - 0x10);
        };
    }

    /** One to three categories; guard, present and written more often than the rest. */
    private static long categories(GenState g) {
        long mask = 0;
        for (int n = g.between(1, 3); n > 0; n--) {
            mask |= g.chance(0.5)
                    ? new PageCategory[] {PageCategory.PAGE_IS_GUARD, PageCategory.PAGE_IS_PRESENT,
                            PageCategory.PAGE_IS_WRITTEN}[g.between(0, 2)].mask()
                    : CATEGORIES[g.rng.nextInt(CATEGORIES.length)].mask();
        }
        return mask;
    }

    static void pagemap(GenState g) {
        GenState.Region region = g.anyRegion();
        Ranges.Range r = g.chance(0.6) ? Ranges.whole(region) : Ranges.observed(g);
        // one line per run of pages alike, but a walk of every page: a part of a PUD-sized region
        g.emit(new PagemapStmt(r.addr(), new Size(Ranges.touchable(region, r.size().bytes()))));
    }

    /**
     * {@code pagemap_raw}: a few words at the offset that describes a page of some region (now and
     * then an unaligned offset or count, or an offset past TASK_SIZE). Offsets are absolute, so the
     * reads stay inside the arena and never show the agent's own memory.
     */
    static void pagemapRaw(GenState g) {
        GenState.Region r = g.anyRegion();
        long page = (r.start() >>> Geometry.PAGE_SHIFT) + g.between(-1, (int) r.pages());
        long offset = g.chance(0.03) ? (Geometry.TASK_SIZE >>> Geometry.PAGE_SHIFT) * 8 + 8 : page * 8;
        if (g.chance(0.05)) offset += 4;
        long count = g.chance(0.05) ? 7 : 8L * g.between(1, MAX_RAW_WORDS);
        g.emit(new PagemapRawStmt(offset, count));
    }

    /** {@code values}: a whole region, or pages in and around one. */
    static void values(GenState g) {
        GenState.Region r = g.anyRegion();
        if (g.chance(0.6)) {
            g.emit(new ValuesStmt(r.at(0), new Size(r.size())));
            return;
        }
        long offset = Ranges.startOffset(g, r) & Geometry.PAGE_MASK;
        g.emit(new ValuesStmt(r.at(offset), new Size(Math.max(Geometry.PAGE_SIZE, Ranges.length(g, r, offset)))));
    }

    /** {@code status}: the memory lines of /proc/pid/status, in the scenario's own process. */
    static void status(GenState g) {
        g.emit(new dev.mmsim.scenarios.lang.StatusStmt());
    }

    static void smaps(GenState g) {
        Ranges.Range r = g.chance(0.4) ? Ranges.observed(g) : null;
        g.emit(r == null ? new SmapsStmt(null, null) : new SmapsStmt(r.addr(), r.size()));
    }

    static void maps(GenState g) {
        Ranges.Range r = g.chance(0.4) ? Ranges.observed(g) : null;
        g.emit(r == null ? new MapsStmt(null, null) : new MapsStmt(r.addr(), r.size()));
    }

    /** The last look at the state: smaps of the arena and one scan over everything mapped. */
    static void finalLook(GenState g) {
        g.emit(new SmapsStmt(null, null));
        g.emit(new ScanStmt(new Addr(Addr.ARENA, 0), new Size(Math.max(pages(1), g.span())), 0, 0, 0, 0,
                PageCategory.PM_SCAN_CATEGORIES, ScanStmt.DEFAULT_VEC, false, 0, null, null, null, false));
    }
}
