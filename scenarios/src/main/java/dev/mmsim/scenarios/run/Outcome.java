package dev.mmsim.scenarios.run;

/**
 * How one replay of one scenario ended.
 *
 * <ul>
 *   <li>{@code PASSED}: every statement ran and every expectation held;</li>
 *   <li>{@code FAILED}: every statement ran but an expectation did not hold;</li>
 *   <li>{@code SKIPPED}: the backend did not run it (a missing feature, a simulator-only statement);</li>
 *   <li>{@code UNSUPPORTED}: the simulator does not model a statement yet;</li>
 *   <li>{@code TIMEOUT}: the scenario hit its time limit at a statement (the agent was killed,
 *       or the simulator was past it after the statement);</li>
 *   <li>{@code ERROR}: the backend broke (the agent died).</li>
 * </ul>
 *
 * @param kind   the kind of ending
 * @param reason for SKIPPED, UNSUPPORTED, TIMEOUT and ERROR: what, e.g. {@code missing swap},
 *               {@code fork}, {@code line 12 (touch r A), 60 s}
 */
public record Outcome(Kind kind, String reason) {
    public enum Kind { PASSED, FAILED, SKIPPED, UNSUPPORTED, TIMEOUT, ERROR }

    public static final Outcome PASSED = new Outcome(Kind.PASSED, null);
    public static final Outcome FAILED = new Outcome(Kind.FAILED, null);

    public static Outcome skipped(String reason) {
        return new Outcome(Kind.SKIPPED, reason);
    }

    public static Outcome unsupported(String what) {
        return new Outcome(Kind.UNSUPPORTED, what);
    }

    /** The time limit of {@code seconds} ran out at the statement on {@code line}. */
    public static Outcome timeout(int line, String statement, int seconds) {
        return new Outcome(Kind.TIMEOUT, "line " + line + " (" + statement + "), " + seconds + " s");
    }

    public static Outcome error(String message) {
        return new Outcome(Kind.ERROR, message);
    }

    /** {@code passed}, {@code skipped: missing swap}, {@code unsupported (fork)}, ... */
    public String render() {
        return switch (kind) {
            case PASSED -> "passed";
            case FAILED -> "failed";
            case SKIPPED -> "skipped: " + reason;
            case UNSUPPORTED -> "unsupported (" + reason + ")";
            case TIMEOUT -> "timeout at " + reason;
            case ERROR -> "error: " + reason;
        };
    }
}
