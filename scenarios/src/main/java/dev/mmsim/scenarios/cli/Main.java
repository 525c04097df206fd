package dev.mmsim.scenarios.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mmsim} command line. Each subcommand is a class in this package; this class only
 * wires them together and maps user mistakes to exit status 2 without stack traces.
 */
@Command(name = "mmsim", mixinStandardHelpOptions = true, version = "mmsim 0.1.0", usageHelpWidth = 110,
        description = {
            "An executable model of the Linux mm page walk: VMAs, page tables, guard regions,",
            "PAGEMAP_SCAN, /proc/pid/pagemap and smaps. A scenario file (.scn) is replayed on the",
            "simulator (sim) or on a real kernel (kernel): this host's, or another booted under QEMU",
            "(--kernel debian:6.12, --kernel ./bzImage), and the two transcripts are compared.",
            "",
            "Start with:  mmsim check              replay the whole corpus on both backends",
            "             mmsim replay FILE.scn    print a transcript (simulator)",
            "             mmsim diff FILE.scn      show where the simulator and the kernel disagree",
            "             mmsim probe              what this kernel has, and the profile it picks",
            "             mmsim replay --html OUT.html FILE.scn   the state statement by statement, as pictures",
            "             mmsim exercise --seed 3  predict what a small scenario prints (--answers)",
            "             mmsim check --kernel host --kernel debian:6.12 --kernel debian:6.1"},
        subcommands = {ReplayCommand.class, DiffCommand.class, CheckCommand.class, ProbeCommand.class, BenchCommand.class,
            CompareCommand.class, ExploreCommand.class, FuzzCommand.class, ExerciseCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Every command takes --help; replay, diff, check, compare, probe, bench and fuzz take --json",
            "(one document, schema: docs/mmsim-output.schema.json); check, diff and fuzz take --strict,",
            "--junit-xml FILE and --tap FILE for CI.",
            "", "Exit status: 0 all good, 1 a difference or failed expectation (under --strict also a skip),",
            "2 bad input or no command."})
public final class Main implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code mmsim} without a command: the usage on stderr, exit status 2 (a usage error). */
    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return 2;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit status (for tests). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof UserError ue) {
                cmd.getErr().println(ue.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    /** A mistake in the user's input: printed as is, exit status 2. */
    static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UserError(String message) {
            super(message);
        }
    }
}
