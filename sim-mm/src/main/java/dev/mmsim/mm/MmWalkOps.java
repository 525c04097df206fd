package dev.mmsim.mm;

/**
 * struct mm_walk_ops (include/linux/pagewalk.h): the callbacks of a page-table walk. Whether a
 * callback is set changes what the walker does (no pte_entry: no descent to PTE level; no
 * test_walk: the default VMA filter), so unset callbacks are {@code null} rather than no-op
 * defaults. Build one as the C designated initialiser would read:
 * {@code MmWalkOps.builder().testWalk(...).pmdEntry(...).pteHole(...).build()}.
 *
 * <p>Return convention at the walker boundary, as in C: {@link #CONTINUE} (0) goes on, a positive
 * value stops the walk and is returned, a negative errno stops it as an error.
 */
public record MmWalkOps(PudEntry pudEntry, PmdEntry pmdEntry, PteEntry pteEntry, PteHole pteHole,
                        HugetlbEntry hugetlbEntry, TestWalk testWalk, InstallPte installPte) {

    /** 0: keep walking. */
    public static final int CONTINUE = 0;

    /** pud_entry(pud, addr, next, walk): the PUD table and slot. */
    @FunctionalInterface
    public interface PudEntry {
        int apply(Object[] pudTable, int index, long addr, long next, MmWalk walk);
    }

    /** pmd_entry(pmd, addr, next, walk): the PMD table and slot (the slot may hold a PTE table). */
    @FunctionalInterface
    public interface PmdEntry {
        int apply(Object[] pmdTable, int index, long addr, long next, MmWalk walk);
    }

    /** pte_entry(pte, addr, next, walk): the PTE table and index of the entry for addr. */
    @FunctionalInterface
    public interface PteEntry {
        int apply(long[] pteTable, int index, long addr, long next, MmWalk walk);
    }

    /** pte_hole(addr, next, depth, walk): no table at that depth (0 pgd .. 3 pmd; -1 no VMA). */
    @FunctionalInterface
    public interface PteHole {
        int apply(long addr, long next, int depth, MmWalk walk);
    }

    /**
     * hugetlb_entry(pte, hmask, addr, next, walk): the huge_pte of a 2 MiB page is the slot of the
     * PMD table that maps it, given as the table and index; the slot holds a {@link PmdLeaf} or
     * null (huge_pte_none()).
     */
    @FunctionalInterface
    public interface HugetlbEntry {
        int apply(Object[] pmdTable, int index, long hmask, long addr, long next, MmWalk walk);
    }

    /** test_walk(addr, next, walk): 0 walk this VMA, 1 skip it, negative stop with an error. */
    @FunctionalInterface
    public interface TestWalk {
        int apply(long addr, long next, MmWalk walk);
    }

    /** install_pte(addr, next, &pte, walk): returns the entry to install into an empty slot. */
    @FunctionalInterface
    public interface InstallPte {
        long apply(long addr, long next, MmWalk walk);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Fluent construction, one setter per callback. */
    public static final class Builder {
        private PudEntry pudEntry;
        private PmdEntry pmdEntry;
        private PteEntry pteEntry;
        private PteHole pteHole;
        private HugetlbEntry hugetlbEntry;
        private TestWalk testWalk;
        private InstallPte installPte;

        public Builder pudEntry(PudEntry f) {
            pudEntry = f;
            return this;
        }

        public Builder pmdEntry(PmdEntry f) {
            pmdEntry = f;
            return this;
        }

        public Builder pteEntry(PteEntry f) {
            pteEntry = f;
            return this;
        }

        public Builder pteHole(PteHole f) {
            pteHole = f;
            return this;
        }

        public Builder hugetlbEntry(HugetlbEntry f) {
            hugetlbEntry = f;
            return this;
        }

        public Builder testWalk(TestWalk f) {
            testWalk = f;
            return this;
        }

        public Builder installPte(InstallPte f) {
            installPte = f;
            return this;
        }

        public MmWalkOps build() {
            return new MmWalkOps(pudEntry, pmdEntry, pteEntry, pteHole, hugetlbEntry, testWalk, installPte);
        }
    }
}
