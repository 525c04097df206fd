package dev.mmsim.scenarios.lang;

import java.util.List;

/**
 * {@code prctl OPTION on|off}: prctl(2) with one of the options the language knows. The only one
 * is {@code memory_merge}, PR_SET_MEMORY_MERGE: with {@code on} KSM may merge every eligible VMA
 * of the process, existing and new (VM_MERGEABLE, {@code mg} in smaps); {@code off} clears it
 * from every VMA again.
 *
 * @param option a name from {@link #OPTIONS}
 * @param on     the argument: 1 for {@code on}, 0 for {@code off}
 */
public record PrctlStmt(String option, boolean on) implements Stmt {
    /** The prctl options of the language. */
    public static final List<String> OPTIONS = List.of("memory_merge");

    @Override
    public String render() {
        return "prctl " + option + " " + (on ? "on" : "off");
    }

    @Override
    public String keyword() {
        return "prctl";
    }
}
