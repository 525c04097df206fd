package dev.mmsim.scenarios.cli;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.run.Corpus;
import dev.mmsim.scenarios.run.Json;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Outcome;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"A reviewer's view of a kernel change: replay each scenario twice on the simulator, as",
            "written (baseline) and with the semantics chosen by --profile, --set and --semantic-class",
            "(switched), and list each scenario whose transcript changes, with the first changed",
            "statement and both results. A scenario the simulator does not model (unsupported in either",
            "run) is not compared, and listed with its reason. Expectations are not checked.",
            "Exits 1 when something changed."},
        footer = {"", "Examples:", "  mmsim compare --set sticky_flags=off scenarios/corpus",
            "  mmsim compare --profile linux-6.15                 # the built-in corpus on 6.15",
            "  mmsim compare --semantic-class MyRule.java scenarios/corpus/semantics",
            "  mmsim compare --json --profile linux-6.12 | jq '.changed[].label'"})
final class CompareCommand implements Callable<Integer> {
    /** The time limit of one scenario on the simulator. */
    static final int SIM_TIMEOUT_SECONDS = 60;

    @Mixin
    SemanticOptions semantics = new SemanticOptions();

    @Option(names = "--arena", paramLabel = "ADDR", description = "Arena start address (default: ${DEFAULT-VALUE}).",
            defaultValue = "0x100000000000", converter = Common.AddressConverter.class)
    long arena = Layout.DEFAULT_ARENA;

    @Option(names = "--host-profile", paramLabel = "PROFILE",
            description = {"Host profile both runs follow, e.g. 'zero_page=off'.",
                "Default: probe this host when the kernel backend works, else upstream defaults."})
    String hostProfile;

    @Option(names = "--json", description = "Print one JSON document (schema: mmsim-output.schema.json, $defs/compare).")
    boolean json;

    @Parameters(paramLabel = "DIR|FILE", arity = "0..*", description = "What to compare (default: the built-in corpus).")
    List<Path> paths = new ArrayList<>();

    /**
     * The first statement whose result differs between the two runs.
     *
     * @param line      its line in the scenario file, or -1 when only the outcomes differ
     * @param statement the statement, canonical
     * @param baseline  its result in the baseline run, or that run's outcome where it has no such line
     * @param switched  the same for the switched run
     */
    record Change(int line, String statement, String baseline, String switched) {
        /** The change between two transcripts of one scenario, or null when they agree. */
        static Change between(Transcript baseline, Transcript switched) {
            List<Transcript.Line> a = baseline.lines();
            List<Transcript.Line> b = switched.lines();
            for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
                Transcript.Line x = i < a.size() ? a.get(i) : null;
                Transcript.Line y = i < b.size() ? b.get(i) : null;
                if (x != null && y != null && x.render().equals(y.render())) continue;
                Transcript.Line any = x != null ? x : y;
                return new Change(any.line(), any.statement(), result(x, baseline), result(y, switched));
            }
            if (Objects.equals(stopped(baseline), stopped(switched))) return null;
            return new Change(-1, "(outcome)", baseline.outcome().render(), switched.outcome().render());
        }

        /** The change as JSON ({@code $defs/change} of the schema). */
        Map<String, Object> toJsonValue(String label) {
            Map<String, Object> m = Json.object();
            m.put("label", label);
            m.put("line", line < 0 ? null : line);
            m.put("statement", statement);
            m.put("baseline", baseline);
            m.put("switched", switched);
            return m;
        }

        private static String result(Transcript.Line line, Transcript t) {
            if (line == null) return "(not reached: " + t.outcome().render() + ")";
            return line.result() == null ? "(no result)" : line.result();
        }

        /** Why the replay stopped early (unsupported, timeout, error), or null when it ran to the end. */
        private static String stopped(Transcript t) {
            Outcome.Kind k = t.outcome().kind();
            return k == Outcome.Kind.UNSUPPORTED || k == Outcome.Kind.ERROR || k == Outcome.Kind.TIMEOUT ? t.outcome().render() : null;
        }
    }

    @Override
    public Integer call() {
        if (!semantics.any())
            throw new Main.UserError("mmsim compare: nothing to compare; give --profile, --set or --semantic-class");
        List<Scenario> scenarios = Common.load(paths.isEmpty() ? List.of(Corpus.builtin()) : paths);
        HostProfile host = hostProfile != null ? Common.parseHost(hostProfile) : Runner.defaultHost();
        String badArena = Layout.checkArena(arena);
        if (badArena != null) throw new Main.UserError("mmsim: --arena 0x" + Long.toHexString(arena) + ": " + badArena);
        // Both runs are on the simulator, checked against the time limit after each statement.
        Runner baseline = new Runner(arena, SIM_TIMEOUT_SECONDS);
        Runner switched = new Runner(arena, SIM_TIMEOUT_SECONDS, semantics.choice());
        if (!json) System.out.println("# host: " + host.render());
        List<Object> changes = new ArrayList<>();
        List<Object> skipped = new ArrayList<>();
        int same = 0;
        Map<String, Integer> notCompared = new TreeMap<>();
        for (Scenario s : scenarios) {
            Transcript a = baseline.sim(s, host);
            Transcript b = switched.sim(s, host);
            String why = notCompared(a, b);
            if (why != null) {
                notCompared.merge(why, 1, Integer::sum);
                Map<String, Object> n = Json.object();
                n.put("label", Common.label(s));
                n.put("reason", why);
                skipped.add(n);
                continue;
            }
            Change c = Change.between(a, b);
            if (c == null) {
                same++;
                continue;
            }
            changes.add(c.toJsonValue(Common.label(s)));
            if (!json) print(Common.label(s), c);
        }
        int status = changes.isEmpty() ? 0 : 1;
        if (json) {
            Map<String, Object> doc = Json.document("compare");
            doc.put("host", host.render());
            doc.put("exit_status", status);
            doc.put("changed", changes);
            doc.put("unchanged", same);
            doc.put("not_compared", skipped);
            System.out.println(Json.write(doc));
            return status;
        }
        System.out.println();
        System.out.printf("summary: %d changed, %d unchanged, %d not compared%n", changes.size(), same,
                notCompared.values().stream().mapToInt(Integer::intValue).sum());
        notCompared.forEach((why, n) -> System.out.printf("  %-40s %d%n", why, n));
        return status;
    }

    /**
     * Why two runs of a scenario cannot be compared, or null: a run the simulator could not carry
     * to the end because it does not model a statement says nothing about the switch.
     */
    static String notCompared(Transcript baseline, Transcript switched) {
        for (Transcript t : List.of(baseline, switched)) {
            if (t.outcome().kind() == Outcome.Kind.UNSUPPORTED) return t.outcome().render();
        }
        return null;
    }

    private static void print(String label, Change c) {
        System.out.println("changed  " + label + (c.line() < 0 ? "" : ":" + c.line()) + ": " + c.statement());
        System.out.println("  baseline: " + c.baseline());
        System.out.println("  switched: " + c.switched());
    }

}
