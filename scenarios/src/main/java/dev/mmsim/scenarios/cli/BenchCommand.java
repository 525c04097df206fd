package dev.mmsim.scenarios.cli;

import dev.mmsim.scenarios.bench.Bench;
import dev.mmsim.scenarios.bench.BenchReport;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Time the simulator and this host's kernel on the same layouts and print them side by side:",
            "  a  PAGEMAP_SCAN, all categories, over 1 GiB of populated anonymous memory",
            "  b  the same over 64 GiB reserved (MAP_NORESERVE) with one populated page per 2 MiB",
            "  c  PAGEMAP_SCAN with category_mask guard over 1 TiB with 4096 scattered guard regions",
            "  d  a seeded mix of mmap, mprotect and madvise calls (time per call)",
            "  e  the simulator's heap bytes per populated PTE at 16 M PTEs",
            "  f  MADV_POPULATE_WRITE of the 1 GiB of (a) after MADV_DONTNEED",
            "  g  the whole corpus replayed on the simulator, warm",
            "Kernel times are taken inside the agent around the system calls. The column sim/kernel is",
            "the ratio of the medians. Progress goes to stderr, the table to stdout."},
        footer = {"", "Examples:", "  mmsim bench", "  mmsim bench --json > bench.json",
            "  mmsim bench --scale 0.01 --reps 3     # a quick run with every size divided by 100"})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--scale", paramLabel = "FACTOR", defaultValue = "1",
            description = "Multiply every size by FACTOR (default: ${DEFAULT-VALUE}).")
    double scale;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5",
            description = "Untimed repetitions before the timed ones, at least (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "2",
            description = {"Warm up for at least S seconds on each side, so that the JIT has compiled",
                "the simulator before timing starts (default: ${DEFAULT-VALUE})."})
    double warmupSeconds;

    @Option(names = "--reps", paramLabel = "N", defaultValue = "7",
            description = "Timed repetitions (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--sim-only", description = "Do not run the kernel side.")
    boolean simOnly;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "1800",
            description = "Time limit of the agent for the whole run (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--json", description = "Print the report as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        if (!(scale > 0) || scale > 4) throw new Main.UserError("mmsim: --scale must be in (0, 4], not " + scale);
        if (warmup < 0 || !(warmupSeconds >= 0) || reps < 1)
            throw new Main.UserError("mmsim: --warmup and --warmup-seconds must be >= 0, --reps >= 1");
        if (timeout < 0) throw new Main.UserError("mmsim: --timeout must be >= 0");
        BenchReport report = Bench.run(new Bench.Options(scale, warmup, warmupSeconds, reps, !simOnly, timeout),
                line -> System.err.println("bench: " + line));
        System.out.print(json ? report.toJson() + "\n" : report.render());
        return 0;
    }
}
