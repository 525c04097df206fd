package dev.mmsim.scenarios.lang;

import java.util.List;

/**
 * {@code requires FEATURE...}: kernel features the scenario needs. The kernel backend probes each
 * and skips the scenario, naming the first one missing; the simulator always runs it.
 *
 * @param features names from {@link #FEATURES}, in the order written
 */
public record RequiresStmt(List<String> features) implements Stmt {
    /** The feature names the language knows. */
    public static final List<String> FEATURES = List.of(
            "pagemap_scan", "scan_guard", "scan_soft_dirty", "guard_regions", "maybe_guard",
            "soft_dirty", "uffd_wp", "uffd_wp_async", "thp", "hugetlb", "swap", "file_guard", "mseal", "ksm", "uprobe",
            "process_madvise", "status");

    /** Copies the list. */
    public RequiresStmt {
        features = List.copyOf(features);
    }

    @Override
    public String render() {
        return "requires " + String.join(" ", features);
    }

    @Override
    public String keyword() {
        return "requires";
    }
}
