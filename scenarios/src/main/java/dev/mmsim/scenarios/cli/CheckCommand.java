package dev.mmsim.scenarios.cli;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.run.Comparison;
import dev.mmsim.scenarios.run.Corpus;
import dev.mmsim.scenarios.run.HostProbe;
import dev.mmsim.scenarios.run.AgentBuild;
import dev.mmsim.scenarios.run.Outcome;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "check", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Replay the corpus on the simulator and, where this host allows, on the real kernel,",
            "check every expectation, compare the transcripts and print a summary:",
            "  agree        both backends printed the same results",
            "  differ       they did not (the first differing statement is shown)",
            "  skipped      the kernel backend did not run it (the missing feature is named)",
            "  unsupported  the simulator does not model a statement of it yet",
            "Exits 0 only when nothing differs, no expectation fails and nothing breaks."},
        footer = {"", "Examples:", "  mmsim check", "  mmsim check scenarios/corpus/merge"})
final class CheckCommand extends Common implements Callable<Integer> {
    @Parameters(paramLabel = "DIR|FILE", arity = "0..*", description = "What to check (default: the built-in corpus).")
    List<Path> paths = new ArrayList<>();

    @Override
    public Integer call() {
        List<Scenario> scenarios = load(paths.isEmpty() ? List.of(Corpus.builtin()) : paths);
        Runner runner = runner();
        HostProfile host = Runner.defaultHost();
        try {
            System.out.println("# host: " + HostProbe.get().host().render());
        } catch (AgentBuild.Unavailable e) {
            System.out.println("# kernel backend unavailable: " + e.getMessage() + "; simulating " + host.render());
        }
        int agree = 0;
        int differ = 0;
        int errors = 0;
        Map<String, Integer> skipped = new TreeMap<>();
        Map<String, Integer> unsupported = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int i = 0;
        for (Scenario s : scenarios) {
            i++;
            String label = s.file() == null ? s.name() : Corpus.builtin().relativize(s.file().toAbsolutePath()).toString();
            Transcript sim = runner.sim(s, host);
            Transcript kernel = runner.kernel(s);
            Comparison c = Comparison.of(sim, kernel);
            failures.addAll(sim.failures());
            if (kernel.outcome().kind() != Outcome.Kind.SKIPPED) failures.addAll(kernel.failures());
            String verdict = switch (c.verdict()) {
                case AGREE -> { agree++; yield "agree"; }
                case DIFFER -> { differ++; yield "DIFFER"; }
                case ERROR -> { errors++; yield "ERROR"; }
                case SKIPPED -> { skipped.merge(kernel.outcome().reason(), 1, Integer::sum); yield "skipped"; }
                case UNSUPPORTED -> { unsupported.merge(sim.outcome().reason(), 1, Integer::sum); yield "unsupported"; }
            };
            System.out.printf("[%3d/%d] %-11s %s%n", i, scenarios.size(), verdict, label);
            if (c.verdict() != Comparison.Verdict.AGREE) System.out.println("        " + c.explain().replace("\n", "\n        "));
        }
        for (String f : failures) System.out.println(f);
        int skippedTotal = skipped.values().stream().mapToInt(Integer::intValue).sum();
        int unsupportedTotal = unsupported.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println();
        System.out.println("summary");
        System.out.printf("  %-13s %d%n", "agree", agree);
        System.out.printf("  %-13s %d%n", "differ", differ);
        System.out.printf("  %-13s %d%n", "skipped", skippedTotal);
        skipped.forEach((r, n) -> System.out.printf("    %-40s %d%n", r, n));
        System.out.printf("  %-13s %d%n", "unsupported", unsupportedTotal);
        unsupported.forEach((r, n) -> System.out.printf("    %-40s %d%n", r, n));
        System.out.printf("  %-13s %d%n", "errors", errors);
        System.out.printf("  %-13s %d%n", "failed expectations", failures.size());
        System.out.printf("  %-13s %d%n", "total", scenarios.size());
        return differ == 0 && errors == 0 && failures.isEmpty() ? 0 : 1;
    }
}
