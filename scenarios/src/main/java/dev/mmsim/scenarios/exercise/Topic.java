package dev.mmsim.scenarios.exercise;

import java.util.List;

/** What an exercise practises; each has a name for {@code --topic} and a short introduction. */
public enum Topic {
    VMAS("vmas", "VMAs and merges",
            "mprotect and madvise change the flags of a range: the VMA is split at the range's ends, and",
            "neighbours whose flags (and anon_vma) agree again are merged back. maps shows the VMAs."),
    FAULTS("faults", "faults and page tables",
            "mmap builds no page table; the first access to a 2 MiB range allocates its PTE table.",
            "trace scan shows which tables exist (pmd_entry) and where they are missing (pte_hole)."),
    GUARD("guard", "guard regions",
            "MADV_GUARD_INSTALL writes guard markers into the page tables: an access faults (SIGSEGV),",
            "the VMA is not split but gains VM_MAYBE_GUARD (gu), which outlives the markers."),
    SCAN("scan", "PAGEMAP_SCAN masks and limits",
            "PAGEMAP_SCAN reports runs of pages with equal categories; mask/anyof/inverted choose pages,",
            "return chooses the categories shown, vec limits the regions and max the pages; walk_end says where it stopped."),
    THP("thp", "transparent huge pages",
            "In a hugepage VMA a fault on an aligned, empty 2 MiB maps it with one PMD leaf; anything",
            "that covers only part of the leaf splits it into a PTE table first."),
    SWAP("swap", "swap",
            "MADV_PAGEOUT writes anonymous pages to swap: their entries become swap entries (swapped),",
            "smaps counts them as Swap, and an access brings each back (a swap-in fault).");

    public final String word;
    public final String title;
    public final List<String> intro;

    Topic(String word, String title, String... intro) {
        this.word = word;
        this.title = title;
        this.intro = List.of(intro);
    }

    /** The topic named {@code word}, or null. */
    public static Topic byWord(String word) {
        for (Topic t : values()) if (t.word.equals(word)) return t;
        return null;
    }

    /** {@code vmas, faults, ...}. */
    public static String words() {
        StringBuilder sb = new StringBuilder();
        for (Topic t : values()) sb.append(sb.isEmpty() ? "" : ", ").append(t.word);
        return sb.toString();
    }
}
