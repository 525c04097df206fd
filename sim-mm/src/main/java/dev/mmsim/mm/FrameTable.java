package dev.mmsim.mm;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

/**
 * Physical memory, shared by every simulated address space: the page frames — what each PFN holds
 * and how many PTEs map it, the part of struct page / struct folio that the modelled paths read —
 * and the swap device. Frame metadata lives in parallel primitive arrays indexed by PFN, so a
 * million mapped pages cost a few bytes each.
 *
 * <p>PFN 0 is never handed out; {@link #ZERO_PFN} is the shared zero page (my_zero_pfn()).
 * Anonymous frames are freed when their last mapping goes; page-cache frames stay with their
 * file until it is truncated or the object dies.
 */
public final class FrameTable {
    /** The shared zero page. */
    public static final int ZERO_PFN = 1;

    public static final byte FREE = 0;
    public static final byte ANON = 1;
    public static final byte PAGECACHE = 2;
    public static final byte ZERO = 3;
    /** A 2 MiB hugetlb folio of a private mapping (anonymous: folio_test_anon()). */
    public static final byte HUGETLB_ANON = 4;
    /** A 2 MiB hugetlb folio in a hugetlbfs inode's page cache (shared mappings). */
    public static final byte HUGETLB_FILE = 5;

    private byte[] kind = new byte[1024];
    private int[] mapcount = new int[1024];
    private int next = ZERO_PFN + 1;
    private final IntArrayList freeList = new IntArrayList();
    private long anonFrames;
    private final SwapDevice swap = new SwapDevice();
    private final HugetlbPool hugetlb = new HugetlbPool(this);
    /** Anonymous frames held by the swap cache: not freed when their last mapping goes. */
    private final org.eclipse.collections.impl.set.mutable.primitive.IntHashSet swapCached =
            new org.eclipse.collections.impl.set.mutable.primitive.IntHashSet();
    /** Anonymous frames freed lazily with MADV_FREE (folio swapbacked flag clear). */
    private final org.eclipse.collections.impl.set.mutable.primitive.IntHashSet lazyfree =
            new org.eclipse.collections.impl.set.mutable.primitive.IntHashSet();

    public FrameTable() {
        kind[ZERO_PFN] = ZERO;
    }

    /** Allocates a frame of the given kind (folio_alloc()). */
    public int alloc(byte k) {
        int pfn;
        if (!freeList.isEmpty()) {
            pfn = freeList.removeAtIndex(freeList.size() - 1);
        } else {
            pfn = next++;
            if (pfn >= kind.length) {
                int n = kind.length * 2;
                kind = java.util.Arrays.copyOf(kind, n);
                mapcount = java.util.Arrays.copyOf(mapcount, n);
            }
        }
        kind[pfn] = k;
        mapcount[pfn] = 0;
        if (k == ANON) anonFrames++;
        return pfn;
    }

    public byte kind(long pfn) {
        return kind[(int) pfn];
    }

    /** folio_test_anon(). */
    public boolean isAnon(long pfn) {
        return kind[(int) pfn] == ANON;
    }

    /** is_zero_pfn(). */
    public static boolean isZeroPfn(long pfn) {
        return pfn == ZERO_PFN;
    }

    public int mapcount(long pfn) {
        return mapcount[(int) pfn];
    }

    /** A new PTE maps the frame (folio_add_*_rmap_pte()). */
    public void map(long pfn) {
        if (pfn != ZERO_PFN) mapcount[(int) pfn]++;
    }

    /**
     * A PTE stops mapping the frame (folio_remove_rmap_pte()); an anonymous frame that is no longer
     * mapped anywhere is freed.
     */
    public void unmap(long pfn) {
        if (pfn == ZERO_PFN) return;
        int i = (int) pfn;
        mapcount[i]--;
        if (mapcount[i] == 0 && kind[i] == ANON && !swapCached.contains(i)) free(i);
    }

    /** folio_mark_lazyfree(): MADV_FREE made the anonymous frame droppable while it stays clean. */
    void markLazyfree(long pfn) {
        lazyfree.add((int) pfn);
    }

    /** The frame is swap-backed again (it was written after MADV_FREE). */
    void clearLazyfree(long pfn) {
        lazyfree.remove((int) pfn);
    }

    boolean lazyfree(long pfn) {
        return lazyfree.contains((int) pfn);
    }

    /** The frame is now in the swap cache (add_to_swap_cache()). */
    void enterSwapCache(int pfn) {
        swapCached.add(pfn);
    }

    /** The frame leaves the swap cache; an unmapped anonymous frame is then freed. */
    void leaveSwapCache(int pfn) {
        swapCached.remove(pfn);
        if (mapcount[pfn] == 0 && kind[pfn] == ANON) free(pfn);
    }

    /** Frees a page-cache frame dropped from its file. */
    public void free(int pfn) {
        if (kind[pfn] == ANON) anonFrames--;
        lazyfree.remove(pfn);
        kind[pfn] = FREE;
        freeList.add(pfn);
    }

    /** The machine's swap device, shared like the frames by every address space. */
    public SwapDevice swap() {
        return swap;
    }

    /** The machine's hugetlb pool, shared like the frames by every address space. */
    public HugetlbPool hugetlb() {
        return hugetlb;
    }

    public long anonFrames() {
        return anonFrames;
    }
}
