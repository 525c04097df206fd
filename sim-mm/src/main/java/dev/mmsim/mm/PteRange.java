package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;

/**
 * The PTE-range loop that every PTE-level visitor shares: walk_pte_range_inner() of mm/pagewalk.c,
 * and the loops that the pmd_entry callbacks of mm/madvise.c and fs/proc/task_mmu.c run over one
 * PTE table under its lock ({@code for (; addr != end; pte += nr, addr += nr * PAGE_SIZE)}).
 *
 * <p>A {@link Step} looks at one entry and says how the loop goes on: a count of entries it
 * handled (1, or more for a batch of entries mapping one folio: folio_pte_batch()), {@link #AGAIN}
 * to look at the same entry again (it split the folio the entry maps, and the kernel re-reads the
 * entry), {@link #BREAK} to leave the rest of the table, or a negative errno to stop with it.
 */
public final class PteRange {
    private PteRange() {}

    /** Look at the same entry again ({@code addr -= PAGE_SIZE; pte--; continue;} in the C loops). */
    public static final int AGAIN = 0;
    /** Go on with the next entry. */
    public static final int NEXT = 1;
    /** Leave the rest of this table (the C loops' {@code break}); {@link #walk} then returns 0. */
    public static final int BREAK = Integer.MIN_VALUE;

    /** One entry of the range: the table, the entry's index in it, its address, and the range's end. */
    @FunctionalInterface
    public interface Step {
        int apply(long[] table, int index, long addr, long end, MmWalk walk);
    }

    /**
     * Runs step over the entries of table that map [addr, end), both inside one PMD's range.
     * Returns 0, or the negative errno a step stopped with.
     */
    public static int walk(long[] table, long addr, long end, Step step, MmWalk walk) {
        int i = pteIndex(addr);
        int last = pteIndex(end - PAGE_SIZE);
        while (i <= last) {
            int r = step.apply(table, i, addr, end, walk);
            if (r > 0) {
                i += r;
                addr += (long) r << PAGE_SHIFT;
            } else if (r == BREAK) {
                return 0;
            } else if (r < 0) {
                return r;
            }
        }
        return 0;
    }

    /**
     * The index just past the run of pte_none() entries that starts at from, at most last + 1: a
     * scan of raw words (pte_none() is a zero word), eight at a time where it can.
     */
    public static int noneRunEnd(long[] table, int from, int last) {
        int j = from;
        while (j + 7 <= last && (table[j] | table[j + 1] | table[j + 2] | table[j + 3]
                | table[j + 4] | table[j + 5] | table[j + 6] | table[j + 7]) == 0) j += 8;
        while (j <= last && table[j] == 0) j++;
        return j;
    }
}
