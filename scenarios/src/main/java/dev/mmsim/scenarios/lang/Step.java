package dev.mmsim.scenarios.lang;

/**
 * One line of a scenario: a statement, the process that runs it, and what it should yield.
 *
 * @param pos where the line starts (its {@code CHILD:} prefix, if any)
 * @param child the child process that runs the statement, or null for the parent
 * @param stmt the statement
 * @param expected the text after {@code =>} with white space folded, or null if none was given
 */
public record Step(Pos pos, String child, Stmt stmt, String expected) {
    /** {@code CHILD: STATEMENT} or {@code STATEMENT}, canonical, without the expectation. */
    public String render() {
        return child == null ? stmt.render() : child + ": " + stmt.render();
    }
}
