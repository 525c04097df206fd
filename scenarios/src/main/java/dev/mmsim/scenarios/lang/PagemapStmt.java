package dev.mmsim.scenarios.lang;

/**
 * {@code pagemap ADDR [SIZE]}: the /proc/pid/pagemap entries of a range, run-length merged.
 *
 * @param addr the start
 * @param size the length, or null for one page
 */
public record PagemapStmt(Addr addr, Size size) implements Stmt {
    @Override
    public String render() {
        return "pagemap " + addr.render() + (size == null ? "" : " " + size.render());
    }

    @Override
    public String keyword() {
        return "pagemap";
    }
}
