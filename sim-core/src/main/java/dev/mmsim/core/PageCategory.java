package dev.mmsim.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The PAGE_IS_* category bits reported by the PAGEMAP_SCAN ioctl (include/uapi/linux/fs.h), with
 * the lower-case names the scenario language uses.
 */
public enum PageCategory {
    /** The page may be write-protected through uffd-wp async (the VMA is registered so). */
    PAGE_IS_WPALLOWED(0, "wpallowed"),
    /** The page has been written since it was last write-protected (uffd-wp bit clear). */
    PAGE_IS_WRITTEN(1, "written"),
    /** A present page that is not anonymous: page cache or shmem. */
    PAGE_IS_FILE(2, "file"),
    /** A present page. */
    PAGE_IS_PRESENT(3, "present"),
    /** A swap entry or PTE marker. */
    PAGE_IS_SWAPPED(4, "swapped"),
    /** The shared zero page (or huge zero page). */
    PAGE_IS_PFNZERO(5, "pfnzero"),
    /** Mapped by a PMD-level THP or hugetlb entry. */
    PAGE_IS_HUGE(6, "huge"),
    /** Soft-dirty (CONFIG_MEM_SOFT_DIRTY). */
    PAGE_IS_SOFT_DIRTY(7, "soft_dirty"),
    /** A guard-region marker (6.16+). */
    PAGE_IS_GUARD(8, "guard");

    public final int bit;
    public final String scenarioName;

    PageCategory(int bit, String scenarioName) {
        this.bit = bit;
        this.scenarioName = scenarioName;
    }

    public long mask() {
        return 1L << bit;
    }

    /** PM_SCAN_CATEGORIES: every category bit the kernel accepts. */
    public static final long PM_SCAN_CATEGORIES = (1L << 9) - 1;

    public static PageCategory byName(String name) {
        for (PageCategory c : values()) if (c.scenarioName.equals(name)) return c;
        return null;
    }

    /** Renders a category mask as names joined by '|' in bit order; 0 renders as "none". */
    public static String render(long mask) {
        if (mask == 0) return "none";
        List<String> names = new ArrayList<>();
        for (PageCategory c : values()) if ((mask & c.mask()) != 0) names.add(c.scenarioName);
        long unknown = mask & ~PM_SCAN_CATEGORIES;
        if (unknown != 0) names.add("0x" + Long.toHexString(unknown));
        return String.join("|", names);
    }
}
