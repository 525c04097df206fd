package dev.mmsim.scenarios.lang;

/** {@code uffd_close}: closes the process's userfaultfd, which unregisters everything it covered. */
public record UffdCloseStmt() implements Stmt {
    @Override
    public String render() {
        return "uffd_close";
    }

    @Override
    public String keyword() {
        return "uffd_close";
    }
}
