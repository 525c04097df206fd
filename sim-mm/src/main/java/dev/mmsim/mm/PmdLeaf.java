package dev.mmsim.mm;

/**
 * A PMD slot that maps 2 MiB directly instead of pointing to a PTE table: a PMD-mapped THP
 * (pmd_trans_huge()), the huge zero page, or a 2 MiB hugetlb entry (huge_pte at PMD level on
 * x86-64). The entry is packed as in {@link PteBits}, with {@link PteBits#_PAGE_PSE} set on a
 * present leaf; the PFN is that of the first base page of the 512.
 *
 * <p>A PMD table ({@code Object[512]}) slot therefore holds one of: {@code null} (pmd_none()), a
 * {@code long[512]} PTE table, or a {@code PmdLeaf}. Use {@link PageTables#pmdLeaf(long)} and
 * {@link PageTables#pteTable(long)} rather than casting slots.
 */
public final class PmdLeaf {
    /** The packed entry (present: with _PAGE_PSE). Mutable like the PMD word it models. */
    public long entry;

    public PmdLeaf(long entry) {
        this.entry = entry;
    }

    @Override
    public String toString() {
        return "PmdLeaf[" + Pte.decode(entry & ~PteBits._PAGE_PSE) + (PteBits.pteP(entry) ? ", pse" : "") + "]";
    }
}
