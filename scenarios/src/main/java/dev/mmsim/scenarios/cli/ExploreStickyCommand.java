package dev.mmsim.scenarios.cli;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.SemanticExtension;
import dev.mmsim.core.Semantics;
import dev.mmsim.core.VmFlag;
import dev.mmsim.mm.Vma;
import dev.mmsim.scenarios.ext.SemanticClasses;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.lang.ScenarioSyntaxException;
import dev.mmsim.scenarios.picture.CurveSvg;
import dev.mmsim.scenarios.run.Interpreter;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Outcome;
import dev.mmsim.scenarios.run.SimBackend;
import dev.mmsim.scenarios.run.Transcript;

import java.io.IOException;
import java.nio.file.Files;
import dev.mmsim.scenarios.run.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmsim explore sticky}: the stickiness trade-off raised in review of "mm: implement sticky
 * VMA flags". A VMA with one guard page has VM_MAYBE_GUARD; N unguarded mappings are then placed
 * right after it, one by one. With sticky flags each merges into the guarded VMA, which keeps the
 * flag; with flags that must match none does. The table shows, after N merge opportunities, how
 * many VMAs cover the range and how many pages lie in VMAs with VM_MAYBE_GUARD: what a guard scan
 * that trusts smaps' "gu", and fork through VM_COPY_ON_FORK, must visit to find the one guard page.
 */
@Command(name = "sticky", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"The VM_MAYBE_GUARD stickiness trade-off: after N merges with unguarded neighbours, how",
            "many VMAs there are and how many pages a guard scan guided by VM_MAYBE_GUARD visits, with",
            "sticky flags (6.19), with flags that must match, and with an optional --semantic-class rule."},
        footer = {"", "Examples:", "  mmsim explore sticky --merges 8",
            "  mmsim explore sticky --merges 16 --svg /tmp/sticky.svg     # the curve as a picture too",
            "  mmsim explore sticky --semantic-class BoundedSticky.java --emit /tmp/sticky && mmsim diff /tmp/sticky"})
final class ExploreStickyCommand implements Callable<Integer> {
    @Option(names = "--merges", paramLabel = "N", defaultValue = "8",
            description = "Largest number of unguarded neighbours (default: ${DEFAULT-VALUE}).")
    int merges;

    @Option(names = "--pages", paramLabel = "P", defaultValue = "16",
            description = "Size of every mapping, in pages (default: ${DEFAULT-VALUE}).")
    int pages;

    @Option(names = "--semantic-class", paramLabel = "CLASS|FILE.java",
            description = "A SemanticExtension to tabulate as a third rule.")
    String semanticClass;

    @Option(names = "--emit", paramLabel = "DIR", description = "Also write the scenarios to DIR as sticky-nN.scn.")
    Path emit;

    @Option(names = "--json", description = "Print the table as one JSON document (schema: mmsim-output.schema.json, $defs/explore_sticky).")
    boolean json;

    @Option(names = "--svg", paramLabel = "OUT.svg",
            description = "Also draw the curve (pages scanned after N merges, one line per rule) as an SVG file.")
    Path svg;

    /** One rule: a column pair of the table. */
    record Rule(String name, Supplier<Semantics> semantics) {}

    /** What one replay measured. */
    record Measure(int vmas, long guardedPages) {}

