package dev.mmsim.scenarios.cli;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.lang.ScenarioSyntaxException;
import dev.mmsim.scenarios.run.Corpus;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    @Option(names = "--json", description = "Print transcripts (or the summary) as JSON.")
    boolean json;

    @Mixin
    SemanticOptions semantics = new SemanticOptions();

    /** A runner with the semantics the options chose; a bad option is a user error. */
    Runner runner() {
        return new Runner(arena, timeout, semantics.choice());
    }

    /** Parses every scenario named by the arguments; syntax errors are user errors (exit 2). */
    static List<Scenario> load(List<Path> args) {
        List<Path> files = Corpus.files(args);
        if (files.isEmpty()) throw new Main.UserError("mmsim: no .scn files in " + args);
        List<Scenario> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                errors.add("mmsim: " + f + ": no such file");
                continue;
            }
            try {
                out.add(ScenarioParser.parse(f));
            } catch (ScenarioSyntaxException e) {
                errors.add(e.getMessage());
            } catch (IOException e) {
                errors.add("mmsim: " + f + ": cannot read (" + e.getMessage() + ")");
            }
        }
        if (!errors.isEmpty()) throw new Main.UserError(String.join("\n", errors));
        return out;
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
