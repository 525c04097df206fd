package dev.mmsim.scenarios.cli;

import dev.mmsim.core.KernelProfile;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.SemanticChoice;
import dev.mmsim.core.SemanticExtension;
import dev.mmsim.scenarios.ext.SemanticClasses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import picocli.CommandLine.Option;

/**
 * The options that choose the simulator's semantics ({@code --profile}, {@code --set},
 * {@code --semantic-class}), shared as a picocli mixin; see src/site/markdown/semantics.md.
 */
final class SemanticOptions {
    @Option(names = "--profile", paramLabel = "PROFILE",
            description = {"Simulate this kernel release instead of each scenario's own profile:",
                "linux-6.1 .. linux-6.19 or newest."})
    String profile;

    @Option(names = "--set", paramLabel = "NAME=on|off",
            description = {"Switch a simulator semantic after the profile is applied (repeatable), e.g.",
                "--set sticky_flags=off. Names: ${COMPLETION-CANDIDATES}."},
            completionCandidates = SemanticNames.class)
    List<String> settings = new ArrayList<>();

    @Option(names = "--semantic-class", paramLabel = "CLASS|FILE.java",
            description = {"Load a dev.mmsim.core.SemanticExtension: a class name on the class path, or a",
                ".java file compiled on the fly."})
    String semanticClass;

    /** The choice the options describe; a bad value is a user error (exit status 2). */
    SemanticChoice choice() {
        return new SemanticChoice(profile == null ? null : profile(profile), settings(), extension());
    }

    /** Whether any option was given. */
    boolean any() {
        return profile != null || !settings.isEmpty() || semanticClass != null;
    }

    private static KernelProfile profile(String name) {
        try {
            return KernelProfile.named(name);
        } catch (IllegalArgumentException e) {
            throw new Main.UserError("mmsim: --profile: " + e.getMessage());
        }
    }

    private Map<Semantic, Boolean> settings() {
        Map<Semantic, Boolean> out = new EnumMap<>(Semantic.class);
        for (String setting : settings) {
            String[] kv = setting.split("=", 2);
            Semantic s = Semantic.byName(kv[0]);
            if (s == null) {
                SemanticNames names = new SemanticNames();
                String hint = dev.mmsim.scenarios.lang.Spelling.didYouMean(kv[0], names);
                throw new Main.UserError("mmsim: --set: unknown semantic '" + kv[0] + "'"
                        + (hint.isEmpty() ? " (known: " + String.join(", ", names) + ")" : hint));
            }
            if (kv.length != 2 || !(kv[1].equals("on") || kv[1].equals("off"))) {
                throw new Main.UserError("mmsim: --set: expected " + kv[0] + "=on or " + kv[0] + "=off, got '"
                        + setting + "'");
            }
            out.put(s, kv[1].equals("on"));
        }
        return out;
    }

    private SemanticExtension extension() {
        if (semanticClass == null) return SemanticExtension.KERNEL;
        try {
            return SemanticClasses.load(semanticClass);
        } catch (SemanticClasses.LoadException e) {
            throw new Main.UserError("mmsim: --semantic-class " + semanticClass + ": " + e.getMessage());
        }
    }

    /** The semantic names, for help and errors. */
    static final class SemanticNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        SemanticNames() {
            super(Arrays.stream(Semantic.values()).map(s -> s.scenarioName).collect(Collectors.toList()));
        }
    }
}
