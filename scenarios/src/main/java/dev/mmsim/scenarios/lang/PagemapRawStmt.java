package dev.mmsim.scenarios.lang;

/**
 * {@code pagemap_raw OFFSET COUNT}: a raw pread(2) of /proc/pid/pagemap, for its error paths.
 *
 * @param offset the file offset in bytes
 * @param count the number of bytes to read
 */
public record PagemapRawStmt(long offset, long count) implements Stmt {
    @Override
    public String render() {
        return "pagemap_raw " + offset + " " + count;
    }

    @Override
    public String keyword() {
        return "pagemap_raw";
    }
}
