package dev.mmsim.core;

/**
 * x86-64 paging geometry with 4 KiB base pages and 4-level page tables
 * (arch/x86/include/asm/pgtable_64_types.h, page_types.h).
 */
public final class Geometry {
    private Geometry() {}

    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    public static final long PAGE_MASK = ~(PAGE_SIZE - 1);

    public static final int PTRS_PER_TABLE = 512;
    public static final int PMD_SHIFT = 21;
    public static final int PUD_SHIFT = 30;
    public static final int PGDIR_SHIFT = 39;
    public static final long PMD_SIZE = 1L << PMD_SHIFT;
    public static final long PMD_MASK = ~(PMD_SIZE - 1);
    public static final long PUD_SIZE = 1L << PUD_SHIFT;
    public static final long PUD_MASK = ~(PUD_SIZE - 1);
    public static final long PGDIR_SIZE = 1L << PGDIR_SHIFT;
    public static final long PGDIR_MASK = ~(PGDIR_SIZE - 1);

    /** TASK_SIZE_MAX for 4-level paging: 128 TiB minus one guard page. */
    public static final long TASK_SIZE = (1L << 47) - PAGE_SIZE;

    /**
     * The end of a user range as the simulator's signed arithmetic can use it: an end at or past
     * 2^63 (a negative long, as the kernel's unsigned long it is) becomes the last page boundary
     * below 2^63. No VMA lies above TASK_SIZE, so the kernel's loops (madvise_walk_vmas(),
     * do_mprotect_pkey(), apply_vma_lock_flags(), walk_page_range()) find the same VMAs and holes.
     */
    public static long clampUserEnd(long end) {
        return end < 0 ? Long.MAX_VALUE & PAGE_MASK : end;
    }

    public static boolean pageAligned(long addr) {
        return (addr & (PAGE_SIZE - 1)) == 0;
    }

    /** PAGE_ALIGN(): round up to a page boundary. */
    public static long pageAlign(long len) {
        return (len + PAGE_SIZE - 1) & PAGE_MASK;
    }

    public static int pteIndex(long addr) {
        return (int) ((addr >>> PAGE_SHIFT) & (PTRS_PER_TABLE - 1));
    }

    public static int pmdIndex(long addr) {
        return (int) ((addr >>> PMD_SHIFT) & (PTRS_PER_TABLE - 1));
    }

    public static int pudIndex(long addr) {
        return (int) ((addr >>> PUD_SHIFT) & (PTRS_PER_TABLE - 1));
    }

    public static int pgdIndex(long addr) {
        return (int) ((addr >>> PGDIR_SHIFT) & (PTRS_PER_TABLE - 1));
    }

    /** pmd_addr_end(): the end of the PMD-sized block holding addr, capped at end. */
    public static long pmdAddrEnd(long addr, long end) {
        long boundary = (addr + PMD_SIZE) & PMD_MASK;
        return Long.compareUnsigned(boundary - 1, end - 1) < 0 ? boundary : end;
    }

    /** pud_addr_end(). */
    public static long pudAddrEnd(long addr, long end) {
        long boundary = (addr + PUD_SIZE) & PUD_MASK;
        return Long.compareUnsigned(boundary - 1, end - 1) < 0 ? boundary : end;
    }

    /** pgd_addr_end(). */
    public static long pgdAddrEnd(long addr, long end) {
        long boundary = (addr + PGDIR_SIZE) & PGDIR_MASK;
        return Long.compareUnsigned(boundary - 1, end - 1) < 0 ? boundary : end;
    }
}
