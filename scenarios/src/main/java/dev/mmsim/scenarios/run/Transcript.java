package dev.mmsim.scenarios.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The record of one replay: header lines (beginning with {@code # }, never compared), one
 * {@link Line} per statement, the expectation failures, and the {@link Outcome}.
 */
public final class Transcript {
    /**
     * One executed statement.
     *
     * @param line      its line in the scenario file
     * @param statement the statement re-rendered canonically (with its CHILD: prefix)
     * @param result    the rendered result, null for header statements
     * @param notes     extra lines printed after it as {@code #} comments (walk traces)
     * @param detail    the result's structured form for {@code --json} ({@link Detail}), or null
     *                  where only the text is known
     */
    public record Line(int line, String statement, String result, List<String> notes, java.util.Map<String, Object> detail) {
        /** A line whose result is known as text only. */
        public Line(int line, String statement, String result, List<String> notes) {
            this(line, statement, result, notes, null);
        }

        /** {@code LINE: STATEMENT => RESULT}. */
        public String render() {
            return line + ": " + statement + (result == null ? "" : " => " + result);
        }
    }

    private final String scenario;
    private final Path file;
    private final String backend;
    private final List<String> header = new ArrayList<>();
    private final List<Line> lines = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private Outcome outcome = Outcome.PASSED;

    public Transcript(String scenario, Path file, String backend) {
        this.scenario = scenario;
        this.file = file;
        this.backend = backend;
    }

    public String scenario() {
        return scenario;
    }

    public Path file() {
        return file;
    }

    public String backend() {
        return backend;
    }

    public List<String> header() {
        return header;
    }

    public List<Line> lines() {
        return lines;
    }

    public List<String> failures() {
        return failures;
    }

    public Outcome outcome() {
        return outcome;
    }

    void outcome(Outcome o) {
        outcome = o;
    }

    /** The text form: header lines, statement lines (with trace notes), then the outcome. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (String h : header) sb.append("# ").append(h).append('\n');
        for (Line l : lines) {
            sb.append(l.render()).append('\n');
            for (String n : l.notes()) sb.append("#   ").append(n).append('\n');
        }
        for (String f : failures) sb.append(f).append('\n');
        sb.append("# ").append(outcome.render()).append('\n');
        return sb.toString();
    }

    /**
     * The structured form for {@code --json} ({@code $defs/transcript} of the schema): scenario,
     * file, backend, outcome (its kind in lower case, and reason), header, one object per
     * statement (line, statement, result text, result detail, trace) and failed expectations.
     */
    public java.util.Map<String, Object> toJsonValue() {
        java.util.Map<String, Object> m = Json.object();
        m.put("scenario", scenario);
        m.put("file", file == null ? null : file.toString());
        m.put("backend", backend);
        m.put("outcome", Json.name(outcome.kind()));
        m.put("reason", outcome.reason());
        m.put("header", header);
        List<Object> ls = new ArrayList<>();
        for (Line l : lines) {
            java.util.Map<String, Object> o = Json.object();
            o.put("line", l.line());
            o.put("statement", l.statement());
            o.put("result", l.result());
            o.put("detail", l.detail() != null ? l.detail() : l.result() == null ? Detail.none() : Detail.text(l.result()));
            o.put("trace", l.notes());
            ls.add(o);
        }
        m.put("lines", ls);
        m.put("failures", failures);
        return m;
    }

    /** The JSON form of {@link #toJsonValue}, one line. */
    public String toJson() {
        return Json.write(toJsonValue());
    }
}
