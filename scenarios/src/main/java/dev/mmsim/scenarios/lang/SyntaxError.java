package dev.mmsim.scenarios.lang;

/**
 * One error found while parsing a scenario.
 *
 * @param pos the first column of the offending token
 * @param message what is wrong, naming the token
 */
public record SyntaxError(Pos pos, String message) {
    /** {@code file:line:col: message}, the form the CLI prints. */
    @Override
    public String toString() {
        return pos + ": " + message;
    }
}
