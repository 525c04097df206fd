package dev.mmsim.scenarios.lang;

/**
 * {@code scenario NAME}: names the scenario; the first statement of every file.
 *
 * @param name slash-separated lower-case names, e.g. {@code guard-regions/split-merge}
 */
public record ScenarioStmt(String name) implements Stmt {
    @Override
    public String render() {
        return "scenario " + name;
    }

    @Override
    public String keyword() {
        return "scenario";
    }
}
