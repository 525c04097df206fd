package dev.mmsim.scenarios.cli;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.run.AgentBuild;
import dev.mmsim.scenarios.run.Comparison;
import dev.mmsim.scenarios.run.Corpus;
import dev.mmsim.scenarios.run.Json;
import dev.mmsim.scenarios.run.KernelTarget;
import dev.mmsim.scenarios.run.Outcome;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;
import dev.mmsim.scenarios.vm.VmTarget;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Replay the corpus on the simulator and, where the kernel allows, on a real kernel,",
            "check every expectation, compare the transcripts and print a summary:",
            "  agree        both backends printed the same results",
            "  differ       they did not (the first differing statement is shown)",
            "  skipped      the kernel backend did not run it (the missing feature is named)",
            "  unsupported  the simulator does not model a statement of it yet",
            "The simulator follows the kernel under test: its release picks the kernel profile",
            "(6.12.x: linux-6.12) and its probe the host profile (zero page, soft-dirty, THP).",
            "With several --kernel options it prints a matrix, scenario by kernel, and a summary",
            "per kernel. Exits 0 only when nothing differs, no expectation fails and nothing breaks;",
            "with --strict also only when nothing was skipped or unsupported and the kernel backend",
            "was available (for CI: a host without cc or the agent must not pass in silence)."},
        footer = {"", "Examples:", "  mmsim check", "  mmsim check scenarios/corpus/merge",
            "  mmsim check --kernel debian:6.12",
            "  mmsim check --kernel host --kernel debian:6.12 --kernel debian:6.1",
            "  mmsim check --strict --junit-xml check.xml          # for CI",
            "  mmsim check --json | jq '.kernels[0].counts'"})
final class CheckCommand extends Common implements Callable<Integer> {
    @Parameters(paramLabel = "DIR|FILE", arity = "0..*", description = "What to check (default: the built-in corpus).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--kernel", paramLabel = "K", description = {"The kernel to check against (repeatable): " + KERNEL_HELP})
    List<String> kernels = new ArrayList<>();

    @Mixin
    CiReport.Options reports = new CiReport.Options();

