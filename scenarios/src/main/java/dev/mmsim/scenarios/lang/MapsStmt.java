package dev.mmsim.scenarios.lang;

/**
 * {@code maps [ADDR SIZE]}: the /proc/pid/maps lines of the VMAs overlapping a range.
 *
 * @param addr the start, or null (with {@code size}) for the whole arena
 * @param size the length, or null (with {@code addr}) for the whole arena
 */
public record MapsStmt(Addr addr, Size size) implements Stmt {
    @Override
    public String render() {
        return addr == null ? "maps" : "maps " + addr.render() + " " + size.render();
    }

    @Override
    public String keyword() {
        return "maps";
    }
}
