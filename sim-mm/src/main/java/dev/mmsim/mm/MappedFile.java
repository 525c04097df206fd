package dev.mmsim.mm;

import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;

/**
 * A mappable object with a page cache: a regular file (struct file / address_space) or the shmem
 * object behind a MAP_SHARED|MAP_ANONYMOUS mapping (shmem_zero_setup(), mm/shmem.c). The page
 * cache maps a page index to the PFN holding it.
 *
 * <p>Model simplification: a regular file created by the scenario language is written with
 * write(2), so every page of it is in the page cache from the start, uptodate and dirty; shmem
 * pages enter the cache when first faulted.
 */
public final class MappedFile {
    private final String name;
    private long size;
    private final boolean shmem;
    private final LongIntHashMap cache = new LongIntHashMap();

    public MappedFile(String name, long size, boolean shmem) {
        this.name = name;
        this.size = size;
        this.shmem = shmem;
    }

    /** A regular file of size zero bytes, fully cached (written with write(2)). */
    public static MappedFile regular(String name, long size, FrameTable frames) {
        MappedFile f = new MappedFile(name, size, false);
        long pages = (size + dev.mmsim.core.Geometry.PAGE_SIZE - 1) >>> dev.mmsim.core.Geometry.PAGE_SHIFT;
        for (long i = 0; i < pages; i++) f.cache.put(i, frames.alloc(FrameTable.PAGECACHE));
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

    /** shmem_get_folio(SGP_CACHE): the cached PFN, allocating a zeroed page if absent. */
    public int getOrAlloc(long index, FrameTable frames) {
        int pfn = cache.getIfAbsent(index, 0);
        if (pfn == 0) {
            pfn = frames.alloc(FrameTable.PAGECACHE);
            cache.put(index, pfn);
        }
        return pfn;
    }

    public int cachedPages() {
        return cache.size();
    }
}