    /** What one kernel made of the corpus. */
    record KernelRun(String kernel, String header, Map<String, String> cells, Map<String, Integer> counts,
                     Map<String, Integer> skipped, Map<String, Integer> unsupported, List<String> failures, long millis,
                     String unavailable, Map<String, Object> details, List<CiReport.Case> cases) {
        boolean clean() {
            return unavailable == null && counts.get("differ") == 0 && counts.get("errors") == 0 && counts.get("timeouts") == 0 && failures.isEmpty();
        }

        /** Clean, and under --strict also nothing skipped or unsupported. */
        boolean clean(boolean strict) {
            return clean() && (!strict || counts.get("skipped") == 0 && counts.get("unsupported") == 0);
        }

        /** A kernel of a matrix that could not be had: every cell says so. */
        static KernelRun unavailable(String kernel, String why, List<Scenario> scenarios) {
            Map<String, String> cells = new LinkedHashMap<>();
            for (Scenario s : scenarios) cells.put(Common.label(s), "unavailable");
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String c : List.of("agree", "differ", "skipped", "unsupported", "timeouts", "errors")) counts.put(c, 0);
            List<CiReport.Case> cases = new ArrayList<>();
            for (Scenario s : scenarios) cases.add(new CiReport.Case(kernel, Common.label(s), CiReport.Status.ERROR, "kernel unavailable: " + why, 0));
            return new KernelRun(kernel, "# kernel " + kernel + " unavailable: " + why, cells, counts, Map.of(), Map.of(),
                    List.of(), 0, why, Map.of(), cases);
        }
    }

    @Override
    public Integer call() {
        List<Scenario> scenarios = load(paths.isEmpty() ? List.of(Corpus.builtin()) : paths);
        List<String> names = kernels.isEmpty() ? List.of("host") : kernels;
        boolean explicit = !kernels.isEmpty();
        PrintStream out = json ? System.err : System.out;
        List<KernelRun> runs = new ArrayList<>();
        for (String k : names) {
            KernelTarget target;
            try {
                target = openKernel(k);
            } catch (Main.UserError e) {
                if (names.size() == 1) throw e;
                System.err.println(e.getMessage());    // the other kernels of the matrix still run
                runs.add(KernelRun.unavailable(k, e.getMessage(), scenarios));
                continue;
            }
            try (target) {
                runs.add(run(target, explicit, scenarios, names.size() > 1 ? k : null, out));
            }
        }
        int status = runs.stream().allMatch(r -> r.clean(strict)) ? 0 : 1;
        if (json) System.out.println(toJson(scenarios, runs, strict, status));
        else if (runs.size() > 1) printMatrix(scenarios, runs);
        List<CiReport.Case> cases = new ArrayList<>();
        for (KernelRun r : runs) cases.addAll(r.cases());
        reports.write("mmsim check", cases, strict);
        return status;
    }

    private KernelRun run(KernelTarget target, boolean explicit, List<Scenario> scenarios, String tag, PrintStream out) {
        long start = System.nanoTime();
        Runner runner = runner(target, explicit);
        HostProfile host = runner.host();
        String header;
        try {
            host = target.probe().host();
            header = "# kernel " + target.label() + (target instanceof VmTarget vm ? " (" + vm.origin() + ", " + vm.accel() + ")" : "")
                    + ": profile " + runner.baseProfile().name() + "; host: " + host.render();
        } catch (AgentBuild.Unavailable e) {
            header = "# kernel backend unavailable: " + e.getMessage() + "; simulating " + host.render();
        }
        out.println(header);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String c : List.of("agree", "differ", "skipped", "unsupported", "timeouts", "errors")) counts.put(c, 0);
        Map<String, Integer> skipped = new TreeMap<>();
        Map<String, Integer> unsupported = new TreeMap<>();
        Map<String, String> cells = new LinkedHashMap<>();
        Map<String, Object> details = new LinkedHashMap<>();
        List<CiReport.Case> cases = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        int i = 0;
        for (Scenario s : scenarios) {
            i++;
            long t0 = System.nanoTime();
            String label = Common.label(s);
            Transcript sim = runner.sim(s, host);
            Transcript kernel = runner.kernel(s);
            Comparison c = Comparison.of(sim, kernel);
            failures.addAll(sim.failures());
            if (kernel.outcome().kind() != Outcome.Kind.SKIPPED) failures.addAll(kernel.failures());
            String verdict = switch (c.verdict()) {
                case AGREE -> "agree";
                case DIFFER -> "DIFFER";
                case ERROR -> "ERROR";
                case TIMEOUT -> "TIMEOUT";
                case SKIPPED -> "skipped";
                case UNSUPPORTED -> "unsupported";
            };
            String count = switch (c.verdict()) {
                case AGREE -> "agree";
                case DIFFER -> "differ";
                case ERROR -> "errors";
                case TIMEOUT -> "timeouts";
                case SKIPPED -> "skipped";
                case UNSUPPORTED -> "unsupported";
            };
            counts.merge(count, 1, Integer::sum);
            if (c.verdict() == Comparison.Verdict.SKIPPED) skipped.merge(kernel.outcome().reason(), 1, Integer::sum);
            if (c.verdict() == Comparison.Verdict.UNSUPPORTED) unsupported.merge(sim.outcome().reason(), 1, Integer::sum);
            cells.put(label, cell(c));
            Map<String, Object> detail = c.toJsonValue(label);
            List<String> own = new ArrayList<>(sim.failures());
            if (kernel.outcome().kind() != Outcome.Kind.SKIPPED) own.addAll(kernel.failures());
            detail.put("failed_expectations", own);
            details.put(label, detail);
            CiReport.Status cs = DiffCommand.ciStatus(c);
            String message = cs == CiReport.Status.PASSED ? null : c.explain();
            if (!own.isEmpty() && cs != CiReport.Status.ERROR) {
                cs = CiReport.Status.FAILED;
                message = (message == null ? "" : message + "\n") + String.join("\n", own);
            }
            cases.add(new CiReport.Case(target.label(), label, cs, message, (System.nanoTime() - t0) / 1e9));
            out.printf("[%3d/%d]%s %-11s %s%n", i, scenarios.size(), tag == null ? "" : " " + tag, verdict, label);
            if (c.verdict() != Comparison.Verdict.AGREE) out.println("        " + c.explain().replace("\n", "\n        "));
        }
        for (String f : failures) out.println(f);
        KernelRun r = new KernelRun(target.label(), header, cells, counts, skipped, unsupported, failures,
                (System.nanoTime() - start) / 1_000_000, null, details, cases);
        printSummary(r, scenarios.size(), out);
        if (!strict && r.counts().get("skipped") + r.counts().get("unsupported") > 0)
            out.println("(skipped and unsupported scenarios do not fail the run; --strict makes them)");
        return r;
    }

    /** A matrix cell: agree, differ at line N, skipped (reason), unsupported, error. */
    static String cell(Comparison c) {
        return switch (c.verdict()) {
            case AGREE -> "agree";
            case DIFFER -> {
                int line = c.index() < c.sim().lines().size() ? c.sim().lines().get(c.index()).line()
                        : c.kernel().lines().get(c.index()).line();
                yield "differ at line " + line;
            }
            case SKIPPED -> "skipped (" + c.kernel().outcome().reason() + ")";
            case UNSUPPORTED -> "unsupported";
            case TIMEOUT -> "timeout at line " + (c.sim().outcome().kind() == Outcome.Kind.TIMEOUT ? c.sim() : c.kernel())
                    .outcome().reason().split(" ")[1];
            case ERROR -> "error";
        };
    }

    private static void printSummary(KernelRun r, int total, PrintStream out) {
        out.println();
        out.println("summary" + (r.kernel().equals("host") ? "" : " (" + r.kernel() + ")"));
        out.printf("  %-13s %d%n", "agree", r.counts().get("agree"));
        out.printf("  %-13s %d%n", "differ", r.counts().get("differ"));
        out.printf("  %-13s %d%n", "skipped", r.counts().get("skipped"));
        r.skipped().forEach((why, n) -> out.printf("    %-40s %d%n", why, n));
        out.printf("  %-13s %d%n", "unsupported", r.counts().get("unsupported"));
        r.unsupported().forEach((why, n) -> out.printf("    %-40s %d%n", why, n));
        out.printf("  %-13s %d%n", "timeouts", r.counts().get("timeouts"));
        out.printf("  %-13s %d%n", "errors", r.counts().get("errors"));
        out.printf("  %-13s %d%n", "failed expectations", r.failures().size());
        out.printf("  %-13s %d%n", "total", total);
        out.printf("  %-13s %.1f s%n", "time", r.millis() / 1000.0);
    }

    private static void printMatrix(List<Scenario> scenarios, List<KernelRun> runs) {
        System.out.println();
        System.out.println("matrix");
        int width = scenarios.stream().mapToInt(s -> Common.label(s).length()).max().orElse(8);
        int col = 24;
        StringBuilder head = new StringBuilder(String.format("  %-" + width + "s", "scenario"));
        for (KernelRun r : runs) head.append("  ").append(String.format("%-" + col + "s", r.kernel()));
        System.out.println(head.toString().stripTrailing());
        for (Scenario s : scenarios) {
            StringBuilder row = new StringBuilder(String.format("  %-" + width + "s", Common.label(s)));
            for (KernelRun r : runs) {
                String cell = r.cells().get(Common.label(s));
                if (cell.length() > col) cell = cell.substring(0, col - 1) + "…";
                row.append("  ").append(String.format("%-" + col + "s", cell));
            }
            System.out.println(row.toString().stripTrailing());
        }
        System.out.println();
        System.out.println("per kernel");
        for (KernelRun r : runs) {
            if (r.unavailable() != null) {
                System.out.printf("  %-24s unavailable: %s%n", r.kernel(), r.unavailable());
                continue;
            }
            System.out.printf("  %-24s agree %d, differ %d, skipped %d, unsupported %d, timeouts %d, errors %d, failed expectations %d, %.0f s%n",
                    r.kernel(), r.counts().get("agree"), r.counts().get("differ"), r.counts().get("skipped"),
                    r.counts().get("unsupported"), r.counts().get("timeouts"), r.counts().get("errors"), r.failures().size(), r.millis() / 1000.0);
        }
    }

    /**
     * The run as one document ({@code $defs/check} of the schema): per kernel its header, counts,
     * reasons, failed expectations, a matrix cell and a comparison per scenario.
     */
    private static String toJson(List<Scenario> scenarios, List<KernelRun> runs, boolean strict, int status) {
        Map<String, Object> doc = Json.document("check");
        doc.put("strict", strict);
        doc.put("exit_status", status);
        List<Object> ks = new ArrayList<>();
        for (KernelRun r : runs) {
            Map<String, Object> k = Json.object();
            k.put("kernel", r.kernel());
            k.put("header", r.header());
            k.put("seconds", r.millis() / 1000.0);
            k.put("unavailable", r.unavailable());
            k.put("counts", r.counts());
            k.put("skipped", r.skipped());
            k.put("unsupported", r.unsupported());
            k.put("failed_expectations", r.failures());
            k.put("clean", r.clean(strict));
            List<Object> list = new ArrayList<>();
            for (Scenario s : scenarios) {
                Map<String, Object> one = Json.object();
                one.put("label", Common.label(s));
                one.put("cell", r.cells().get(Common.label(s)));
                one.put("comparison", r.details().get(Common.label(s)));
                list.add(one);
            }
            k.put("scenarios", list);
            ks.add(k);
        }
        doc.put("kernels", ks);
        return Json.write(doc);
    }
}
