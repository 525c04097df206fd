package dev.mmsim.scenarios.lang;

import java.util.List;

/** Test helpers: parse text as the file {@value #FILE}. */
final class Scenarios {
    static final String FILE = "t.scn";

    /** Defines mapping A (16 pages), file f and child c1; the line after it is line 5. */
    static final String PRELUDE = """
            scenario t
            mmap A 16p rw private
            file f 4p
            fork c1
            """;

    private Scenarios() {}

    /** Parses text that must be well formed. */
    static Scenario parse(String text) {
        try {
            return ScenarioParser.parse(FILE, text);
        } catch (ScenarioSyntaxException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The errors of text that must not parse, each as {@code t.scn:LINE:COL: message}. */
    static List<String> errors(String text) {
        try {
            ScenarioParser.parse(FILE, text);
        } catch (ScenarioSyntaxException e) {
            return e.errors().stream().map(SyntaxError::toString).toList();
        }
        throw new AssertionError("parsed without errors:\n" + text);
    }
}
