package dev.mmsim.scenarios.picture;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Standalone SVG figures of single statements, for documents (the teaching guide's pictures):
 * the statement as a caption, its VMA strip and scan regions, and its page-table tree with the
 * walk, with the pictures' style and patterns embedded so that the file renders on its own.
 */
public final class Figure {
    private Figure() {}

    /** One figure: the line of the statement it shows and the SVG text. */
    public record Drawn(int line, String statement, String svg) {}

    private static final int CAPTION = 26;
    private static final Pattern HEIGHT = Pattern.compile("^<svg [^>]*height=\"([0-9.]+)\"");

    /**
     * Replays {@code scenario} on the simulator following {@code host} and draws the statements
     * {@code which} selects (by their canonical text).
     */
    public static List<Drawn> of(Scenario scenario, Runner runner, HostProfile host,
            java.util.function.Predicate<String> which) {
        HtmlReport report = new HtmlReport(scenario.name());
        Transcript t = runner.sim(scenario, host, report.observer());
        report.add(t, null);
        List<Drawn> out = new ArrayList<>();
        for (HtmlReport.Picture p : report.pictures()) {
            if (!which.test(p.line().statement())) continue;
            out.add(new Drawn(p.line().line(), p.line().statement(), svg(p.line(), p.snapshot())));
        }
        return out;
    }

    /** The standalone SVG of one statement. */
    static String svg(Transcript.Line line, Snapshot s) {
        String strip = StripSvg.draw(s);
        String tree = TreeSvg.draw(s);
        double h1 = height(strip), h2 = height(tree);
        double total = CAPTION + h1 + 8 + h2;
        Svg g = new Svg();
        g.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + TreeSvg.WIDTH + "\" height=\"" + Svg.n(total)
                + "\" viewBox=\"0 0 " + TreeSvg.WIDTH + " " + Svg.n(total) + "\" role=\"img\" aria-label=\"")
                .text(line.statement()).raw("\">\n<style>\nsvg text{font-family:sans-serif}\n").raw(HtmlReport.SVG_CSS)
                .raw("text.caption{font-size:13px;font-weight:600;font-family:monospace}\n</style>\n");
        String patterns = HtmlReport.PATTERNS;
        g.raw(patterns.substring(patterns.indexOf("<defs>"), patterns.indexOf("</defs>") + 7)).raw("\n");
        g.raw("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        g.label(6, 17, "caption", Svg.fit(line.line() + ": " + line.statement(), TreeSvg.WIDTH * 1.2));
        g.raw("\n").raw(strip.replaceFirst("^<svg ", "<svg y=\"" + CAPTION + "\" ")).raw("\n");
        g.raw(tree.replaceFirst("^<svg ", "<svg y=\"" + Svg.n(CAPTION + h1 + 8) + "\" ")).raw("\n");
        return g.raw("</svg>\n").toString();
    }

    private static double height(String svg) {
        Matcher m = HEIGHT.matcher(svg);
        if (!m.find()) throw new IllegalStateException("an SVG without height: " + svg.substring(0, 60));
        return Double.parseDouble(m.group(1));
    }
}
