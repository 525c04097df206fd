package dev.mmsim.scenarios.lang;

import dev.mmsim.core.Madvise;

/**
 * {@code madvise ADDR SIZE ADVICE}: madvise(2), the advice spelt as the kernel's MADV_ name
 * without the prefix, in lower case.
 *
 * @param addr the start
 * @param size the length
 * @param advice the advice
 */
public record MadviseStmt(Addr addr, Size size, Madvise advice) implements Stmt {
    @Override
    public String render() {
        return "madvise " + addr.render() + " " + size.render() + " " + advice.scenarioName();
    }

    @Override
    public String keyword() {
        return "madvise";
    }
}
