package dev.mmsim.scenarios.fuzz;

import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.lang.ScenarioSyntaxException;
import dev.mmsim.scenarios.lang.Step;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One entry of {@code scenarios/known-gaps/}: a minimal scenario on which the simulator and the
 * kernel differ for a reason that is understood, a comment saying what differs and why, one or
 * more {@code # trigger: PATTERN} lines naming the statements that cause the difference (a
 * {@link Trigger} over statement shapes and the kernel's results), and optionally
 * {@code # differs-at: PATTERN} lines restricting the first differing statement (a pattern over
 * its shape and, after {@code =>}, its delta). The scenario itself proves the triggers: it
 * differs, and without the statements they match it agrees ({@link KnownGaps} explains how
 * mismatches are classified with them).
 *
 * @param name the file name without {@code .scn}
 * @param file the file
 * @param scenario the parsed scenario
 * @param triggers the patterns of the statements that cause the difference
 * @param differsAt the patterns the first differing statement must match, or none
 */
public record KnownGap(String name, Path file, Scenario scenario, List<Trigger> triggers, List<Trigger> differsAt) {
    /** The comment line that names a trigger. */
    static final String TRIGGER_LINE = "# trigger: ";
    /** The comment line that restricts where the difference shows. */
    static final String DIFFERS_AT_LINE = "# differs-at: ";

    /** Copies the patterns. */
    public KnownGap {
        triggers = List.copyOf(triggers);
        differsAt = List.copyOf(differsAt);
    }

    /** Reads a gap file; it needs at least one trigger line. */
    public static KnownGap load(Path file) throws IOException, ScenarioSyntaxException {
        List<Trigger> triggers = new ArrayList<>();
        List<Trigger> differsAt = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(TRIGGER_LINE)) triggers.add(Trigger.parse(line.substring(TRIGGER_LINE.length())));
            if (line.startsWith(DIFFERS_AT_LINE)) differsAt.add(Trigger.parse(line.substring(DIFFERS_AT_LINE.length())));
        }
        if (triggers.isEmpty()) throw new IOException(file + ": no '" + TRIGGER_LINE.trim() + "' line");
        String name = file.getFileName().toString().replaceFirst("\\.scn$", "");
        return new KnownGap(name, file, ScenarioParser.parse(file), triggers, differsAt);
    }

    /** The gap's scenario as a fuzz case: its statements without the header. */
    public FuzzCase asCase() {
        List<String> lines = new ArrayList<>();
        for (Step step : scenario.steps()) {
            if (StatementShape.isOperationOrObservation(step.render())) lines.add(step.render());
        }
        return new FuzzCase(0, lines);
    }

    /**
     * Whether the gap may explain the mismatch: its first difference is where the gap's
     * {@code differs-at} patterns (if any) say, and a line matching a trigger ran before it (or
     * was it).
     */
    boolean appliesTo(Mismatch m) {
        boolean where = differsAt.isEmpty()
                || differsAt.stream().anyMatch(p -> p.matches(m.signature().statement(), m.signature().delta()));
        return where && triggeredBy(m);
    }

    private boolean triggeredBy(Mismatch m) {
        StatementShape shapes = new StatementShape(m.fuzzCase().lines());
        List<Mismatch.Executed> executed = m.executed();
        for (int i = 0; i <= m.differingLine() && i < executed.size(); i++) {
            if (triggers(shapes, executed.get(i))) return true;
        }
        return false;
    }

    /**
     * The mismatch's case without the lines that match a trigger; a triggering mmap takes the lines
     * that use its mapping along, a triggering fork the lines its child runs.
     */
    FuzzCase withoutTriggers(Mismatch m) {
        return m.fuzzCase().without(triggeredLines(m));
    }

    /** The indices of the lines {@link #withoutTriggers} leaves out. */
    Set<Integer> triggeredLines(Mismatch m) {
        List<String> lines = m.fuzzCase().lines();
        StatementShape shapes = new StatementShape(lines);
        List<Mismatch.Executed> executed = m.executed();
        Set<Integer> indices = new HashSet<>();
        for (int i = 0; i < executed.size(); i++) {
            if (!triggers(shapes, executed.get(i))) continue;
            List<String> words = FuzzCase.statementWords(lines.get(i));
            switch (words.get(0)) {
                case "mmap" -> indices.addAll(Names.usingMapping(lines, words.get(1)));
                case "fork" -> indices.addAll(Names.ofChild(lines, words.get(1)));
                default -> indices.add(i);
            }
        }
        return indices;
    }

    private boolean triggers(StatementShape shapes, Mismatch.Executed e) {
        String result = e.result() == null ? null : shapes.of(e.result());
        return triggers.stream().anyMatch(t -> t.matches(shapes.of(e.line()), result));
    }
}
