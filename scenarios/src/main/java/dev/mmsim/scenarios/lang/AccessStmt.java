package dev.mmsim.scenarios.lang;

/**
 * {@code read ADDR [SIZE]} and {@code write ADDR [SIZE] [value N]}: touch the first byte of each
 * page of the range, stopping at the first page that faults with a signal; with {@code value}, a
 * write stores N as the first 8 bytes of each page instead.
 *
 * @param write true for {@code write}, false for {@code read}
 * @param addr the start
 * @param size the length, or null for one page
 * @param value the value a write stores (0 to 2^63-1), or null for the plain write
 */
public record AccessStmt(boolean write, Addr addr, Size size, Long value) implements Stmt {
    /** A plain read or write. */
    public AccessStmt(boolean write, Addr addr, Size size) {
        this(write, addr, size, null);
    }

    @Override
    public String render() {
        return keyword() + " " + addr.render() + (size == null ? "" : " " + size.render())
                + (value == null ? "" : " value " + value);
    }

    @Override
    public String keyword() {
        return write ? "write" : "read";
    }
}
