package dev.mmsim.proc;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One VMA as /proc/pid/smaps shows it: the range, the permission string ({@code rw-p}), the
 * VmFlags mnemonics in the order printed, and the counters mmsim compares, in kB as the file
 * prints them: Rss and Swap always, the {@link Counter}s as far as they are not zero. The kernel
 * backend parses the real file into the same record.
 *
 * @param counters the {@link Counter} values in kB; a counter not in the map is zero
 */
public record SmapsEntry(long start, long end, String perms, List<String> vmFlags, long rssKb, long swapKb,
                         Map<Counter, Long> counters) {

    /**
     * The smaps counters compared besides Rss and Swap, in the order __show_smap() prints them
     * (fs/proc/task_mmu.c), each with its field name and the word transcripts use. LazyFree is
     * left out: MADV_FREE clears a folio's swapbacked flag only when the per-CPU LRU batch that
     * holds it drains (lru_lazyfree_fn()), so right after the call it depends on batch sizes.
     */
    public enum Counter {
        /** AnonHugePages: anonymous memory mapped by PMD leaves (THP). */
        ANON_HUGE("AnonHugePages", "anon_huge"),
        /** ShmemPmdMapped: shmem memory mapped by PMD leaves. */
        SHMEM_PMD("ShmemPmdMapped", "shmem_pmd"),
        /** FilePmdMapped: page-cache memory mapped by PMD leaves. */
        FILE_PMD("FilePmdMapped", "file_pmd"),
        /** Shared_Hugetlb: hugetlb pages mapped more than once (or not present). */
        SHARED_HUGETLB("Shared_Hugetlb", "shared_hugetlb"),
        /** Private_Hugetlb: hugetlb pages mapped only here. */
        PRIVATE_HUGETLB("Private_Hugetlb", "private_hugetlb"),
        /** Locked: the proportional set size of the pages of a VM_LOCKED VMA. */
        LOCKED("Locked", "locked");

        /** The field name in /proc/pid/smaps, without the colon. */
        public final String field;
        /** The word in transcripts: {@code locked=4p}. */
        public final String word;

        Counter(String field, String word) {
            this.field = field;
            this.word = word;
        }

        /** The counter printed as {@code field:}, or null. */
        public static Counter byField(String field) {
            for (Counter c : values()) if (c.field.equals(field)) return c;
            return null;
        }
    }

    /** Keeps only non-zero counters, in a fixed order. */
    public SmapsEntry {
        vmFlags = List.copyOf(vmFlags);
        EnumMap<Counter, Long> nonZero = new EnumMap<>(Counter.class);
        counters.forEach((c, v) -> {
            if (v != 0) nonZero.put(c, v);
        });
        counters = java.util.Collections.unmodifiableMap(nonZero);
    }

    /** An entry with Rss and Swap only (every other counter zero). */
    public SmapsEntry(long start, long end, String perms, List<String> vmFlags, long rssKb, long swapKb) {
        this(start, end, perms, vmFlags, rssKb, swapKb, Map.of());
    }

    /** The value of a counter in kB (0 when it is not printed). */
    public long kb(Counter c) {
        return counters.getOrDefault(c, 0L);
    }
}
