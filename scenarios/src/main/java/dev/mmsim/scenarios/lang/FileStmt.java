package dev.mmsim.scenarios.lang;

/**
 * {@code file NAME SIZE}: a regular file of SIZE zero bytes that later mmaps can map.
 *
 * @param name the file's name in the scenario
 * @param size its length
 */
public record FileStmt(String name, Size size) implements Stmt {
    @Override
    public String render() {
        return "file " + name + " " + size.render();
    }

    @Override
    public String keyword() {
        return "file";
    }
}
