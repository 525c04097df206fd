package dev.mmsim.scenarios.picture;

import static dev.mmsim.core.Geometry.*;

import dev.mmsim.scenarios.picture.Snapshot.*;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws the page-table tree of one {@link Snapshot} as SVG: one row per PMD slot (or summarised
 * run of slots), columns for the PGD, PUD and PMD entries and the PTE table's 512 entries drawn as
 * runs, and the walk of the statement's scan drawn on the cells it visited, numbered in order.
 * A PGD or PUD entry spans the rows below it, as a tree drawn sideways.
 */
final class TreeSvg {
    static final int WIDTH = 1200;
    static final int X_PGD = 6, W_PGD = 112;
    static final int X_PUD = 124, W_PUD = 112;
    static final int X_PMD = 242, W_PMD = 176;
    static final int X_PTE = 424, W_PTE = PTRS_PER_TABLE;
    static final int X_WALK = 944, W_WALK = WIDTH - X_WALK - 4;
    static final int TOP = 24, ROW = 40, GAP = 18;

    private TreeSvg() {}

    static String draw(Snapshot s) {
        List<Row> rows = s.rows();
        double[] y = new double[rows.size() + 1];
        y[0] = TOP;
        for (int i = 0; i < rows.size(); i++) y[i + 1] = y[i] + (rows.get(i) instanceof Gap ? GAP : ROW);
        double height = y[rows.size()] + 6;
        Svg g = new Svg();
        g.raw("<svg class=\"tree\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + Svg.n(height)
                + "\" viewBox=\"0 0 " + WIDTH + " " + Svg.n(height) + "\" role=\"img\" aria-label=\"page-table tree\">");
        g.label(X_PGD, 14, "col", "PGD entry");
        g.label(X_PUD, 14, "col", "PUD entry");
        g.label(X_PMD, 14, "col", "PMD entry (2 MiB)");
        g.label(X_PTE, 14, "col", "PTE table: 512 entries, drawn as runs");
        g.label(X_WALK, 14, "col", s.scan() == null ? "walk (no scan here)" : "walk: callbacks in order");
        if (rows.isEmpty()) {
            g.label(X_PGD, TOP + 16, "note", "nothing mapped, no page table in the arena");
        }
        upper(g, rows, y, true);
        upper(g, rows, y, false);
        for (int i = 0; i < rows.size(); i++) {
            row(g, rows.get(i), y[i], s);
            if (s.changed().contains(rows.get(i).start()) && !(rows.get(i) instanceof Gap)) {
                g.raw("<g class=\"row-changed\" data-start=\"" + hex(rows.get(i).start()) + "\">");
                g.rect(X_PMD, y[i] + 3, 5, ROW - 6, "changed-mark", "changed by this statement: a table allocated or"
                        + " freed, a leaf mapped or split, or entries changed");
                g.label(X_PMD + W_PMD - 44, y[i] + 31, "badge", "changed");
                g.raw("</g>");
            }
        }
        if (s.scan() != null) walk(g, s.scan(), rows, y);
        return g.raw("</svg>").toString();
    }

    /** The PGD (or PUD) entries: one box per run of rows under the same entry. */
    private static void upper(Svg g, List<Row> rows, double[] y, boolean pgdLevel) {
        int i = 0;
        while (i < rows.size()) {
            Row r = rows.get(i);
            int[] key = key(r);
            if (key == null || (r instanceof Hole h && (h.depth() == 0 || (!pgdLevel && h.depth() == 2)))) {
                i++;
                continue;
            }
            int j = i + 1;
            while (j < rows.size()) {
                Row n = rows.get(j);
                int[] k = key(n);
                if (k == null || k[0] != key[0] || (!pgdLevel && k[1] != key[1])) break;
                if (n instanceof Hole h && (h.depth() == 0 || (!pgdLevel && h.depth() == 2))) break;
                j++;
            }
            double x = pgdLevel ? X_PGD : X_PUD;
            double w = pgdLevel ? W_PGD : W_PUD;
            String name = pgdLevel ? "pgd[" + key[0] + "]" : "pud[" + key[1] + "]";
            String next = pgdLevel ? "PUD table" : "PMD table";
            g.raw("<g class=\"entry " + (pgdLevel ? "pgd" : "pud") + "\" data-index=\"" + key[pgdLevel ? 0 : 1] + "\">");
            g.rect(x, y[i] + 2, w, y[j] - y[i] - 4, "upper", name + " points to a " + next);
            g.label(x + 6, y[i] + 16, "mono", name);
            g.label(x + 6, y[i] + 30, "small", "\u2192 " + next);
            g.raw("</g>");
            i = j;
        }
    }

    private static int[] key(Row r) {
        return switch (r) {
            case Table t -> new int[] {t.pgd(), t.pud()};
            case Leaf l -> new int[] {l.pgd(), l.pud()};
            case Hole h -> new int[] {h.pgd(), h.pud()};
            default -> null;
        };
    }

