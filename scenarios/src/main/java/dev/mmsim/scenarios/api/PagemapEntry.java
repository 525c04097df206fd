package dev.mmsim.scenarios.api;

import dev.mmsim.proc.Pagemap;

/**
 * One 64-bit entry of /proc/pid/pagemap, decoded (Documentation/admin-guide/mm/pagemap.rst).
 *
 * @param address  the virtual address of the page it describes
 * @param word     the raw entry
 */
public record PagemapEntry(long address, long word) {
    /** Bit 63: the page is present. */
    public boolean present() {
        return (word & Pagemap.PM_PRESENT) != 0;
    }

    /** Bit 62: the page is swapped (or a marker such as a guard region). */
    public boolean swapped() {
        return (word & Pagemap.PM_SWAP) != 0;
    }

    /** Bit 61: a file page or shared anonymous page. */
    public boolean file() {
        return (word & Pagemap.PM_FILE) != 0;
    }

    /** Bit 56: the page is mapped exclusively. */
    public boolean exclusive() {
        return (word & Pagemap.PM_MMAP_EXCLUSIVE) != 0;
    }

    /** Bit 57: the entry is uffd-wp write-protected. */
    public boolean uffdWp() {
        return (word & Pagemap.PM_UFFD_WP) != 0;
    }

    /** Bit 58: a guard region marker. */
    public boolean guard() {
        return (word & Pagemap.PM_GUARD_REGION) != 0;
    }

    /** Bit 55: soft-dirty. */
    public boolean softDirty() {
        return (word & Pagemap.PM_SOFT_DIRTY) != 0;
    }

    /** Bits 0-54 of a present page: its PFN (0 when hidden); -1 when not present. */
    public long pfn() {
        return present() ? word & Pagemap.PM_PFRAME_MASK : -1;
    }

    /** The swap type of a swapped entry (bits 0-4), or -1. */
    public int swapType() {
        return !present() && swapped() ? (int) (word & 31) : -1;
    }
}
