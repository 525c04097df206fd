package dev.mmsim.scenarios.lang;

import dev.mmsim.core.Semantic;

/**
 * {@code set SEMANTIC on|off}: switches a simulator semantic, to try out a kernel change; the
 * kernel backend skips scenarios that use it.
 *
 * @param semantic the semantic
 * @param on its new state
 */
public record SetStmt(Semantic semantic, boolean on) implements Stmt {
    @Override
    public String render() {
        return "set " + semantic.scenarioName + (on ? " on" : " off");
    }

    @Override
    public String keyword() {
        return "set";
    }
}
