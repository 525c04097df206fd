package dev.mmsim.scenarios.fuzz;

import dev.mmsim.scenarios.lang.ScenarioSyntaxException;
import dev.mmsim.scenarios.run.AgentBuild;
import dev.mmsim.scenarios.run.Comparison;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The machine-readable list of known differences between the simulator and the kernel: every
 * {@code .scn} file of a directory ({@code scenarios/known-gaps/} by default), each a
 * {@link KnownGap}. {@code KNOWN-GAPS.md} at the repository root is the same list for humans. The
 * list only shrinks: a test fails when a gap's scenario no longer differs.
 *
 * <p>How a mismatch is classified: a gap explains it when its first difference is where the gap
 * says it shows (if it says), a statement matching one of the gap's triggers runs before the first
 * difference, and the case without the matching statements either agrees or differs in another
 * way (another signature), which is then classified in turn. Each
 * step is a counterfactual replay: the triggering statements must have caused the difference, not
 * merely been there. When no one gap's statements did, those of all the gaps that apply are taken
 * out together (a difference with two causes, each enough on its own). What no gap explains is
 * unexplained, and it is reported without the statements of the gaps that explained the rest.
 */
public final class KnownGaps {
    /**
     * How a mismatch was accounted for.
     *
     * @param gaps the gaps that explained (part of) it, in order
     * @param rest the mismatch that remains unexplained, or null
     */
    record Explanation(List<KnownGap> gaps, Mismatch rest) {}

    private final List<KnownGap> gaps;

    private KnownGaps(List<KnownGap> gaps) {
        this.gaps = List.copyOf(gaps);
    }

    /** {@code scenarios/known-gaps} under the project root. */
    public static Path defaultDirectory() {
        return AgentBuild.home().resolve("scenarios/known-gaps");
    }

    /** No known gaps: every mismatch is unexplained. */
    public static KnownGaps none() {
        return new KnownGaps(List.of());
    }

    /** Every gap in dir, by file name; a missing directory holds none. */
    public static KnownGaps load(Path dir) throws IOException, ScenarioSyntaxException {
        List<KnownGap> gaps = new ArrayList<>();
        if (!Files.isDirectory(dir)) return new KnownGaps(gaps);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".scn")).sorted().toList();
        }
        for (Path f : files) gaps.add(KnownGap.load(f));
        return new KnownGaps(gaps);
    }

    public List<KnownGap> all() {
        return gaps;
    }

    /** Accounts for a mismatch, replaying counterfactual cases on the runner. */
    Explanation explain(DifferentialRunner runner, Mismatch m) {
        List<KnownGap> used = new ArrayList<>();
        Mismatch current = m;
        for (Step step = explainOne(runner, current, used); step != null; step = explainOne(runner, current, used)) {
            used.addAll(step.gaps());
            if (step.rest() == null) return new Explanation(used, null);
            current = step.rest();
        }
        return new Explanation(used, current);
    }

    /** Gaps explaining a difference, and the mismatch that remains without their triggers, or null. */
    private record Step(List<KnownGap> gaps, Mismatch rest) {}

    /**
     * The first gap, not used yet, whose triggering statements caused current's difference; else,
     * when no one gap did, all the gaps that apply together (two causes of one difference, each
     * enough on its own); or null.
     */
    private Step explainOne(DifferentialRunner runner, Mismatch current, List<KnownGap> used) {
        List<KnownGap> applicable = new ArrayList<>();
        for (KnownGap g : gaps) {
            if (used.contains(g) || !g.appliesTo(current)) continue;
            applicable.add(g);
            Step step = counterfactual(runner, current, List.of(g));
            if (step != null) return step;
        }
        return applicable.size() > 1 ? counterfactual(runner, current, applicable) : null;
    }

    /** What removing the triggering lines of these gaps does to current's difference, or null if nothing. */
    private static Step counterfactual(DifferentialRunner runner, Mismatch current, List<KnownGap> together) {
        Set<Integer> lines = new HashSet<>();
        for (KnownGap g : together) lines.addAll(g.triggeredLines(current));
        FuzzCase without = current.fuzzCase().without(lines);
        Comparison again;
        try {
            again = runner.compare(without.scenario());
        } catch (ScenarioSyntaxException removedTooMuch) {
            return null;
        }
        if (again.verdict() == Comparison.Verdict.AGREE) return new Step(together, null);
        if (again.verdict() == Comparison.Verdict.DIFFER && !Signature.of(again).equals(current.signature())) {
            return new Step(together, Mismatch.of(without, again));
        }
        return null;
    }
}
