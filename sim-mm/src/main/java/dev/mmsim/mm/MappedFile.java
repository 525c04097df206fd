package dev.mmsim.mm;

import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;

/**
 * A mappable object with a page cache: a regular file (struct file / address_space) or the shmem
 * object behind a MAP_SHARED|MAP_ANONYMOUS mapping (shmem_zero_setup(), mm/shmem.c). The page
 * cache maps a page index to the PFN holding it.
 *
 * <p>Model simplification: a regular file created by the scenario language is written with
 * write(2), so every page of it is in the page cache from the start, uptodate and dirty; shmem
 * pages enter the cache when first faulted. Writeback is not modelled: a dirty page stays dirty
 * (the kernel's flusher cleans it after dirty_expire_centisecs, 30 s by default, far longer than
 * a scenario runs). A regular file's page read in later (a hole, a page reclaim dropped) is clean
 * until written.
 */
public final class MappedFile {
    private final String name;
    private long size;
    private final boolean shmem;
    private final LongIntHashMap cache = new LongIntHashMap();
    /**
     * Pages that are dirty (written, or swapped back in): reclaim must keep them (a regular file) or
     * swap them (shmem).
     */
    private final org.eclipse.collections.impl.set.mutable.primitive.LongHashSet dirty =
            new org.eclipse.collections.impl.set.mutable.primitive.LongHashSet();
    /**
     * Regular-file pages reclaim kept because they were dirty: they carry PG_reclaim, the bit
     * PG_readahead shares, so fault-around passes them by until a fault on the page itself clears
     * it (do_async_mmap_readahead()).
     */
    private final org.eclipse.collections.impl.set.mutable.primitive.LongHashSet reclaimMarked =
            new org.eclipse.collections.impl.set.mutable.primitive.LongHashSet();
    /** Shmem pages moved out to swap: page index to swap offset. */
    private final org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap swapped =
            new org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap();
    /**
     * The object's contents as the scenario language sees them: page index to the value of the
     * page's first 8 bytes, for pages that hold anything but zeroes. Kept by index rather than by
     * frame: a page reclaim drops (clean, or written back) or shmem swaps out comes back with the
     * same contents; only truncation and hole punching lose them.
     */
    private final org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap values =
            new org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap();
    /** The address spaces that map this object (i_mmap, at mm granularity). */
    private final java.util.Set<Mm> mappers = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** F_SEAL_* bits (memfd only). */
    int seals;
    /** The descriptor was opened O_RDONLY (FMODE_WRITE clear). */
    boolean readOnly;
    /** Created by memfd_create(): seals may be added. */
    boolean memfd;

    public MappedFile(String name, long size, boolean shmem) {
        this.name = name;
        this.size = size;
        this.shmem = shmem;
    }

    /** A regular file of size zero bytes, fully cached (written with write(2)). */
    public static MappedFile regular(String name, long size, FrameTable frames) {
        MappedFile f = new MappedFile(name, size, false);
        long pages = (size + dev.mmsim.core.Geometry.PAGE_SIZE - 1) >>> dev.mmsim.core.Geometry.PAGE_SHIFT;
        for (long i = 0; i < pages; i++) {
            f.cache.put(i, frames.alloc(FrameTable.PAGECACHE));
            f.dirty.add(i);
        }
        return f;
    }

    public String name() {
        return name;
    }

    /** i_size in bytes. */
    public long size() {
        return size;
    }

    /** Whether this is a shmem object (vma_is_shmem()). */
    public boolean shmem() {
        return shmem;
    }

    /** Number of pages up to i_size: indexes at or above it raise SIGBUS. */
    public long sizePages() {
        return (size + dev.mmsim.core.Geometry.PAGE_SIZE - 1) >>> dev.mmsim.core.Geometry.PAGE_SHIFT;
    }

    /** filemap_get_folio(): the cached PFN for index, or 0. */
    public int lookup(long index) {
        return cache.getIfAbsent(index, 0);
    }

    /**
     * The page-cache page for index, bringing it in if absent: shmem_get_folio(SGP_CACHE) allocates
     * a zeroed page or swaps it back in; a regular file reads it from disk (a hole reads as zeros).
     */
    public int getOrAlloc(long index, FrameTable frames) {
        int pfn = cache.getIfAbsent(index, 0);
        if (pfn == 0) {
            pfn = frames.alloc(FrameTable.PAGECACHE);
            cache.put(index, pfn);
            if (swapped.containsKey(index)) {
                // shmem_swapin_folio(): back from swap, the page is dirty again
                frames.swap().free(swapped.removeKeyIfAbsent(index, 0), frames);
                dirty.add(index);
            }
        }
        return pfn;
    }

    /** The value of page index: what a mapping of it reads, and what a private copy of it starts with. */
    public long value(long index) {
        return values.getIfAbsent(index, 0);
    }

    /** A user store into page index through a shared mapping. */
    void setValue(long index, long value) {
        if (value == 0) values.remove(index);
        else values.put(index, value);
    }

