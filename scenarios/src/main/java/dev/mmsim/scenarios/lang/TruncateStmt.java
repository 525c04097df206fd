package dev.mmsim.scenarios.lang;

/**
 * {@code truncate F SIZE}: ftruncate(2). Shrinking unmaps and drops the pages beyond the new end
 * (guard markers stay); growing adds a hole.
 *
 * @param file the file
 * @param size its new length
 */
public record TruncateStmt(String file, Size size) implements Stmt {
    @Override
    public String render() {
        return "truncate " + file + " " + size.render();
    }

    @Override
    public String keyword() {
        return "truncate";
    }
}
