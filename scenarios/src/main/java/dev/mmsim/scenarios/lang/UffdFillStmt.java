package dev.mmsim.scenarios.lang;

/**
 * {@code uffd_copy ADDR SIZE [wp]}, {@code uffd_zeropage ADDR SIZE} and
 * {@code uffd_continue ADDR SIZE [wp]}: UFFDIO_COPY (of zeroes), UFFDIO_ZEROPAGE and
 * UFFDIO_CONTINUE on the scenario's userfaultfd, which fill a registered range page by page.
 *
 * @param fill which ioctl
 * @param addr the start
 * @param size the length
 * @param wp whether the pages come write-protected (UFFDIO_COPY_MODE_WP, UFFDIO_CONTINUE_MODE_WP)
 */
public record UffdFillStmt(Fill fill, Addr addr, Size size, boolean wp) implements Stmt {
    /** The three ioctls, by keyword. */
    public enum Fill {
        COPY, ZEROPAGE, CONTINUE;

        /** {@code uffd_copy}, {@code uffd_zeropage}, {@code uffd_continue}. */
        public String keyword() {
            return "uffd_" + name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public String render() {
        return keyword() + " " + addr.render() + " " + size.render() + (wp ? " wp" : "");
    }

    @Override
    public String keyword() {
        return fill.keyword();
    }
}
