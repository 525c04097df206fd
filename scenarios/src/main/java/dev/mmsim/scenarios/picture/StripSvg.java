package dev.mmsim.scenarios.picture;

import static dev.mmsim.core.Geometry.PAGE_SHIFT;

import dev.mmsim.core.PageCategory;
import dev.mmsim.scenarios.picture.Snapshot.*;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws the VMA strip and the scan's regions of one {@link Snapshot} on a shared axis. Sizes in
 * one picture can differ by a factor of a million, so the axis is not linear: each VMA (and each
 * scanned range outside the VMAs) gets a width that grows with the logarithm of its size, and
 * inside it addresses are linear; ranges that do not touch are separated by a break.
 */
final class StripSvg {
    static final int WIDTH = 1200;
    static final int LEFT = 6, RIGHT = WIDTH - 6;
    static final int BREAK = 18;
    static final int VMA_H = 54;
    /** At most this many VMAs, and this many scan regions, are drawn per statement. */
    static final int MAX_BOXES = 64;

    private StripSvg() {}

    /** A piecewise-linear map from addresses to x. */
    record Axis(List<long[]> pieces, List<double[]> xs) {
        double x(long addr) {
            for (int i = 0; i < pieces.size(); i++) {
                long[] p = pieces.get(i);
                double[] x = xs.get(i);
                if (Long.compareUnsigned(addr, p[0]) >= 0 && Long.compareUnsigned(addr, p[1]) <= 0) {
                    return x[0] + (x[1] - x[0]) * ((double) (addr - p[0]) / (double) (p[1] - p[0]));
                }
                if (Long.compareUnsigned(addr, p[0]) < 0) return x[0];
            }
            return xs.isEmpty() ? LEFT : xs.get(xs.size() - 1)[1];
        }

        /** Whether a break is drawn before piece i (it does not touch the previous one). */
        boolean breakBefore(int i) {
            return i > 0 && pieces.get(i - 1)[1] != pieces.get(i)[0];
        }

        static Axis of(List<long[]> ranges) {
            List<long[]> sorted = new ArrayList<>(ranges);
            sorted.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
            // cut overlapping ranges (a scan over VMAs) into disjoint pieces
            List<Long> cuts = new ArrayList<>();
            for (long[] r : sorted) {
                cuts.add(r[0]);
                cuts.add(r[1]);
            }
            cuts.sort(Long::compareUnsigned);
            List<long[]> pieces = new ArrayList<>();
            for (int i = 0; i + 1 < cuts.size(); i++) {
                long a = cuts.get(i), b = cuts.get(i + 1);
                if (a == b) continue;
                boolean covered = false;
                for (long[] r : sorted) {
                    if (Long.compareUnsigned(r[0], a) <= 0 && Long.compareUnsigned(b, r[1]) <= 0) covered = true;
                }
                if (covered) pieces.add(new long[] {a, b});
            }
            double[] weight = new double[pieces.size()];
            double total = 0;
            int breaks = 0;
            for (int i = 0; i < pieces.size(); i++) {
                long pages = Math.max(1, (pieces.get(i)[1] - pieces.get(i)[0]) >>> PAGE_SHIFT);
                weight[i] = 1 + Math.log(pages) / Math.log(2);
                total += weight[i];
                if (i > 0 && pieces.get(i - 1)[1] != pieces.get(i)[0]) breaks++;
            }
            double usable = RIGHT - LEFT - breaks * BREAK;
            List<double[]> xs = new ArrayList<>();
            double x = LEFT;
            for (int i = 0; i < pieces.size(); i++) {
                if (i > 0 && pieces.get(i - 1)[1] != pieces.get(i)[0]) x += BREAK;
                double w = usable * weight[i] / total;
                xs.add(new double[] {x, x + w});
                x += w;
            }
            return new Axis(pieces, xs);
        }
    }

