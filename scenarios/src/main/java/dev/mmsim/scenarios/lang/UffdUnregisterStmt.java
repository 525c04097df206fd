package dev.mmsim.scenarios.lang;

/**
 * {@code uffd_unregister ADDR SIZE}: UFFDIO_UNREGISTER; write-protection in the range is resolved
 * and the VMAs may merge again.
 *
 * @param addr the start
 * @param size the length
 */
public record UffdUnregisterStmt(Addr addr, Size size) implements Stmt {
    @Override
    public String render() {
        return "uffd_unregister " + addr.render() + " " + size.render();
    }

    @Override
    public String keyword() {
        return "uffd_unregister";
    }
}
