package dev.mmsim.scenarios.cli;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.run.Comparison;
import dev.mmsim.scenarios.run.Json;
import dev.mmsim.scenarios.run.KernelTarget;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Replay scenarios on the kernel and on the simulator (following the host profile the",
            "kernel backend measured) and report, for each that differs, the first statement whose",
            "results differ, with both results. Skipped and unsupported scenarios are listed with",
            "their reason; they fail the run only under --strict."},
        footer = {"", "Examples:", "  mmsim diff scenarios/corpus/pagemap-ioctl",
            "  mmsim diff --kernel debian:6.12 scenarios/corpus/merge",
            "  mmsim diff --html /tmp/diff.html FILE.scn     # pictures, with both results where they differ",
            "  mmsim diff --kernel ./arch/x86/boot/bzImage --set sticky_flags=off FILE.scn",
            "  mmsim diff --strict --junit-xml diff.xml scenarios/corpus   # for CI"})
final class DiffCommand extends Common implements Callable<Integer> {
    @Option(names = "--kernel", paramLabel = "K", description = {"The kernel to compare with: " + KERNEL_HELP,
        "The simulator follows its release and probe; --set and --semantic-class then apply on top,",
        "so that a prototyped semantic is compared with a (patched) kernel."})
    String kernel;

    @Mixin
    CiReport.Options reports = new CiReport.Options();

    @Option(names = "--html", paramLabel = "OUT.html",
            description = {"Also write one self-contained page of the simulator's state statement by statement",
                "(as replay --html), with the kernel's result beside each statement where they differ."})
    Path html;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Scenario files or directories of them ('-': standard input).")
    List<Path> paths;

    @Override
    public Integer call() {
        Pictures pictures = Pictures.open(html);
        List<Scenario> scenarios = load(paths);
        try (KernelTarget target = kernel != null ? openKernel(kernel) : KernelTarget.host()) {
            int status = diff(scenarios, runner(target, kernel != null), pictures);
            pictures.write();
            return status;
        }
    }

    private int diff(List<Scenario> scenarios, Runner runner, Pictures pictures) {
        int status = 0;
        HostProfile host = runner.host();
        List<Object> results = new ArrayList<>();
        CiReport ci = new CiReport();
        for (Scenario s : scenarios) {
            long start = System.nanoTime();
            Transcript k = runner.kernel(s, pictures::kernelObserver);
            Transcript sim = runner.sim(s, host, pictures.observer());
            pictures.add(sim, k);
            Comparison c = Comparison.of(sim, k);
            String label = s.file() == null ? s.name() : s.file().toString();
            if (json) results.add(c.toJsonValue(label));
            CiReport.Status cs = ciStatus(c);
            ci.add("diff." + runner.target().label(), label, cs, cs == CiReport.Status.PASSED ? null : c.explain(),
                    (System.nanoTime() - start) / 1e9);
            if (cs == CiReport.Status.FAILED || cs == CiReport.Status.ERROR || strict && cs == CiReport.Status.SKIPPED)
                status = 1;
            if (json) continue;
            switch (c.verdict()) {
                case AGREE -> System.out.println("agree    " + label);
                case DIFFER -> {
                    System.out.println("DIFFER   " + label);
                    System.out.println("  " + c.explain().replace("\n", "\n  "));
                }
                case ERROR, TIMEOUT -> System.out.println(String.format("%-8s %s: %s", c.verdict().name(), label, c.explain()));
                default -> System.out.println(String.format("%-8s %s: %s", c.verdict().name().toLowerCase(), label, c.explain()));
            }
        }
        if (json) {
            Map<String, Object> doc = Json.document("diff");
            doc.put("kernel", runner.target().label());
            doc.put("host", host.render());
            doc.put("strict", strict);
            doc.put("exit_status", status);
            doc.put("scenarios", results);
            System.out.println(Json.write(doc));
        }
        reports.write("mmsim diff", ci.cases(), strict);
        return status;
    }

    /** AGREE passes, DIFFER and TIMEOUT fail, ERROR errs; SKIPPED and UNSUPPORTED are skips. */
    static CiReport.Status ciStatus(Comparison c) {
        return switch (c.verdict()) {
            case AGREE -> CiReport.Status.PASSED;
            case DIFFER, TIMEOUT -> CiReport.Status.FAILED;
            case ERROR -> CiReport.Status.ERROR;
            default -> CiReport.Status.SKIPPED;
        };
    }
}
