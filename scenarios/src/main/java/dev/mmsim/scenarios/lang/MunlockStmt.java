package dev.mmsim.scenarios.lang;

/**
 * {@code munlock ADDR SIZE}: munlock(2).
 *
 * @param addr the start
 * @param size the length
 */
public record MunlockStmt(Addr addr, Size size) implements Stmt {
    @Override
    public String render() {
        return "munlock " + addr.render() + " " + size.render();
    }

    @Override
    public String keyword() {
        return "munlock";
    }
}
