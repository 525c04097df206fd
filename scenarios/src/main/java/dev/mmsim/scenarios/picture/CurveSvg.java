package dev.mmsim.scenarios.picture;

import java.util.List;

/**
 * A small standalone SVG line chart: one polyline per series over integer x values, each series
 * with its own Okabe-Ito colour, dash pattern and marker shape (so that it reads in grey too),
 * axes with ticks, and a legend. Used by {@code mmsim explore sticky --svg}.
 */
public final class CurveSvg {
    private CurveSvg() {}

    /** One curve: its name and its points (x, y). */
    public record Series(String name, List<long[]> points) {}

    private static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"};
    private static final String[] DASHES = {"", "7 4", "2 3", "10 3 2 3"};

    static final int W = 720, H = 420, LEFT = 70, RIGHT = 20, TOP = 40, BOTTOM = 60;

    public static String chart(String title, String xLabel, String yLabel, List<Series> series) {
        long maxX = 1, maxY = 1;
        for (Series s : series) {
            for (long[] p : s.points()) {
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        long yStep = niceStep(maxY);
        long yTop = ((maxY + yStep - 1) / yStep) * yStep;
        long xStep = niceStep(maxX);
        double plotW = W - LEFT - RIGHT, plotH = H - TOP - BOTTOM;
        Svg g = new Svg();
        g.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + W + "\" height=\"" + H + "\" viewBox=\"0 0 " + W + " " + H
                + "\" role=\"img\" aria-label=\"").text(title).raw("\">");
        g.raw("<style>text{font:12px sans-serif;fill:#111}.title{font-size:14px;font-weight:600}.axis{stroke:#222}"
                + ".grid{stroke:#ddd}.curve{fill:none;stroke-width:2.5}</style>");
        g.rect(0, 0, W, H, "bg\" fill=\"#ffffff", null);
        g.label(LEFT, 22, "title", title);
        for (long y = 0; y <= yTop; y += yStep) {
            double py = TOP + plotH - plotH * y / yTop;
            g.line(LEFT, py, W - RIGHT, py, "grid");
            g.raw("<text x=\"" + (LEFT - 8) + "\" y=\"" + Svg.n(py + 4) + "\" text-anchor=\"end\">" + y + "</text>");
        }
        for (long x = 0; x <= maxX; x += xStep) {
            double px = LEFT + plotW * x / maxX;
            g.line(px, TOP + plotH, px, TOP + plotH + 5, "axis");
            g.raw("<text x=\"" + Svg.n(px) + "\" y=\"" + Svg.n(TOP + plotH + 18) + "\" text-anchor=\"middle\">" + x + "</text>");
        }
        g.line(LEFT, TOP + plotH, W - RIGHT, TOP + plotH, "axis");
        g.line(LEFT, TOP, LEFT, TOP + plotH, "axis");
        g.raw("<text x=\"" + Svg.n(LEFT + plotW / 2) + "\" y=\"" + (H - 22) + "\" text-anchor=\"middle\">").text(xLabel).raw("</text>");
        g.raw("<text transform=\"translate(16," + Svg.n(TOP + plotH / 2) + ") rotate(-90)\" text-anchor=\"middle\">")
                .text(yLabel).raw("</text>");
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = COLOURS[i % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            for (long[] p : s.points()) {
                pts.append(Svg.n(LEFT + plotW * p[0] / maxX)).append(',').append(Svg.n(TOP + plotH - plotH * p[1] / yTop)).append(' ');
            }
            g.raw("<g class=\"series\" data-name=\"").text(s.name()).raw("\">");
            g.raw("<polyline class=\"curve\" stroke=\"" + colour + "\"" + dash(i) + " points=\"" + pts.toString().trim() + "\"/>");
            for (long[] p : s.points()) {
                marker(g, i, LEFT + plotW * p[0] / maxX, TOP + plotH - plotH * p[1] / yTop, colour,
                        s.name() + ": N=" + p[0] + ", " + p[1]);
            }
            double ly = TOP + 14 + 18 * i;
            double lx = LEFT + 14;
            g.raw("<line x1=\"" + Svg.n(lx) + "\" y1=\"" + Svg.n(ly) + "\" x2=\"" + Svg.n(lx + 30) + "\" y2=\"" + Svg.n(ly)
                    + "\" stroke=\"" + colour + "\" stroke-width=\"2.5\"" + dash(i) + "/>");
            marker(g, i, lx + 15, ly, colour, null);
            g.label(lx + 38, ly + 4, "legend", s.name());
            g.raw("</g>");
        }
        return g.raw("</svg>\n").toString();
    }

    private static String dash(int i) {
        String d = DASHES[i % DASHES.length];
        return d.isEmpty() ? "" : " stroke-dasharray=\"" + d + "\"";
    }

    /** A circle, square, triangle or diamond, by series. */
    private static void marker(Svg g, int i, double x, double y, String colour, String title) {
        String t = title == null ? "" : "<title>" + Svg.esc(title) + "</title>";
        String fill = " fill=\"" + colour + "\" stroke=\"#fff\" stroke-width=\"1\"";
        switch (i % 4) {
            case 0 -> g.raw("<circle cx=\"" + Svg.n(x) + "\" cy=\"" + Svg.n(y) + "\" r=\"4.5\"" + fill + ">" + t + "</circle>");
            case 1 -> g.raw("<rect x=\"" + Svg.n(x - 4) + "\" y=\"" + Svg.n(y - 4) + "\" width=\"8\" height=\"8\"" + fill + ">" + t + "</rect>");
            case 2 -> g.raw("<polygon points=\"" + Svg.n(x) + "," + Svg.n(y - 5) + " " + Svg.n(x - 5) + "," + Svg.n(y + 4) + " "
                    + Svg.n(x + 5) + "," + Svg.n(y + 4) + "\"" + fill + ">" + t + "</polygon>");
            default -> g.raw("<polygon points=\"" + Svg.n(x) + "," + Svg.n(y - 5) + " " + Svg.n(x - 5) + "," + Svg.n(y) + " "
                    + Svg.n(x) + "," + Svg.n(y + 5) + " " + Svg.n(x + 5) + "," + Svg.n(y) + "\"" + fill + ">" + t + "</polygon>");
        }
    }

    /** 1, 2, 5, 10, 20, 50, ... : at most about 8 ticks up to max. */
    static long niceStep(long max) {
        long step = 1;
        while (max / step > 8) {
            if (max / (step * 2) <= 8) return step * 2;
            if (max / (step * 5) <= 8) return step * 5;
            step *= 10;
        }
        return step;
    }
}
