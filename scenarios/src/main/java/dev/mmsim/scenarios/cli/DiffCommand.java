package dev.mmsim.scenarios.cli;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.run.Comparison;
import dev.mmsim.scenarios.run.KernelTarget;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Replay scenarios on the kernel and on the simulator (following the host profile the",
            "kernel backend measured) and report, for each that differs, the first statement whose",
            "results differ, with both results."},
        footer = {"", "Examples:", "  mmsim diff scenarios/corpus/pagemap-ioctl",
            "  mmsim diff --kernel debian:6.12 scenarios/corpus/merge",
            "  mmsim diff --html /tmp/diff.html FILE.scn     # pictures, with both results where they differ",
            "  mmsim diff --kernel ./arch/x86/boot/bzImage --set sticky_flags=off FILE.scn"})
final class DiffCommand extends Common implements Callable<Integer> {
    @Option(names = "--kernel", paramLabel = "K", description = {"The kernel to compare with: " + KERNEL_HELP,
        "The simulator follows its release and probe; --set and --semantic-class then apply on top,",
        "so that a prototyped semantic is compared with a (patched) kernel."})
    String kernel;

    @Option(names = "--html", paramLabel = "OUT.html",
            description = {"Also write one self-contained page of the simulator's state statement by statement",
                "(as replay --html), with the kernel's result beside each statement where they differ."})
    Path html;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Scenario files or directories of them.")
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

    private static int diff(List<Scenario> scenarios, Runner runner, Pictures pictures) {
        int status = 0;
        HostProfile host = runner.host();
        for (Scenario s : scenarios) {
            Transcript k = runner.kernel(s, pictures::kernelObserver);
            Transcript sim = runner.sim(s, host, pictures.observer());
            pictures.add(sim, k);
            Comparison c = Comparison.of(sim, k);
            String label = s.file() == null ? s.name() : s.file().toString();
            switch (c.verdict()) {
                case AGREE -> System.out.println("agree    " + label);
                case DIFFER -> {
                    System.out.println("DIFFER   " + label);
                    System.out.println("  " + c.explain().replace("\n", "\n  "));
                    status = 1;
                }
                case ERROR -> {
                    System.out.println("ERROR    " + label + ": " + c.explain());
                    status = 1;
                }
                default -> System.out.println(String.format("%-8s %s: %s", c.verdict().name().toLowerCase(), label, c.explain()));
            }
        }
        return status;
    }
}
