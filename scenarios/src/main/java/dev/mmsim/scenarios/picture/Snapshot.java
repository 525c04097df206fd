package dev.mmsim.scenarios.picture;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one statement left behind, as plain records the pictures are drawn from: the VMAs, the
 * rows of the page-table tree, and the statement's scan and walk (if it scanned).
 *
 * @param process the process the statement ran on ({@code main} or a forked child's name)
 * @param vmas    the VMAs in the arena, in address order
 * @param removed the ranges of VMAs the statement unmapped (rendered)
 * @param rows    the page-table tree over the touched ranges, one row per PMD slot or summarised run
 * @param scan    the statement's PAGEMAP_SCAN, or null
 * @param names   every row boundary rendered as the transcript renders addresses ({@code A+512p}),
 *                as the names stood after the statement
 * @param missing  why the state could not be read (the backend failed to answer), or null
 * @param changed  the starts of the rows whose tables or entries the statement changed
 * @param slots    what each PMD slot (and each missing upper table) held, as a signature, for the
 *                 next statement's {@code changed}
 */
public record Snapshot(String process, List<VmaBox> vmas, List<String> removed, List<Row> rows, Scan scan,
                       Map<Long, String> names, String missing, Set<Long> changed, Map<Long, String> slots) {

    /** The snapshot of a process whose state could not be read, saying why. */
    static Snapshot unavailable(String process, String why) {
        return new Snapshot(process, List.of(), List.of(), List.of(), null, Map.of(), why, Set.of(), Map.of());
    }

    /** An address as the transcript rendered it after the statement, else in hex. */
    public String name(long addr) {
        String n = names.get(addr);
        return n != null ? n : "0x" + Long.toHexString(addr);
    }

    /**
     * One VMA: its range (absolute and as the transcript renders it), smaps permissions and
     * VmFlags mnemonics, resident pages, and what the statement did to it.
     */
    public record VmaBox(long start, long end, String label, String perms, List<String> flags, long rssPages,
                         Change change) {}

    /** How a VMA relates to the VMAs before the statement. */
    public enum Change {
        SAME(""), NEW("new"), SPLIT("split"), MERGED("merged"), RESIZED("resized"), FLAGS("flags changed");

        public final String word;

        Change(String word) {
            this.word = word;
        }
    }

    /** What a PTE holds, as drawn: a run of equal kinds is one rectangle. */
    public enum EntryKind {
        NONE("none", "pte_none: empty entry in an existing table"),
        PRESENT("present", "present page"),
        ZERO("zero", "the shared zero page"),
        PRESENT_WP("present-wp", "present page with the uffd-wp bit"),
        SWAP("swap", "swap entry"),
        GUARD("guard", "guard marker (MADV_GUARD_INSTALL)"),
        UFFD_WP("uffd-wp", "uffd-wp marker on an empty entry");

        public final String css;
        public final String meaning;

        EntryKind(String css, String meaning) {
            this.css = css;
            this.meaning = meaning;
        }
    }

    /** What a PMD leaf maps. */
    public enum LeafKind {
        THP("thp", "PMD leaf: a transparent huge page, 2 MiB in one entry"),
        HUGE_ZERO("huge-zero", "PMD leaf: the huge zero page"),
        HUGETLB("hugetlb", "hugetlb page (2 MiB, PMD level)"),
        HUGETLB_EMPTY("hugetlb-none", "hugetlb entry, empty"),
        NON_PRESENT("leaf-swap", "PMD-level swap entry or marker");

        public final String css;
        public final String meaning;

        LeafKind(String css, String meaning) {
            this.css = css;
            this.meaning = meaning;
        }
    }

    /** A run of equal PTEs in one table: indexes [from, from + count). */
    public record Run(EntryKind kind, int from, int count) {}

    /** One row of the tree: the range [start, end) it stands for, with the table indexes of its start. */
    public sealed interface Row permits Table, Leaf, Hole, Gap, More {
        long start();

        long end();
    }

    /**
     * A PMD slot pointing to a PTE table, with its entries as runs; {@code repeat} > 1 stands for
     * that many neighbouring tables with the same runs.
     */
    public record Table(long start, long end, int pgd, int pud, int pmd, List<Run> runs, int repeat) implements Row {}

    /** A PMD leaf (or {@code repeat} neighbouring leaves of the same kind). */
    public record Leaf(long start, long end, int pgd, int pud, int pmd, LeafKind kind, int repeat) implements Row {}

    /**
     * A range without a table: the walker's pte_hole depth, 0 (the PGD entry is empty: no PUD
     * table), 2 (the PUD entry is empty: no PMD table) or 3 (the PMD entry is empty: no PTE table).
     */
    public record Hole(long start, long end, int pgd, int pud, int pmd, int depth) implements Row {}

    /** Addresses between touched ranges, not drawn. */
    public record Gap(long start, long end) implements Row {}

    /** The rows past {@link MmState#MAX_ROWS}, left out. */
    public record More(long start, long end, int rows) implements Row {}

    /** A scan's regions and walk, rendered. */
    public record Scan(long start, long end, String result, List<Region> regions, List<Step> walk) {}

    /** One reported region with its categories' names. */
    public record Region(long start, long end, String label, String categories, long mask) {}

    /** One walker callback, in order, with why the walk went there. */
    public record Step(int order, String callback, long start, long end, int depth, String label, String why) {}
}
