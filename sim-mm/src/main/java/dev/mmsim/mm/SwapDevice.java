package dev.mmsim.mm;

import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;

/**
 * One swap device (mm/swapfile.c): numbered slots with a use count each (swap_map), and the swap
 * cache of pages swapped in while another process still holds the slot (mm/swap_state.c). Slot
 * contents are the value a page held (see FrameTable#value()). Swap type 0 (the only device).
 *
 * <p>The device exists when the host has active swap or the scenario requires swap (the kernel
 * backend then sets up a swap file); without it, reclaim cannot move anonymous or shmem pages out.
 */
public final class SwapDevice {
    /** The swap type of this device in swap entries. */
    public static final int TYPE = 0;

    private boolean enabled;
    private long nextOffset = 1; // offset 0 holds the header on a real device
    private final LongIntHashMap useCount = new LongIntHashMap();
    private final LongIntHashMap swapCache = new LongIntHashMap();
    /**
     * Slots written from a frame that held data (FrameTable#nonZero()), with the frame's value
     * (FrameTable#value()): what swap-in gives back. A zero-filled page has no entry (the kernel
     * only notes it in the zeromap, swap_zeromap_folio_set()).
     */
    private final org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap contents =
            new org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap();

    /** Slots whose page had data past its first 8 bytes (FrameTable#restData()). */
    private final org.eclipse.collections.impl.set.mutable.primitive.LongHashSet restData =
            new org.eclipse.collections.impl.set.mutable.primitive.LongHashSet();

    /** swap_writeout(): the slot now holds the frame's contents. */
    void store(long offset, int pfn, FrameTable frames) {
        if (!frames.nonZero(pfn)) return;
        contents.put(offset, frames.value(pfn));
        if (frames.restData(pfn)) restData.add(offset);
    }

    /** Whether the slot's page had data past its first 8 bytes. */
    boolean restData(long offset) {
        return restData.contains(offset);
    }

    /** Whether the slot holds data rather than zeroes. */
    boolean holdsData(long offset) {
        return contents.containsKey(offset);
    }

    /** The value the slot holds (0 for a zero-filled page). */
    long value(long offset) {
        return contents.getIfAbsent(offset, 0);
    }

    /** swap_read_folio(): the frame gets the slot's contents. */
    void load(long offset, int pfn, FrameTable frames) {
        if (contents.containsKey(offset)) frames.setContents(pfn, contents.get(offset), restData.contains(offset));
    }

    public boolean enabled() {
        return enabled;
    }

    /** swapon(): reclaim may now swap. */
    public void enable() {
        enabled = true;
    }

    /** folio_alloc_swap(): a free slot, used once. */
    long alloc() {
        long offset = nextOffset++;
        useCount.put(offset, 1);
        return offset;
    }

    /** swap_duplicate(): fork gives the child a reference to the slot too. */
    void duplicate(long offset) {
        useCount.addToValue(offset, 1);
    }

    /** swap_free(): drops a reference; the last one frees the slot and its swap-cache page. */
    void free(long offset, FrameTable frames) {
        int left = useCount.addToValue(offset, -1);
        if (left > 0) return;
        useCount.remove(offset);
        contents.remove(offset);
        restData.remove(offset);
        int pfn = swapCache.removeKeyIfAbsent(offset, 0);
        if (pfn != 0) frames.leaveSwapCache(pfn);
    }

    public int useCount(long offset) {
        return useCount.getIfAbsent(offset, 0);
    }

    /** The swap-cache page for a slot, or 0. */
    int cached(long offset) {
        return swapCache.getIfAbsent(offset, 0);
    }

    /** Keeps a swapped-in page for the slot's other users (it stays allocated while cached). */
    void cache(long offset, int pfn, FrameTable frames) {
        frames.enterSwapCache(pfn);
        swapCache.put(offset, pfn);
    }

    /** Slots in use. */
    public int slotsInUse() {
        return useCount.size();
    }
}