    private static void row(Svg g, Row r, double y, Snapshot s) {
        String range = s.name(r.start()) + ".." + s.name(r.end());
        switch (r) {
            case Gap gap -> {
                g.raw("<g class=\"row gap\">");
                g.label(X_PMD, y + 13, "note", "\u22ef " + size(r.end() - r.start()) + " not drawn (nothing mapped) \u22ef");
                g.raw("</g>");
            }
            case More m -> {
                g.raw("<g class=\"row more\">");
                g.label(X_PMD, y + 22, "note", "\u22ef " + m.rows() + " more rows up to " + s.name(m.end())
                        + " not drawn (summary: see the scan and smaps) \u22ef");
                g.raw("</g>");
            }
            case Hole h -> {
                g.raw("<g class=\"row hole depth-" + h.depth() + "\" data-start=\"" + hex(h.start()) + "\" data-depth=\""
                        + h.depth() + "\">");
                double x = h.depth() == 0 ? X_PGD : h.depth() == 2 ? X_PUD : X_PMD;
                double w = h.depth() == 0 ? W_PGD : h.depth() == 2 ? W_PUD : W_PMD;
                String entry = h.depth() == 0 ? "pgd[" + h.pgd() + "]" : h.depth() == 2 ? "pud[" + h.pud() + "]"
                        : "pmd[" + h.pmd() + "]";
                String missing = h.depth() == 0 ? "PUD" : h.depth() == 2 ? "PMD" : "PTE";
                long slots = (r.end() - r.start()) / PMD_SIZE;
                g.rect(x, y + 3, w, ROW - 6, "hole", "hole at depth " + h.depth() + ": " + entry + " is none, no "
                        + missing + " table for " + range);
                g.label(x + 6, y + 17, "mono", entry + (slots > 1 && h.depth() == 3 ? " \u00d7" + slots : "") + " none");
                g.label(x + 6, y + 31, "small", "hole, depth " + h.depth());
                g.label(X_PTE + 4, y + 17, "note", "no " + missing + " table: " + size(r.end() - r.start()) + " without entries");
                g.label(X_PTE + 4, y + 31, "small addr", range);
                g.raw("</g>");
            }
            case Leaf l -> {
                g.raw("<g class=\"row leaf " + l.kind().css + "\" data-start=\"" + hex(l.start()) + "\">");
                g.rect(X_PMD, y + 3, W_PMD, ROW - 6, "pmd-leaf", "pmd[" + l.pmd() + "]: " + l.kind().meaning);
                g.label(X_PMD + 6, y + 17, "mono", "pmd[" + l.pmd() + "]" + (l.repeat() > 1 ? " \u00d7" + l.repeat() : "") + " leaf");
                g.label(X_PMD + 6, y + 31, "small addr", range);
                g.rect(X_PTE, y + 5, W_PTE, 20, "leaf " + l.kind().css, l.kind().meaning + " (" + range + ")");
                g.label(X_PTE + 6, y + 19, "on-dark", l.kind().meaning + (l.repeat() > 1 ? ", \u00d7" + l.repeat() : ""));
                g.label(X_PTE, y + 36, "small", "no PTE table below a leaf");
                g.raw("</g>");
            }
            case Table t -> {
                g.raw("<g class=\"row table\" data-start=\"" + hex(t.start()) + "\" data-repeat=\"" + t.repeat() + "\">");
                g.rect(X_PMD, y + 3, W_PMD, ROW - 6, "pmd-table", "pmd[" + t.pmd() + "] points to a PTE table");
                g.label(X_PMD + 6, y + 17, "mono", "pmd[" + t.pmd() + "]" + (t.repeat() > 1 ? " \u00d7" + t.repeat() : "")
                        + " \u2192 PTE table");
                g.label(X_PMD + 6, y + 31, "small addr", range);
                // one pixel per entry; a run is at least 3 px wide, drawn over its neighbours, so
                // that one present page among 511 empty ones (or two empty among present) shows;
                // a table of many short runs is summarised in bins of BIN entries
                List<Run> order = new ArrayList<>(t.runs().size() > MAX_RUNS ? binned(t.runs()) : t.runs());
                order.sort((x, z) -> Boolean.compare(x.count() < 3, z.count() < 3));
                for (Run run : order) {
                    int w = Math.max(3, run.count());
                    double x = Math.min(X_PTE + run.from(), X_PTE + W_PTE - w);
                    g.rect(x, y + 5, w, 20, "pte " + (run.kind() == null ? "mixed" : run.kind().css),
                            "pte[" + run.from() + ".." + (run.from() + run.count()) + "): " + (run.kind() == null
                                    ? "mixed: " + counts(runsIn(t.runs(), run.from(), run.from() + run.count()))
                                    : run.count() + " \u00d7 " + run.kind().meaning));
                }
                g.rect(X_PTE, y + 5, W_PTE, 20, "frame", null);
                g.label(X_PTE, y + 36, "small", counts(t.runs()) + (t.repeat() > 1 ? " in each of " + t.repeat() + " tables" : ""));
                g.raw("</g>");
            }
        }
    }

    /** Drawn as they are up to this many runs per table; beyond, in bins of {@link #BIN} entries. */
    static final int MAX_RUNS = 48;
    static final int BIN = 16;

