package dev.mmsim.scenarios.picture;

import java.util.Locale;

/** A small writer of SVG and HTML text: escaping and number formatting, nothing else. */
final class Svg {
    private final StringBuilder sb = new StringBuilder();

    Svg raw(String s) {
        sb.append(s);
        return this;
    }

    /** Appends text escaped for an element's content or an attribute value. */
    Svg text(String s) {
        sb.append(esc(s));
        return this;
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A coordinate with at most one decimal. */
    static String n(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** {@code <rect>} with a class and a title (shown on hover, read by screen readers). */
    Svg rect(double x, double y, double w, double h, String cls, String title) {
        sb.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" class=\"").append(cls).append('"');
        if (title == null) return raw("/>");
        return raw("><title>").text(title).raw("</title></rect>");
    }

    /** {@code <text>} at x, y with a class. */
    Svg label(double x, double y, String cls, String s) {
        return raw("<text x=\"" + n(x) + "\" y=\"" + n(y) + "\" class=\"" + cls + "\">").text(s).raw("</text>");
    }

    Svg line(double x1, double y1, double x2, double y2, String cls) {
        return raw("<line x1=\"" + n(x1) + "\" y1=\"" + n(y1) + "\" x2=\"" + n(x2) + "\" y2=\"" + n(y2)
                + "\" class=\"" + cls + "\"/>");
    }

    /** The text {@code s} cut to fit about {@code px} pixels of 11 px text, with an ellipsis. */
    static String fit(String s, double px) {
        int max = (int) (px / 6.2);
        if (s.length() <= max) return s;
        return max <= 1 ? "" : s.substring(0, max - 1) + "\u2026";
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