    @Override
    public Integer call() {
        if (merges < 0 || pages < 1)
            throw new Main.UserError("mmsim explore sticky: --merges must be >= 0 and --pages >= 1");
        if (svg != null && Files.isDirectory(svg)) throw new Main.UserError("mmsim: --svg " + svg + ": is a directory");
        List<Rule> rules = rules();
        if (!json) {
            System.out.printf("# mmsim explore sticky: a %dp anonymous VMA with one guard page, then N unguarded%n", pages);
            System.out.printf("# %dp mappings placed right after it; vmas: VMAs covering the range; scanned:%n", pages);
            System.out.println("# pages in VMAs with VM_MAYBE_GUARD (\"gu\"), which a guard scan guided by the flag visits.");
            System.out.println(header(rules));
        }
        List<Object> rows = new ArrayList<>();
        List<List<long[]>> curves = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) curves.add(new ArrayList<>());
        for (int n = 0; n <= merges; n++) {
            Scenario scenario = parse(n);
            StringBuilder row = new StringBuilder("| " + n + " |");
            List<Object> cells = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                Rule r = rules.get(i);
                Measure m = measure(scenario, r.semantics().get());
                row.append(' ').append(m.vmas()).append(" | ").append(m.guardedPages()).append(" |");
                curves.get(i).add(new long[] {n, m.guardedPages()});
                java.util.Map<String, Object> cell = Json.object();
                cell.put("rule", r.name());
                cell.put("vmas", m.vmas());
                cell.put("scanned_pages", m.guardedPages());
                cells.add(cell);
            }
            java.util.Map<String, Object> one = Json.object();
            one.put("merges", n);
            one.put("rules", cells);
            rows.add(one);
            if (!json) System.out.println(row);
            if (emit != null) write(n);
        }
        if (json) {
            java.util.Map<String, Object> doc = Json.document("explore_sticky");
            doc.put("pages", pages);
            doc.put("rows", rows);
            System.out.println(Json.write(doc));
        }
        if (svg != null) drawCurve(rules, curves);
        return 0;
    }

    private List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        rules.add(new Rule("sticky (6.19)", () -> Semantics.newest(HostProfile.UPSTREAM)));
        rules.add(new Rule("flags must match", () -> {
            Semantics s = Semantics.newest(HostProfile.UPSTREAM);
            s.set(Semantic.STICKY_FLAGS, false);
            return s;
        }));
        if (semanticClass != null) {
            SemanticExtension extension = load(semanticClass);
            rules.add(new Rule(extension.name(), () -> {
                Semantics s = Semantics.newest(HostProfile.UPSTREAM);
                s.extension(extension);
                return s;
            }));
        }
        return rules;
    }

    private static SemanticExtension load(String spec) {
        try {
            return SemanticClasses.load(spec);
        } catch (SemanticClasses.LoadException e) {
            throw new Main.UserError("mmsim: --semantic-class " + spec + ": " + e.getMessage());
        }
    }

    private static String header(List<Rule> rules) {
        StringBuilder names = new StringBuilder("| N |");
        StringBuilder rule = new StringBuilder("|--:|");
        for (Rule r : rules) {
            names.append(' ').append(r.name()).append(": vmas | scanned |");
            rule.append("--:|--:|");
        }
        return names + "\n" + rule;
    }

    /** The scenario with n unguarded neighbours. */
    String text(int n) {
        StringBuilder sb = new StringBuilder();
        sb.append("scenario explore/sticky-n").append(n).append('\n');
        sb.append("mirrors mmsim explore sticky --pages ").append(pages).append(": ").append(n)
                .append(" unguarded neighbours after a guarded VMA\n");
        sb.append("requires guard_regions maybe_guard\n");
        sb.append("mmap G ").append(pages).append("p rw private anon\n");
        sb.append("madvise G 1p guard_install\n");
        for (int i = 1; i <= n; i++) {
            sb.append("mmap N").append(i).append(' ').append(pages).append("p rw private anon at G+")
                    .append((long) i * pages).append("p\n");
        }
        sb.append("smaps G ").append((long) (n + 1) * pages).append("p\n");
        return sb.toString();
    }

    private Scenario parse(int n) {
        try {
            return ScenarioParser.parse("sticky-n" + n + ".scn", text(n));
        } catch (ScenarioSyntaxException e) {
            throw new IllegalStateException("generated scenario does not parse: " + e.getMessage(), e);
        }
    }

    /** Replays the scenario and counts the VMAs and the pages under VM_MAYBE_GUARD. */
    private static Measure measure(Scenario scenario, Semantics semantics) {
        try (SimBackend sim = new SimBackend(semantics)) {
            Transcript t = Interpreter.replay(scenario, sim, Layout.DEFAULT_ARENA);
            if (t.outcome().kind() != Outcome.Kind.PASSED)
                throw new IllegalStateException(scenario.name() + ": " + t.outcome().render() + "\n" + t.render());
            int vmas = 0;
            long guarded = 0;
            for (Vma v : sim.mm().vmas()) {
                vmas++;
                if (v.has(VmFlag.VM_MAYBE_GUARD)) guarded += v.pages();
            }
            return new Measure(vmas, guarded);
        }
    }

    /** The table's "scanned" columns as curves over N, written to --svg. */
    private void drawCurve(List<Rule> rules, List<List<long[]>> curves) {
        List<CurveSvg.Series> series = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) series.add(new CurveSvg.Series(rules.get(i).name(), curves.get(i)));
        String chart = CurveSvg.chart("pages a VM_MAYBE_GUARD-guided guard scan visits (" + pages + "p mappings)",
                "N: unguarded neighbours merged with the guarded VMA", "pages scanned", series);
        try {
            Files.writeString(svg, chart);
        } catch (IOException e) {
            throw new Main.UserError("mmsim: --svg " + svg + ": cannot write (" + e.getMessage() + ")");
        }
        System.out.println("# curve drawn in " + svg);
    }

    private void write(int n) {
        try {
            Files.createDirectories(emit);
            Files.writeString(emit.resolve("sticky-n" + n + ".scn"), text(n));
        } catch (IOException e) {
            throw new Main.UserError("mmsim: --emit " + emit + ": cannot write (" + e.getMessage() + ")");
        }
    }
}
