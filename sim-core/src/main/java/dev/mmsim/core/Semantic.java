package dev.mmsim.core;

/**
 * Named simulator semantics that a reviewer can switch off to see what a kernel change did. Each
 * constant names the change that introduced the behaviour; the code that consults a switch says so
 * at that spot.
 */
public enum Semantic {
    /** PAGEMAP_SCAN reports guard markers as PAGE_IS_GUARD (6.16); off: only as swapped|written. */
    SCAN_GUARD("scan_guard"),
    /** MADV_GUARD_INSTALL sets VM_MAYBE_GUARD on the VMA (6.18). */
    MAYBE_GUARD("maybe_guard"),
    /** Sticky VMA flags (VM_MAYBE_GUARD) do not prevent merges and survive them (6.18). */
    STICKY_FLAGS("sticky_flags"),
    /** VM_MAYBE_GUARD is in VM_COPY_ON_FORK (6.18). */
    COPY_ON_FORK_GUARD("copy_on_fork_guard"),
    /** A pte_none entry in an existing PTE table is PAGE_IS_WRITTEN (2026 fix). */
    PTE_NONE_WRITTEN("pte_none_written"),
    /** A PMD hole in a uffd-wp VMA is PAGE_IS_WRITTEN (2026 fix). */
    PMD_HOLE_WRITTEN("pmd_hole_written");

    public final String scenarioName;

    Semantic(String scenarioName) {
        this.scenarioName = scenarioName;
    }

    public static Semantic byName(String name) {
        for (Semantic s : values()) if (s.scenarioName.equals(name)) return s;
        return null;
    }
}
