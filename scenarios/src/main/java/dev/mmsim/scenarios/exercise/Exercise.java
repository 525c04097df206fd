package dev.mmsim.scenarios.exercise;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.lang.ScenarioSyntaxException;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.util.ArrayList;
import java.util.List;

/**
 * One generated exercise: a scenario whose question statements the student predicts.
 *
 * @param topic      what it practises
 * @param seed       the seed it was generated from
 * @param statements the scenario's statements, in order, the first being {@code scenario NAME}
 * @param questions  for each statement, its question number (1, 2, ...) or 0 when it is not asked
 */
public record Exercise(Topic topic, long seed, List<String> statements, List<Integer> questions) {

    /** The exercise as a scenario file: the questions marked {@code # Qn}, their results left out. */
    public String render() {
        return render(null);
    }

    /**
     * The exercise with the answers written as expectations ({@code => RESULT}), so that replaying
     * the file checks them, and the walk of each {@code trace scan} as comments.
     */
    public String render(Transcript answers) {
        StringBuilder sb = new StringBuilder();
        sb.append("# mmsim exercise --seed ").append(seed).append(" --topic ").append(topic.word).append(": ")
                .append(topic.title).append('\n');
        for (String line : topic.intro) sb.append("# ").append(line).append('\n');
        if (answers == null) {
            sb.append("# Predict the result of each statement marked Qn. To check yourself, save this file, write your\n")
                    .append("# prediction after the statement as '=> RESULT' and run: mmsim replay FILE\n")
                    .append("# The answers: mmsim exercise --seed ").append(seed).append(" --topic ").append(topic.word)
                    .append(" --answers\n");
        } else {
            sb.append("# Answers computed by the simulator for the host ").append(hostLine(answers)).append('\n')
                    .append("# (mmsim replay follows this machine's profile; --host-profile chooses another).\n")
                    .append("# To confirm them on this machine's kernel, save this file and run: mmsim diff FILE\n");
        }
        int width = 0;
        for (String s : statements) width = Math.max(width, s.length());
        for (int i = 0; i < statements.size(); i++) {
            String s = statements.get(i);
            int q = questions.get(i);
            if (q == 0) {
                sb.append(s).append('\n');
                continue;
            }
            Transcript.Line line = answers == null ? null : line(answers, lineOf(i));
            if (line == null) {
                sb.append(s).append(" ".repeat(width - s.length() + 2)).append("# Q").append(q).append('\n');
            } else {
                sb.append("# Q").append(q).append(":\n").append(s).append(" => ").append(line.result()).append('\n');
                for (String note : line.notes()) sb.append("#   ").append(note).append('\n');
            }
        }
        if (answers != null && answers.outcome().kind() != dev.mmsim.scenarios.run.Outcome.Kind.PASSED) {
            sb.append("# the simulator's replay ended: ").append(answers.outcome().render()).append('\n');
        }
        return sb.toString();
    }

    /** The file line of statement i in {@link #render()}: after the header comments. */
    int lineOf(int i) {
        return topic.intro.size() + 4 + i + 1;
    }

    /** The scenario as a parsed {@link Scenario}, with the line numbers {@link #render()} gives it. */
    public Scenario scenario() {
        try {
            return ScenarioParser.parse("exercise-" + topic.word + "-" + seed + ".scn", render());
        } catch (ScenarioSyntaxException e) {
            throw new IllegalStateException("generated an exercise that does not parse: " + e.getMessage(), e);
        }
    }

    /** Replays the exercise on the simulator following {@code host}: the answers. */
    public Transcript answer(Runner runner, HostProfile host) {
        return runner.sim(scenario(), host);
    }

    /** The number of questions. */
    public int questionCount() {
        int n = 0;
        for (int q : questions) if (q > 0) n++;
        return n;
    }

    private static Transcript.Line line(Transcript t, int line) {
        for (Transcript.Line l : t.lines()) if (l.line() == line) return l;
        return null;
    }

    private static String hostLine(Transcript t) {
        for (String h : t.header()) if (h.startsWith("host: ")) return h.substring(6);
        return "(unknown)";
    }

    /** Collects statements while a generator writes them. */
    static final class Builder {
        private final List<String> statements = new ArrayList<>();
        private final List<Integer> questions = new ArrayList<>();
        private int asked;

        Builder(String name) {
            statements.add("scenario " + name);
            questions.add(0);
        }

        Builder does(String statement) {
            statements.add(statement);
            questions.add(0);
            return this;
        }

        Builder asks(String statement) {
            statements.add(statement);
            questions.add(++asked);
            return this;
        }

        Exercise build(Topic topic, long seed) {
            return new Exercise(topic, seed, List.copyOf(statements), List.copyOf(questions));
        }
    }
}
