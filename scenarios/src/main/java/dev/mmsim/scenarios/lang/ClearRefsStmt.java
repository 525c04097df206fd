package dev.mmsim.scenarios.lang;

/**
 * {@code clear_refs N}: writes N to /proc/pid/clear_refs (4 clears the soft-dirty bits).
 *
 * @param value the number written
 */
public record ClearRefsStmt(int value) implements Stmt {
    @Override
    public String render() {
        return "clear_refs " + value;
    }

    @Override
    public String keyword() {
        return "clear_refs";
    }
}
