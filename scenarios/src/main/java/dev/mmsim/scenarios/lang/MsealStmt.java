package dev.mmsim.scenarios.lang;

/**
 * {@code mseal ADDR SIZE}: mseal(2) with flags 0 (6.10+). Afterwards munmap, mremap, mprotect,
 * mmap(MAP_FIXED) over the range and discarding madvise of read-only private anonymous memory fail
 * with EPERM.
 *
 * @param addr the start
 * @param size the length
 */
public record MsealStmt(Addr addr, Size size) implements Stmt {
    @Override
    public String render() {
        return "mseal " + addr.render() + " " + size.render();
    }

    @Override
    public String keyword() {
        return "mseal";
    }
}
