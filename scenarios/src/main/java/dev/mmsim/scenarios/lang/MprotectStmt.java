package dev.mmsim.scenarios.lang;

import dev.mmsim.core.Prot;

/**
 * {@code mprotect ADDR SIZE PROT}: mprotect(2).
 *
 * @param addr the start
 * @param size the length
 * @param prot the new protection
 */
public record MprotectStmt(Addr addr, Size size, Prot prot) implements Stmt {
    @Override
    public String render() {
        return "mprotect " + addr.render() + " " + size.render() + " " + prot;
    }

    @Override
    public String keyword() {
        return "mprotect";
    }
}
