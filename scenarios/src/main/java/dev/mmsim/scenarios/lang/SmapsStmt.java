package dev.mmsim.scenarios.lang;

/**
 * {@code smaps [ADDR SIZE]}: the /proc/pid/smaps entries of the VMAs overlapping a range.
 *
 * @param addr the start, or null (with {@code size}) for the whole arena
 * @param size the length, or null (with {@code addr}) for the whole arena
 */
public record SmapsStmt(Addr addr, Size size) implements Stmt {
    @Override
    public String render() {
        return addr == null ? "smaps" : "smaps " + addr.render() + " " + size.render();
    }

    @Override
    public String keyword() {
        return "smaps";
    }
}
