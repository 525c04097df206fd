package dev.mmsim.scenarios.cli;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.run.Corpus;
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
            "statement and both results. Expectations are not checked. Exits 1 when something changed."},
        footer = {"", "Examples:", "  mmsim compare --set sticky_flags=off scenarios/corpus",
            "  mmsim compare --profile linux-6.15                 # the built-in corpus on 6.15",
            "  mmsim compare --semantic-class MyRule.java scenarios/corpus/semantics"})
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

        private static String result(Transcript.Line line, Transcript t) {
            return line == null ? "(not reached: " + t.outcome().render() + ")" : line.result();
        }

        /** Why the replay stopped early (unsupported, error), or null when it ran to the end. */
        private static String stopped(Transcript t) {
            Outcome.Kind k = t.outcome().kind();
            return k == Outcome.Kind.UNSUPPORTED || k == Outcome.Kind.ERROR ? t.outcome().render() : null;
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
        System.out.println("# host: " + host.render());
        int changed = 0;
        int same = 0;
        Map<String, Integer> notCompared = new TreeMap<>();
        for (Scenario s : scenarios) {
            Transcript a = baseline.sim(s, host);
            Transcript b = switched.sim(s, host);
            Change c = Change.between(a, b);
            if (c != null) {
                changed++;
                print(label(s), c);
            } else if (a.outcome().kind() == Outcome.Kind.UNSUPPORTED) {
                notCompared.merge(a.outcome().render(), 1, Integer::sum);
            } else {
                same++;
            }
        }
        System.out.println();
        System.out.printf("summary: %d changed, %d unchanged, %d not compared%n", changed, same,
                notCompared.values().stream().mapToInt(Integer::intValue).sum());
        notCompared.forEach((why, n) -> System.out.printf("  %-40s %d%n", why, n));
        return changed == 0 ? 0 : 1;
    }

    private static void print(String label, Change c) {
        System.out.println("changed  " + label + (c.line() < 0 ? "" : ":" + c.line()) + ": " + c.statement());
        System.out.println("  baseline: " + c.baseline());
        System.out.println("  switched: " + c.switched());
    }

    /** The path relative to the built-in corpus when it is in there. */
    private static String label(Scenario s) {
        if (s.file() == null) return s.name();
        Path abs = s.file().toAbsolutePath().normalize();
        Path corpus = Corpus.builtin().toAbsolutePath().normalize();
        return abs.startsWith(corpus) ? corpus.relativize(abs).toString() : s.file().toString();
    }
}
