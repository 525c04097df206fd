package dev.mmsim.scenarios.lang;

import java.io.Serial;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A scenario file that does not parse. It carries every error found in the file (at most
 * {@value ScenarioParser#MAX_ERRORS}), sorted by position; the message is their
 * {@code file:line:col: message} lines.
 */
public final class ScenarioSyntaxException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<SyntaxError> errors;

    /** Wraps a non-empty list of errors, in the order they should be printed. */
    public ScenarioSyntaxException(List<SyntaxError> errors) {
        super(errors.stream().map(SyntaxError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    /** The errors, sorted by position. */
    public List<SyntaxError> errors() {
        return errors;
    }
}
