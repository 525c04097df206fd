package dev.mmsim.scenarios.cli;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.run.Outcome;
import dev.mmsim.scenarios.run.KernelTarget;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "replay", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Replay scenarios on one backend and print their transcripts.", "",
            "Each statement prints as 'LINE: STATEMENT => RESULT'. Lines starting with '#' are",
            "headers (host profile, outcome) and walk traces. A statement with '=> EXPECTED'",
            "is checked; a mismatch prints 'FILE:LINE: expected X, got Y' and the run exits 1."},
        footer = {"", "Examples:", "  mmsim replay scenarios/corpus/guard-regions/basic-anon.scn",
            "  mmsim replay --backend kernel scenarios/corpus",
            "  mmsim replay --html /tmp/walk.html scenarios/corpus/teaching/walk.scn   # pictures, open in a browser",
            "  mmsim replay --host-profile zero_page=on FILE.scn   # simulate a host with the zero page",
            "  mmsim replay --kernel debian:6.12 FILE.scn          # simulate what Debian's 6.12 does",
            "  mmsim replay --backend kernel --kernel debian:6.12 FILE.scn   # run it there"})
final class ReplayCommand extends Common implements Callable<Integer> {
    @Option(names = "--backend", paramLabel = "sim|kernel", defaultValue = "sim",
            description = "Where to run: the simulator (default) or this host's kernel.")
    String backend;

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
        if (!backend.equals("sim") && !backend.equals("kernel"))
            throw new Main.UserError("mmsim: --backend must be sim or kernel, not '" + backend + "'");
        if (html != null && backend.equals("kernel"))
            throw new Main.UserError("mmsim: --html draws the simulator's state; to see the kernel's results beside it,"
                    + " use: mmsim diff --html " + html + " FILE");
        Pictures pictures = Pictures.open(html);
        List<Scenario> scenarios = load(paths);
        boolean needKernel = kernel != null || backend.equals("kernel") || hostProfile == null;
        try (KernelTarget target = kernel != null ? openKernel(kernel) : KernelTarget.host()) {
            Runner runner = runner(target, kernel != null);
            HostProfile host = hostProfile != null ? parseHost(hostProfile) : needKernel ? runner.host() : null;
            int status = 0;
            for (Scenario s : scenarios) {
                Transcript t = backend.equals("sim") ? runner.sim(s, host, pictures.observer()) : runner.kernel(s);
                pictures.add(t, null);
                System.out.print(json ? t.toJson() + "\n" : t.render());
                Outcome.Kind k = t.outcome().kind();
                if (k == Outcome.Kind.FAILED || k == Outcome.Kind.ERROR) status = 1;
            }
            pictures.write();
            return status;
        }
    }
}
