package dev.mmsim.scenarios.lang;

/**
 * {@code uffd_wp ADDR SIZE on|off}: UFFDIO_WRITEPROTECT.
 *
 * @param addr the start
 * @param size the length
 * @param on true to write-protect, false to resolve
 */
public record UffdWpStmt(Addr addr, Size size, boolean on) implements Stmt {
    @Override
    public String render() {
        return "uffd_wp " + addr.render() + " " + size.render() + (on ? " on" : " off");
    }

    @Override
    public String keyword() {
        return "uffd_wp";
    }
}