    static String draw(Snapshot s) {
        List<VmaBox> vmas = s.vmas().subList(0, Math.min(MAX_BOXES, s.vmas().size()));
        List<long[]> ranges = new ArrayList<>();
        for (VmaBox v : vmas) ranges.add(new long[] {v.start(), v.end()});
        Scan scan = s.scan();
        if (scan != null) {
            for (Region r : scan.regions().subList(0, Math.min(MAX_BOXES, scan.regions().size())))
                ranges.addAll(outside(r.start(), r.end(), vmas));
        }
        Axis axis = Axis.of(ranges);
        boolean regions = scan != null && !scan.regions().isEmpty();
        int height = VMA_H + 20 + (regions ? 52 : 0);
        Svg g = new Svg();
        g.raw("<svg class=\"strip\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + height
                + "\" viewBox=\"0 0 " + WIDTH + " " + height + "\" role=\"img\" aria-label=\"VMAs and scan regions\">");
        if (s.vmas().isEmpty()) g.label(LEFT, 30, "note", "no VMA in the arena");
        for (int i = 0; i < axis.pieces().size(); i++) {
            if (axis.breakBefore(i)) {
                double x = axis.xs().get(i)[0] - BREAK / 2.0;
                g.label(x - 5, 32, "note", "\u2248");
            }
        }
        int vmaCount = 0;
        for (VmaBox v : s.vmas()) {
            if (++vmaCount > MAX_BOXES) {
                g.label(LEFT, 10, "badge", (s.vmas().size() - MAX_BOXES) + " more VMAs not drawn (see smaps)");
                break;
            }
            double x0 = axis.x(v.start()), x1 = axis.x(v.end());
            String flags = String.join(" ", v.flags());
            String title = v.label() + " " + v.perms() + " flags " + flags + ", rss " + v.rssPages() + "p"
                    + (v.change() == Change.SAME ? "" : " (" + v.change().word + ")");
            g.raw("<g class=\"vma" + (v.change() == Change.SAME ? "" : " changed " + v.change().name().toLowerCase())
                    + "\" data-start=\"" + TreeSvg.hex(v.start()) + "\" data-end=\"" + TreeSvg.hex(v.end())
                    + "\" data-perms=\"" + v.perms() + "\" data-flags=\"" + Svg.esc(flags) + "\">");
            g.rect(x0, 14, Math.max(2, x1 - x0), VMA_H - 14, "vma-box " + protClass(v.perms()), title);
            double w = x1 - x0 - 8;
            g.label(x0 + 4, 28, "mono", Svg.fit(v.label(), w));
            g.label(x0 + 4, 41, "small", Svg.fit(v.perms() + "  rss " + v.rssPages() + "p", w));
            g.label(x0 + 4, 52, "small", Svg.fit(flags, w));
            if (v.change() != Change.SAME) g.label(x0 + 2, 10, "badge", Svg.fit(v.change().word, Math.max(40, w)));
            g.raw("</g>");
        }
        if (regions) {
            int y = VMA_H + 10;
            g.label(LEFT, y + 8, "col", "PAGEMAP_SCAN regions");
            int regionCount = 0;
            for (Region r : scan.regions()) {
                if (++regionCount > MAX_BOXES) {
                    g.label(LEFT + 170, y + 8, "badge", (scan.regions().size() - MAX_BOXES) + " more regions not drawn (see the result)");
                    break;
                }
                double x0 = axis.x(r.start()), x1 = axis.x(r.end());
                g.raw("<g class=\"region\" data-start=\"" + TreeSvg.hex(r.start()) + "\" data-categories=\""
                        + r.categories() + "\">");
                g.rect(x0, y + 12, Math.max(2, x1 - x0), 18, "region-box " + regionClass(r.mask()),
                        r.label() + " " + r.categories());
                if (x1 - x0 > 30) g.label(x0 + 3, y + 42, "small", Svg.fit(r.categories(), x1 - x0 - 4));
                g.raw("</g>");
            }
        }
        return g.raw("</svg>").toString();
    }

    /** The parts of [start, end) that no VMA covers (a region is linear inside the VMAs it lies in). */
    static List<long[]> outside(long start, long end, List<VmaBox> vmas) {
        List<long[]> out = new ArrayList<>();
        long a = start;
        for (VmaBox v : vmas) {
            if (Long.compareUnsigned(v.end(), a) <= 0) continue;
            if (Long.compareUnsigned(v.start(), end) >= 0) break;
            if (Long.compareUnsigned(a, v.start()) < 0) out.add(new long[] {a, v.start()});
            a = v.end();
        }
        if (Long.compareUnsigned(a, end) < 0) out.add(new long[] {a, end});
        return out;
    }

    /** The fill class of a VMA: writable, read-only or no access. */
    static String protClass(String perms) {
        return perms.length() > 1 && perms.charAt(1) == 'w' ? "prot-rw" : perms.startsWith("r") ? "prot-ro" : "prot-none";
    }

    /** The colour class of a region: its most telling category. */
    static String regionClass(long mask) {
        if ((mask & PageCategory.PAGE_IS_GUARD.mask()) != 0) return "guard";
        if ((mask & PageCategory.PAGE_IS_SWAPPED.mask()) != 0) return "swap";
        if ((mask & PageCategory.PAGE_IS_HUGE.mask()) != 0) return "thp";
        if ((mask & PageCategory.PAGE_IS_PFNZERO.mask()) != 0) return "zero";
        if ((mask & PageCategory.PAGE_IS_PRESENT.mask()) != 0) return "present";
        if ((mask & PageCategory.PAGE_IS_WRITTEN.mask()) != 0) return "written";
        return "nocat";
    }
}
