package dev.mmsim.core;

/** PAGEMAP_SCAN flags and argument constants (include/uapi/linux/fs.h). */
public final class ScanFlag {
    /** PAGEMAP_SCAN, the ioctl request: _IOWR('f', 16, struct pm_scan_arg). */
    public static final long PAGEMAP_SCAN = 0xc0606610L;

    private ScanFlag() {}

    /** Write-protect the pages that match (uffd-wp async). */
    public static final long PM_SCAN_WP_MATCHING = 1L << 0;
    /** Fail with EPERM on a VMA that is not registered for async uffd-wp. */
    public static final long PM_SCAN_CHECK_WPASYNC = 1L << 1;
    public static final long PM_SCAN_FLAGS = PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC;

    /** sizeof(struct pm_scan_arg). */
    public static final long PM_SCAN_ARG_SIZE = 96;
    /** sizeof(struct page_region). */
    public static final long PAGE_REGION_SIZE = 24;
    /** The kernel's bounce buffer: PAGEMAP_WALK_SIZE / PAGE_SIZE entries (PMD_SIZE, 512). */
    public static final int PM_SCAN_BOUNCE_ENTRIES = 512;
}
