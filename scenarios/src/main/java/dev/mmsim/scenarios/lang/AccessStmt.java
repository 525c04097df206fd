package dev.mmsim.scenarios.lang;

/**
 * {@code read ADDR [SIZE]} and {@code write ADDR [SIZE]}: touch the first byte of each page of the
 * range, stopping at the first page that faults with a signal.
 *
 * @param write true for {@code write}, false for {@code read}
 * @param addr the start
 * @param size the length, or null for one page
 */
public record AccessStmt(boolean write, Addr addr, Size size) implements Stmt {
    @Override
    public String render() {
        return keyword() + " " + addr.render() + (size == null ? "" : " " + size.render());
    }

    @Override
    public String keyword() {
        return write ? "write" : "read";
    }
}
