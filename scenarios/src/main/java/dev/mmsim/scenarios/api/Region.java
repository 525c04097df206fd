package dev.mmsim.scenarios.api;

import dev.mmsim.core.PageCategory;

import java.util.EnumSet;
import java.util.Set;

/**
 * One region PAGEMAP_SCAN returned (struct page_region): [start, end) and its categories.
 *
 * @param mask the categories as the kernel's PAGE_IS_* bit mask
 */
public record Region(long start, long end, long mask) {
    /** The categories, as {@link PageCategory} constants. */
    public Set<PageCategory> categories() {
        EnumSet<PageCategory> out = EnumSet.noneOf(PageCategory.class);
        for (PageCategory c : PageCategory.values()) if ((mask & c.mask()) != 0) out.add(c);
        return out;
    }

    /** Whether the region has category {@code c}. */
    public boolean has(PageCategory c) {
        return (mask & c.mask()) != 0;
    }

    /** Its length in pages. */
    public long pages() {
        return (end - start) / Machine.PAGE;
    }
}
