package dev.mmsim.scenarios.lang;

/**
 * {@code values ADDR [SIZE]}: loads the value (the first 8 bytes) of each page of the range, every
 * page whatever the ones before it gave, faulting pages in as {@code read} does.
 *
 * @param addr the start, page-aligned
 * @param size the length, or null for one page
 */
public record ValuesStmt(Addr addr, Size size) implements Stmt {
    @Override
    public String render() {
        return "values " + addr.render() + (size == null ? "" : " " + size.render());
    }

    @Override
    public String keyword() {
        return "values";
    }
}