    /**
     * truncate_inode_partial_folio(): a new size inside page index zeroes the page from there on;
     * the value's bytes at and past byte offset cut go.
     */
    void zeroTail(long index, int cut) {
        if (cut >= Long.BYTES || value(index) < 0) return;
        setValue(index, value(index) & ((1L << (8 * cut)) - 1));
    }

    /** folio_mark_dirty(): a dirty entry was unmapped, or the page was written. */
    void markDirty(long index) {
        dirty.add(index);
    }

    /** folio_set_reclaim(): reclaim kept the dirty page; it now reads as "readahead" too. */
    void markReclaim(long index) {
        reclaimMarked.add(index);
    }

    /** folio_test_readahead() of the cached page (PG_reclaim and PG_readahead are one bit). */
    boolean readaheadMarked(long index) {
        return reclaimMarked.contains(index);
    }

    /** folio_clear_readahead(), by page_cache_async_ra() when a fault finds the page marked. */
    void clearReadahead(long index) {
        reclaimMarked.remove(index);
    }

    boolean isDirty(long index) {
        return dirty.contains(index);
    }

    /** Reclaim drops a clean page: it leaves the page cache (a later fault brings a zeroed one). */
    void dropClean(long index, FrameTable frames) {
        int pfn = uncache(index);
        if (pfn != 0 && frames.mapcount(pfn) == 0) frames.free(pfn);
    }

    /** Heads (page indexes, multiples of 512) of PMD-sized folios in the cache, made by a collapse. */
    private final org.eclipse.collections.impl.set.mutable.primitive.LongHashSet largeFolios =
            new org.eclipse.collections.impl.set.mutable.primitive.LongHashSet();

    /** Takes index out of the cache; a PMD-sized folio holding it is split first. Returns its PFN or 0. */
    private int uncache(long index) {
        largeFolios.remove(index - index % HPAGE_PMD_NR);
        return cache.removeKeyIfAbsent(index, 0);
    }

    /** The first index of the PMD-sized folio holding index, or -1 when its folio is a single page. */
    long largeFolioHead(long index) {
        long head = index - index % HPAGE_PMD_NR;
        return largeFolios.contains(head) ? head : -1;
    }

    private static final int HPAGE_PMD_NR = 512;

    /**
     * collapse_file() (mm/khugepaged.c) for shmem: the pages at [index, index + n) are replaced in
     * the cache by the subpages of one new folio (their data copied; holes filled with zeroed
     * subpages), dirty. The old pages must be unmapped everywhere already; they are freed.
     */
    void collapseInto(long index, int n, FrameTable frames) {
        for (long i = index; i < index + n; i++) {
            int fresh = frames.alloc(FrameTable.PAGECACHE);
            int old = cache.getIfAbsent(i, 0);
            if (old != 0) {
                frames.copyContents(old, fresh);
                if (frames.mapcount(old) == 0) frames.free(old);
            }
            cache.put(i, fresh);
            dirty.add(i);
        }
        if (index % HPAGE_PMD_NR == 0 && n == HPAGE_PMD_NR) largeFolios.add(index);
    }

    /** Whether index is out in swap (shmem). */
    boolean isSwapped(long index) {
        return swapped.containsKey(index);
    }

    /** shmem_writeout(): the unmapped page moves to a swap slot and leaves the page cache. */
    void swapOut(long index, FrameTable frames) {
        int pfn = uncache(index);
        if (pfn == 0) return;
        dirty.remove(index);
        swapped.put(index, frames.swap().alloc());
        if (frames.mapcount(pfn) == 0) frames.free(pfn);
    }

    /** Pages of [from, to) that are out in swap (shmem_partial_swap_usage()). */
    public long swappedPages(long from, long to) {
        long n = 0;
        for (long index : swapped.keysView().toArray()) if (index >= from && index < to) n++;
        return n;
    }

    /** A memfd: a shmem object of size bytes with no pages yet, open for sealing. */
    public static MappedFile memfd(String name, long size) {
        MappedFile f = new MappedFile(name, size, true);
        f.memfd = true;
        return f;
    }

    void addMapper(Mm mm) {
        mappers.add(mm);
    }

    /** The address spaces to search for mappings of this object. */
    Iterable<Mm> mappers() {
        return mappers;
    }

    void setSize(long size) {
        this.size = size;
    }

    /** Drops the pages with index in [from, to), cached or swapped (truncate_inode_pages_range()). */
    void dropPages(long from, long to, FrameTable frames) {
        for (long index : cache.keysView().toSortedArray()) {
            if (index < from || index >= to) continue;
            int pfn = uncache(index);
            dirty.remove(index);
            reclaimMarked.remove(index);
            if (frames.mapcount(pfn) == 0) frames.free(pfn);
        }
        for (long index : swapped.keysView().toSortedArray()) {
            if (index >= from && index < to) frames.swap().free(swapped.removeKeyIfAbsent(index, 0), frames);
        }
        // the pages' contents go with them: a hole reads as zeroes
        for (long index : values.keysView().toSortedArray()) {
            if (index >= from && index < to) values.remove(index);
        }
    }

    public int seals() {
        return seals;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public int cachedPages() {
        return cache.size();
    }
}
