package dev.mmsim.proc;

/**
 * One walker callback made during a traced scan: which callback (test_walk, pmd_entry,
 * hugetlb_entry, pte_hole), the range it was given, for pte_hole the depth at which the table was
 * missing (0 pgd, 2 pud, 3 pmd, -1 outside any VMA), and why the walk went there: test_walk's
 * verdict, what the PMD slot held for pmd_entry ({@link #PTE_TABLE}, {@link #PMD_LEAF},
 * {@link #HUGE_ZERO_LEAF}), which table a hole lacks.
 */
public record TraceEvent(String callback, long start, long end, int depth, String why) {
    /** pmd_entry over a PMD slot that points to a PTE table: PAGEMAP_SCAN reads its 512 entries. */
    public static final String PTE_TABLE = "pte table";
    /** pmd_entry over a PMD leaf (a PMD-mapped THP): one entry maps the whole 2 MiB. */
    public static final String PMD_LEAF = "pmd leaf (thp)";
    /** pmd_entry over the huge zero page mapped by a PMD leaf. */
    public static final String HUGE_ZERO_LEAF = "pmd leaf (huge zero page)";

    /** An event without an explanation. */
    public TraceEvent(String callback, long start, long end, int depth) {
        this(callback, start, end, depth, "");
    }

    /** Whether test_walk let the walk descend into the VMA. */
    public boolean descends() {
        return why.startsWith("descend");
    }

    /**
     * What a pte_hole's depth means: the level whose entry is empty, so the table below it is
     * missing (walk_pgd_range() and friends, mm/pagewalk.c, pass the depth of the none entry).
     */
    public static String holeDepth(int depth) {
        return switch (depth) {
            case -1 -> "no VMA here";
            case 0 -> "pgd_none: no PUD table";
            case 1 -> "p4d_none: no PUD table";
            case 2 -> "pud_none: no PMD table";
            case 3 -> "pmd_none: no PTE table";
            default -> "depth " + depth;
        };
    }
}
