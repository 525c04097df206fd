package dev.mmsim.scenarios.lang;

/**
 * {@code status}: the memory lines of /proc/pid/status that page tables decide (VmPTE, RssAnon,
 * RssFile, RssShmem, VmLck, VmSwap, HugetlbPages), counted from the start of the scenario. It
 * requires the {@code status} feature (added to the scenario's requirements by itself) and runs in
 * the scenario's own process only.
 */
public record StatusStmt() implements Stmt {
    @Override
    public String render() {
        return "status";
    }

    @Override
    public String keyword() {
        return "status";
    }
}
