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
     */
    public record Line(int line, String statement, String result, List<String> notes) {
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

    /** The JSON form, for tools. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        sb.append("\"scenario\":").append(Json.str(scenario));
        sb.append(",\"file\":").append(Json.str(file == null ? null : file.toString()));
        sb.append(",\"backend\":").append(Json.str(backend));
        sb.append(",\"outcome\":").append(Json.str(outcome.kind().name().toLowerCase(java.util.Locale.ROOT)));
        sb.append(",\"reason\":").append(Json.str(outcome.reason()));
        sb.append(",\"header\":").append(Json.strings(header));
        sb.append(",\"lines\":[");
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"line\":").append(l.line()).append(",\"statement\":").append(Json.str(l.statement()))
                    .append(",\"result\":").append(Json.str(l.result())).append(",\"trace\":").append(Json.strings(l.notes()))
                    .append('}');
        }
        sb.append("],\"failures\":").append(Json.strings(failures)).append('}');
        return sb.toString();
    }
}
