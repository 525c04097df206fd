package dev.mmsim.scenarios.lang;

import java.io.Serial;

/**
 * A syntax error that abandons the rest of its statement. It unwinds to {@link ScenarioParser},
 * which records it and goes on with the next line; it never leaves this package.
 */
final class LineError extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Pos pos;

    LineError(Pos pos, String message) {
        super(message, null, false, false);
        this.pos = pos;
    }

    LineError(Token token, String message) {
        this(token.pos(), message);
    }

    SyntaxError toSyntaxError() {
        return new SyntaxError(pos, getMessage());
    }
}
