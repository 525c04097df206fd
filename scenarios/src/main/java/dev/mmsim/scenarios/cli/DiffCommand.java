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
            "  mmsim diff --kernel ./arch/x86/boot/bzImage --set sticky_flags=off FILE.scn"})
final class DiffCommand extends Common implements Callable<Integer> {
    @Option(names = "--kernel", paramLabel = "K", description = {"The kernel to compare with: " + KERNEL_HELP,
        "The simulator follows its release and probe; --set and --semantic-class then apply on top,",
        "so that a prototyped semantic is compared with a (patched) kernel."})
    String kernel;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Scenario files or directories of them.")
    List<Path> paths;

    @Override
    public Integer call() {
        List<Scenario> scenarios = load(paths);
        try (KernelTarget target = kernel != null ? openKernel(kernel) : KernelTarget.host()) {
            return diff(scenarios, runner(target, kernel != null));
        }
    }

    private static int diff(List<Scenario> scenarios, Runner runner) {
        int status = 0;
        HostProfile host = runner.host();
        for (Scenario s : scenarios) {
            Transcript k = runner.kernel(s);
            Transcript sim = runner.sim(s, host);
            Comparison c = Comparison.of(sim, k);
            String label = s.file() == null ? s.name() : s.file().toString();
            switch (c.verdict()) {
                case AGREE -> System.out.println("agree    " + label);
                case DIFFER -> {
                    System.out.println("DIFFER   " + label);
                    System.out.println("  " + c.explain().replace("\n", "\n  "));
                    status = 1;
                }
                case ERROR, TIMEOUT -> {
                    System.out.println(String.format("%-8s %s: %s", c.verdict().name(), label, c.explain()));
                    status = 1;
                }
                default -> System.out.println(String.format("%-8s %s: %s", c.verdict().name().toLowerCase(), label, c.explain()));
            }
        }
        return status;
    }
}
