package dev.mmsim.scenarios.lang;

/**
 * {@code mlock ADDR SIZE}: mlock(2).
 *
 * @param addr the start
 * @param size the length
 */
public record MlockStmt(Addr addr, Size size) implements Stmt {
    @Override
    public String render() {
        return "mlock " + addr.render() + " " + size.render();
    }

    @Override
    public String keyword() {
        return "mlock";
    }
}
