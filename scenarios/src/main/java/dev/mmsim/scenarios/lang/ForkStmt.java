package dev.mmsim.scenarios.lang;

/**
 * {@code fork CHILD}: fork(2); later lines prefixed {@code CHILD:} run in the child.
 *
 * @param child the child's name
 */
public record ForkStmt(String child) implements Stmt {
    @Override
    public String render() {
        return "fork " + child;
    }

    @Override
    public String keyword() {
        return "fork";
    }
}
