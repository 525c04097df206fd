package dev.mmsim.scenarios.cli;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.run.Outcome;
import dev.mmsim.scenarios.run.KernelTarget;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import dev.mmsim.scenarios.run.Bless;
import dev.mmsim.scenarios.run.Comparison;
import dev.mmsim.scenarios.run.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "replay", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Replay scenarios on one backend and print their transcripts.", "",
            "Each statement prints as 'LINE: STATEMENT => RESULT'. Lines starting with '#' are",
            "headers (host profile, outcome) and walk traces. A statement with '=> EXPECTED'",
            "is checked; a mismatch prints 'FILE:LINE: expected X, got Y' and the run exits 1.",
            "FILE '-' (or /dev/stdin) reads one scenario from standard input."},
        footer = {"", "Examples:", "  mmsim replay scenarios/corpus/guard-regions/basic-anon.scn",
            "  mmsim replay --backend kernel scenarios/corpus",
            "  mmsim replay --html /tmp/walk.html scenarios/corpus/teaching/walk.scn   # pictures, open in a browser",
            "  mmsim replay --host-profile zero_page=on FILE.scn   # simulate a host with the zero page",
            "  mmsim replay --kernel debian:6.12 FILE.scn          # simulate what Debian's 6.12 does",
            "  mmsim replay --backend kernel --kernel debian:6.12 FILE.scn   # run it there",
            "  mmsim replay --json FILE.scn | jq '.transcripts[0].lines[].detail'",
            "  mmsim replay --bless FILE.scn                       # write the results back as '=> ...'",
            "  printf 'scenario t\\nmmap A 1p rw private anon\\n' | mmsim replay -"})
final class ReplayCommand extends Common implements Callable<Integer> {
    @Option(names = "--backend", paramLabel = "sim|kernel",
            description = "Where to run: the simulator (default) or this host's kernel.")
    String backend;

    @Option(names = "--bless", description = {"Write the results back into each scenario file as '=> RESULT'",
        "expectations, keeping comments and layout. Both backends run first, and a scenario",
        "they disagree on (or the kernel did not run) is not blessed: exit status 1. With an",
        "explicit --backend sim the simulator's results are blessed alone, unchecked.",
        "For '-' the blessed text goes to stdout."})
    boolean bless;

    @Option(names = "--host-profile", paramLabel = "PROFILE",
            description = {"Host profile the simulator follows, e.g. 'zero_page=off,thp=madvise'.",
                "Default: probe this host when the kernel backend works, else upstream defaults."})
    String hostProfile;

    @Option(names = "--kernel", paramLabel = "K",
            description = {"The kernel the kernel backend runs on, and the simulator follows: " + KERNEL_HELP})
    String kernel;

    @Option(names = "--html", paramLabel = "OUT.html",
            description = {"Also write one self-contained page (inline SVG, no network) showing each statement:",
                "the VMAs, the page-table tree with the walk drawn on it, the scan's regions; step",
                "through it with previous/next. Simulator only."})
    Path html;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Scenario files or directories of them.")
    List<Path> paths;

