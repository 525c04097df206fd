package dev.mmsim.scenarios.lang;

/**
 * {@code mirrors TEXT}: provenance, typically the kernel selftest file and test this scenario
 * reproduces.
 *
 * @param text the rest of the line, white space folded to single spaces
 */
public record MirrorsStmt(String text) implements Stmt {
    @Override
    public String render() {
        return "mirrors " + text;
    }

    @Override
    public String keyword() {
        return "mirrors";
    }
}
