package dev.mmsim.scenarios.lang;

/**
 * {@code munmap ADDR SIZE}: munmap(2).
 *
 * @param addr the start
 * @param size the length
 */
public record MunmapStmt(Addr addr, Size size) implements Stmt {
    @Override
    public String render() {
        return "munmap " + addr.render() + " " + size.render();
    }

    @Override
    public String keyword() {
        return "munmap";
    }
}