    @Override
    public Integer call() {
        boolean simOnly = backend != null && backend.equals("sim");
        if (backend == null) backend = "sim";
        if (!backend.equals("sim") && !backend.equals("kernel"))
            throw new Main.UserError("mmsim: --backend must be sim or kernel, not '" + backend + "'");
        if (bless && json) throw new Main.UserError("mmsim: --bless and --json do not go together");
        if (html != null && backend.equals("kernel"))
            throw new Main.UserError("mmsim: --html draws the simulator's state; to see the kernel's results beside it,"
                    + " use: mmsim diff --html " + html + " FILE");
        Pictures pictures = Pictures.open(html);
        List<Scenario> scenarios = load(paths);
        if (bless) return bless(scenarios, simOnly);
        boolean needKernel = kernel != null || backend.equals("kernel") || hostProfile == null;
        try (KernelTarget target = kernel != null ? openKernel(kernel) : KernelTarget.host()) {
            Runner runner = runner(target, kernel != null);
            HostProfile host = hostProfile != null ? parseHost(hostProfile) : needKernel ? runner.host() : null;
            int status = 0;
            List<Object> transcripts = new ArrayList<>();
            for (Scenario s : scenarios) {
                Transcript t = backend.equals("sim") ? runner.sim(s, host, pictures.observer()) : runner.kernel(s);
                pictures.add(t, null);
                if (json) transcripts.add(t.toJsonValue());
                else System.out.print(t.render());
                Outcome.Kind k = t.outcome().kind();
                if (k != Outcome.Kind.PASSED && (strict || k != Outcome.Kind.SKIPPED && k != Outcome.Kind.UNSUPPORTED))
                    status = 1;
            }
            if (json) {
                Map<String, Object> doc = Json.document("replay");
                doc.put("backend", backend);
                doc.put("kernel", runner.target().label());
                doc.put("strict", strict);
                doc.put("exit_status", status);
                doc.put("transcripts", transcripts);
                System.out.println(Json.write(doc));
            }
            pictures.write();
            return status;
        }
    }

    /**
     * --bless: replays each scenario on both backends (only the simulator with an explicit
     * {@code --backend sim}) and writes the results back where they agree.
     */
    private int bless(List<Scenario> scenarios, boolean simOnly) {
        try (KernelTarget target = kernel != null ? openKernel(kernel) : KernelTarget.host()) {
            Runner runner = runner(target, kernel != null);
            HostProfile host = hostProfile != null ? parseHost(hostProfile) : runner.host();
            int status = 0;
            for (Scenario s : scenarios) {
                String label = Common.label(s);
                Transcript sim = runner.sim(s, host);
                String refusal = refusal(sim, simOnly ? null : runner.kernel(s));
                if (refusal != null) {
                    System.err.println("mmsim: not blessed: " + label + ": " + refusal);
                    status = 1;
                    continue;
                }
                try {
                    if (s.file() == null) {
                        System.out.print(Bless.rewrite(new String(stdinText(), StandardCharsets.UTF_8), sim));
                        continue;
                    }
                    String before = Files.readString(s.file());
                    String after = Bless.rewrite(before, sim);
                    if (after.equals(before)) {
                        System.out.println("unchanged " + label);
                        continue;
                    }
                    Path tmp = s.file().resolveSibling(s.file().getFileName() + ".bless.tmp");
                    Files.writeString(tmp, after);
                    Files.move(tmp, s.file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    System.out.println("blessed   " + label + (simOnly ? " (simulator only)" : ""));
                } catch (IOException e) {
                    throw new Main.UserError("mmsim: cannot bless " + label + ": " + e.getMessage());
                }
            }
            return status;
        }
    }

    /**
     * Why a scenario's results may not be blessed, or null: the simulator did not run it to the
     * end, or (unless {@code kernel} is null: --backend sim) the kernel did not run it or the two
     * disagree.
     */
    static String refusal(Transcript sim, Transcript kernel) {
        if (sim.outcome().kind() == Outcome.Kind.UNSUPPORTED || sim.outcome().kind() == Outcome.Kind.ERROR
                || sim.outcome().kind() == Outcome.Kind.TIMEOUT)
            return "the simulator did not run it to the end: " + sim.outcome().render();
        if (kernel == null) return null;
        Comparison c = Comparison.of(sim, kernel);
        return switch (c.verdict()) {
            case AGREE -> null;
            case DIFFER -> "the backends disagree at " + c.explain().replace("\n", "\n  ");
            default -> "the kernel backend did not run it (" + c.explain()
                    + "); --backend sim blesses the simulator's results unchecked";
        };
    }

    /** The scenario text read from standard input, kept by {@link Common#load} for --bless. */
    private byte[] stdinText() {
        return Common.lastStdin();
    }
}