    /** The runs of a table summarised in bins: a bin of one kind keeps it, a mixed bin has kind null. */
    static List<Run> binned(List<Run> runs) {
        List<Run> out = new ArrayList<>();
        for (int from = 0; from < W_PTE; from += BIN) {
            List<Run> in = runsIn(runs, from, from + BIN);
            EntryKind kind = in.size() == 1 ? in.get(0).kind() : null;
            Run last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (kind != null && last != null && last.kind() == kind) {
                out.set(out.size() - 1, new Run(kind, last.from(), last.count() + BIN));
            } else {
                out.add(new Run(kind, from, BIN));
            }
        }
        return out;
    }

    /** The parts of the runs inside entries [from, to). */
    static List<Run> runsIn(List<Run> runs, int from, int to) {
        List<Run> out = new ArrayList<>();
        for (Run r : runs) {
            int a = Math.max(from, r.from()), b = Math.min(to, r.from() + r.count());
            if (a < b) out.add(new Run(r.kind(), a, b - a));
        }
        return out;
    }

    /** {@code 3 present, 509 none}: the totals of each kind, most first. */
    static String counts(List<Run> runs) {
        long[] n = new long[EntryKind.values().length];
        for (Run r : runs) n[r.kind().ordinal()] += r.count();
        List<String> parts = new ArrayList<>();
        for (EntryKind k : EntryKind.values()) if (n[k.ordinal()] > 0) parts.add(n[k.ordinal()] + " " + k.css);
        return String.join(", ", parts);
    }

    /** The walk: each callback outlines the cells it ran on and is named, numbered, in the walk column. */
    private static void walk(Svg g, Scan scan, List<Row> rows, double[] y) {
        List<List<String>> notes = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) notes.add(new ArrayList<>());
        g.raw("<g class=\"walk\">");
        int drawn = 0;
        for (Snapshot.Step st : scan.walk()) {
            if (++drawn > MAX_CALLBACKS) {
                g.label(X_WALK + 2, TOP - 2, "small walk-note", (scan.walk().size() - MAX_CALLBACKS)
                        + " more callbacks not drawn (see the trace)");
                break;
            }
            int first = -1, last = -1;
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                if (r instanceof Gap) continue;
                if (Long.compareUnsigned(r.start(), st.end()) < 0 && Long.compareUnsigned(st.start(), r.end()) < 0) {
                    if (first < 0) first = i;
                    last = i;
                }
            }
            String what = st.order() + " " + st.callback() + (st.why().isEmpty() ? "" : ": " + st.why());
            String title = what + " (" + st.label() + ")";
            if (first < 0) continue;
            g.raw("<g class=\"callback " + st.callback() + "\" data-order=\"" + st.order() + "\">");
            switch (st.callback()) {
                case "test_walk" -> {
                    g.rect(X_WALK - 5, y[first] + 3, 3, y[last + 1] - y[first] - 6, "walk-bracket", title);
                }
                case "pte_hole" -> {
                    double x = st.depth() == 0 ? X_PGD : st.depth() == 2 ? X_PUD : X_PMD;
                    double w = st.depth() == 0 ? W_PGD : st.depth() == 2 ? W_PUD : W_PMD;
                    g.rect(x - 2, y[first] + 1, w + 4, y[last + 1] - y[first] - 2, "walked", title);
                }
                default -> {
                    g.rect(X_PMD - 2, y[first] + 1, W_PMD + 4, y[last + 1] - y[first] - 2, "walked", title);
                    if (first == last && rows.get(first) instanceof Table) {
                        long base = rows.get(first).start();
                        double x0 = X_PTE + Math.max(0, (st.start() - base) / PAGE_SIZE);
                        double x1 = X_PTE + Math.min(W_PTE, (st.end() - base) / (double) PAGE_SIZE);
                        g.rect(x0, y[first] + 26, Math.max(1, x1 - x0), 3, "walk-span", title);
                    }
                }
            }
            g.raw("</g>");
            notes.get(first).add(what);
        }
        for (int i = 0; i < rows.size(); i++) {
            List<String> n = notes.get(i);
            for (int k = 0; k < n.size() && k < 3; k++) {
                String text = k == 2 && n.size() > 3 ? "+" + (n.size() - 2) + " more (see the trace)" : n.get(k);
                g.label(X_WALK + 2, y[i] + 13 + 12 * k, "small walk-note", Svg.fit(text, W_WALK));
            }
        }
        g.raw("</g>");
    }

    /** At most this many walk callbacks are drawn per statement. */
    static final int MAX_CALLBACKS = 64;

    static String hex(long a) {
        return "0x" + Long.toHexString(a);
    }

    /** A size in the language's units: 4K pages, else M or G when whole. */
    static String size(long bytes) {
        if (bytes % (1L << 30) == 0) return (bytes >> 30) + " GiB";
        if (bytes % (1L << 20) == 0) return (bytes >> 20) + " MiB";
        return (bytes >> PAGE_SHIFT) + " pages";
    }
}
