package dev.mmsim.scenarios.cli;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.lang.ScenarioSyntaxException;
import dev.mmsim.scenarios.run.Corpus;
import dev.mmsim.scenarios.run.Json;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.KernelTarget;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.vm.KernelSpec;
import dev.mmsim.scenarios.vm.VmException;
import dev.mmsim.scenarios.vm.VmTarget;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options and helpers shared by the replaying subcommands. */
class Common {
    @Option(names = "--arena", paramLabel = "ADDR", description = "Arena start address (default: ${DEFAULT-VALUE}).",
            defaultValue = "0x100000000000", converter = AddressConverter.class)
    long arena = Layout.DEFAULT_ARENA;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Time limit per scenario on the kernel backend (default: ${DEFAULT-VALUE}).", defaultValue = "60")
    int timeout = 60;

    @Option(names = "--json", description = {"Print one JSON document (schema_version " + Json.SCHEMA_VERSION
            + ", schema: mmsim-output.schema.json) instead of text."})
    boolean json;

    @Option(names = "--strict", description = {"For CI: a scenario skipped or unsupported (and so an unavailable",
        "kernel backend) counts as a failure, exit status 1."})
    boolean strict;

    @Mixin
    SemanticOptions semantics = new SemanticOptions();

    /** A runner with the semantics the options chose; a bad option is a user error. */
    Runner runner() {
        checkLimits();
        return new Runner(arena, timeout, semantics.choice());
    }

    /**
     * The arena and the time limit are the kernel backend's safety too: the confinement zone around
     * the arena must stay clear of the agent's own mappings, and every scenario has a time limit.
     */
    void checkLimits() {
        String why = Layout.checkArena(arena);
        if (why != null) throw new Main.UserError("mmsim: --arena 0x" + Long.toHexString(arena) + ": " + why);
        if (timeout < 1 || timeout > 86_400)
            throw new Main.UserError("mmsim: --timeout " + timeout + ": must be 1 to 86400 seconds (every scenario has a time limit)");
    }

    /**
     * A runner against {@code target}; {@code explicit}: the user named the kernel with
     * {@code --kernel}, so the command line's switches are checked against it.
     */
    Runner runner(KernelTarget target, boolean explicit) {
        checkLimits();
        return new Runner(arena, timeout, semantics.choice(), target, explicit);
    }

    /**
     * The kernel {@code --kernel K} names: this host's, or a VM booted now (fetching a Debian
     * kernel first); a kernel that cannot be had is a one-line error (exit status 2).
     */
    static KernelTarget openKernel(String spec) {
        KernelSpec k;
        try {
            k = KernelSpec.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new Main.UserError("mmsim: " + e.getMessage());
        }
        if (k.kind() == KernelSpec.Kind.HOST) return KernelTarget.host();
        try {
            return VmTarget.open(k, msg -> System.err.println("mmsim: " + msg));
        } catch (VmException e) {
            throw new Main.UserError("mmsim: --kernel " + spec + ": " + e.getMessage());
        }
    }

    /** The text of {@code --kernel}'s help. */
    static final String KERNEL_HELP = "host (default), a kernel image (bzImage) or debian:SERIES[.POINT]"
            + " (debian:6.12, debian:6.1, debian:6.12.111): booted under QEMU, one VM for the run.";

    /** The name standard input goes by in errors and transcripts. */
    static final String STDIN = "<stdin>";

    /** The bytes the last {@link #load} read from standard input (for --bless of '-'). */
    private static byte[] lastStdin = new byte[0];

    static byte[] lastStdin() {
        return lastStdin;
    }

    /** Whether an argument means standard input: {@code -} or {@code /dev/stdin}. */
    static boolean isStdin(Path p) {
        return p.toString().equals("-") || p.toString().equals("/dev/stdin");
    }

    /**
     * Parses every scenario named by the arguments ({@code -} or {@code /dev/stdin}: one scenario
     * read from standard input); syntax errors are user errors (exit 2).
     */
    static List<Scenario> load(List<Path> args) {
        return load(args, System.in);
    }

    static List<Scenario> load(List<Path> args, java.io.InputStream stdin) {
        List<Path> files = Corpus.files(args);
        if (files.isEmpty()) throw new Main.UserError("mmsim: no .scn files in " + args);
        List<Scenario> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        boolean stdinRead = false;
        for (Path f : files) {
            if (isStdin(f)) {
                if (stdinRead) {
                    errors.add("mmsim: standard input named twice");
                    continue;
                }
                stdinRead = true;
                try {
                    lastStdin = stdin.readAllBytes();
                    out.add(ScenarioParser.parse(STDIN, lastStdin));
                } catch (ScenarioSyntaxException e) {
                    errors.add(e.getMessage());
                } catch (IOException e) {
                    errors.add("mmsim: standard input: cannot read (" + e.getMessage() + ")");
                }
                continue;
            }
            String problem = notARegularFile(f);
            if (problem != null) {
                errors.add("mmsim: " + f + ": " + problem);
                continue;
            }
            try {
                out.add(ScenarioParser.parse(f));
            } catch (ScenarioSyntaxException e) {
                errors.add(e.getMessage());
            } catch (AccessDeniedException e) {
                errors.add("mmsim: " + f + ": permission denied");
            } catch (IOException e) {
                errors.add("mmsim: " + f + ": cannot read (" + e.getMessage() + ")");
            }
        }
        if (!errors.isEmpty()) throw new Main.UserError(String.join("\n", errors));
        return out;
    }

    /** The file-type bits of a Unix mode, and the types that are not regular files. */
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    /**
     * Why {@code f} cannot be read as a scenario without opening it, or null if it is a regular
     * file (links followed): {@code no such file}, {@code is a directory}, {@code is a FIFO, not a
     * regular file}, and so on. Only its attributes are read, so a FIFO never blocks.
     */
    static String notARegularFile(Path f) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return "no such file";
        } catch (AccessDeniedException e) {
            return "permission denied";
        } catch (IOException e) {
            return "cannot read (" + e.getMessage() + ")";
        }
        if (attributes.isRegularFile()) return null;
        if (attributes.isDirectory()) return "is a directory";
        String kind;
        try {
            kind = switch ((Integer) Files.getAttribute(f, "unix:mode") & S_IFMT) {
                case S_IFIFO -> "a FIFO";
                case S_IFCHR, S_IFBLK -> "a device";
                case S_IFSOCK -> "a socket";
                default -> "something else";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            kind = "something else"; // no "unix" attribute view on this platform
        }
        return "is " + kind + ", not a regular file";
    }

    /** The path relative to the built-in corpus when it is in there. */
    static String label(Scenario s) {
        if (s.file() == null) return s.name();
        Path abs = s.file().toAbsolutePath().normalize();
        Path corpus = Corpus.builtin().toAbsolutePath().normalize();
        return abs.startsWith(corpus) ? corpus.relativize(abs).toString() : s.file().toString();
    }

    static HostProfile parseHost(String text) {
        try {
            return HostProfile.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Main.UserError("mmsim: --host-profile: " + e.getMessage());
        }
    }

    /** Accepts 0x hex or decimal addresses. */
    static final class AddressConverter implements picocli.CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return Long.decode(value);
        }
    }
}
