package dev.mmsim.scenarios.lang;

/**
 * {@code reopen F ro|rw}: closes the file and opens it again read-only or read-write; later mmaps
 * of F use the new descriptor (a shared mapping of a read-only descriptor cannot be writable).
 *
 * @param file the file
 * @param readOnly whether it is opened O_RDONLY
 */
public record ReopenStmt(String file, boolean readOnly) implements Stmt {
    @Override
    public String render() {
        return "reopen " + file + (readOnly ? " ro" : " rw");
    }

    @Override
    public String keyword() {
        return "reopen";
    }
}
