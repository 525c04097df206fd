package dev.mmsim.scenarios.lang;

/**
 * {@code pagemap_raw OFFSET COUNT [bufat RAWADDR]}: a raw pread(2) of /proc/pid/pagemap, for its
 * error paths; {@code bufat} reads into that user address instead of a buffer of the backend's
 * (EFAULT when it cannot be written).
 *
 * @param offset the file offset in bytes
 * @param count the number of bytes to read
 * @param bufAt the buffer's address, or null for a buffer of the backend's
 */
public record PagemapRawStmt(long offset, long count, Addr bufAt) implements Stmt {
    /** A read into a buffer of the backend's. */
    public PagemapRawStmt(long offset, long count) {
        this(offset, count, null);
    }

    @Override
    public String render() {
        return "pagemap_raw " + offset + " " + count + (bufAt == null ? "" : " bufat " + bufAt.render());
    }

    @Override
    public String keyword() {
        return "pagemap_raw";
    }
}
