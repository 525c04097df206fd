package dev.mmsim.mm;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

/**
 * Physical memory, shared by every simulated address space: the page frames — what each PFN holds
 * and how many PTEs map it, the part of struct page / struct folio that the modelled paths read —
 * and the swap device.
 *
 * <p>Storage: one byte per frame, in fixed chunks of {@value #CHUNK} frames allocated as PFNs
 * are first handed out (nothing is copied when memory grows). The byte packs the frame's kind
 * (3 bits), folio_test_large() (1 bit), whether it holds non-zero data (1 bit) and its mapcount
 * (3 bits: 0 to 6; {@link #MC_OVERFLOW} says the count is in an overflow map, as for a page
 * mapped by more than six forked processes). Per-folio counts (a THP's entire mapcount) are kept
 * once per folio, in a map keyed by the head PFN. What a frame holds is its value, the first 8
 * bytes of the page (see {@link #value}): only values other than 0 and the plain write's byte take
 * an entry in a sparse map.
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

    /** Frames per chunk of the table. */
    static final int CHUNK_SHIFT = 16;
    static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int CHUNK_MASK = CHUNK - 1;
    /** Bits of a frame's byte: its kind (FREE .. HUGETLB_FILE). */
    private static final int KIND_MASK = 0x07;
    /**
     * A base page still part of a PMD-sized THP folio (folio_test_large()). The folio's 512 frames
     * are contiguous and aligned, so its head is {@code pfn & ~511}.
     */
    private static final int LARGE = 0x08;
    /**
     * The frame's contents are not all zeroes: a user write reached it (the scenario language
     * writes a non-zero byte), or it was copied from such a frame. With {@link #values} it gives the
     * frame's value; folio splits read it to map zero-filled base pages of an anonymous THP to the
     * shared zero page.
     */
    private static final int NON_ZERO = 0x10;
    private static final int MC_SHIFT = 5;
    /** The mapcount field's value that sends a reader to the overflow map. */
    static final int MC_OVERFLOW = 7;

    /**
     * What the plain write of the scenario language stores: the byte 0x5a at the start of the page.
     * A frame with {@link #NON_ZERO} set and no entry in {@link #values} holds this value.
     */
    public static final long PLAIN_WRITE = 0x5a;
    /**
     * The contents of frames, as the scenario language sees them: the first 8 bytes of the page,
     * little-endian (the rest of a page is never written). A frame without {@link #NON_ZERO} holds 0,
     * one with it and no entry here {@link #PLAIN_WRITE}; only other values have an entry (0 too,
     * for a frame whose data lies past its first 8 bytes, see {@link #restData}), so that
     * zero-filled and plainly written frames cost nothing. A hugetlb folio keeps one value per base
     * page, under key {@code (pfn << 9) | subpage}, in {@link #hugetlbValues}.
     */
    private final org.eclipse.collections.impl.map.mutable.primitive.IntLongHashMap values =
            new org.eclipse.collections.impl.map.mutable.primitive.IntLongHashMap();
    /** Frames with data past their first 8 bytes (a plain write at an offset of 8 or more): rare. */
    private final org.eclipse.collections.impl.set.mutable.primitive.IntHashSet restData =
            new org.eclipse.collections.impl.set.mutable.primitive.IntHashSet();
    /** Base pages of hugetlb folios holding anything but zeroes: {@code (pfn << 9) | subpage} to value. */
    private final org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap hugetlbValues =
            new org.eclipse.collections.impl.map.mutable.primitive.LongLongHashMap();
    /** chunks[pfn >>> CHUNK_SHIFT][pfn & CHUNK_MASK]: the frame's packed byte; null chunks are unused. */
    private byte[][] chunks = new byte[4][];
    /** The mapcounts that do not fit the byte (above 6, or below 0), by PFN. */
    private final org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap mapcountOverflow =
            new org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap();
    /** For the head frame of a THP: the folio's entire mapcount (PMD mappings, folio_entire_mapcount()); absent when 0. */
    private final org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap entireMapcount =
            new org.eclipse.collections.impl.map.mutable.primitive.IntIntHashMap();
    /** The huge zero page's head frame, allocated on first use (mm_get_huge_zero_folio()); 0 until then. */
    private int hugeZeroPfn;
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
    /** Lazyfree frames whose folio was marked dirty (PG_dirty) since: reclaim may not drop them. */
    private final org.eclipse.collections.impl.set.mutable.primitive.IntHashSet lazyfreeDirty =
            new org.eclipse.collections.impl.set.mutable.primitive.IntHashSet();

    public FrameTable() {
        ensureCapacity(ZERO_PFN + 1);
        setKind(ZERO_PFN, ZERO);
    }

    private int bits(int pfn) {
        return chunks[pfn >>> CHUNK_SHIFT][pfn & CHUNK_MASK];
    }

    private void setBits(int pfn, int b) {
        chunks[pfn >>> CHUNK_SHIFT][pfn & CHUNK_MASK] = (byte) b;
    }

    private byte kindOf(int pfn) {
        return (byte) (bits(pfn) & KIND_MASK);
    }

    private void setKind(int pfn, byte k) {
        setBits(pfn, (bits(pfn) & ~KIND_MASK) | k);
    }

    private boolean flag(int pfn, int flag) {
        return (bits(pfn) & flag) != 0;
    }

    private void setFlag(int pfn, int flag, boolean on) {
        int b = bits(pfn);
        setBits(pfn, on ? b | flag : b & ~flag);
    }

    private int mapcountOf(int pfn) {
        int m = (bits(pfn) >>> MC_SHIFT) & 7;
        return m == MC_OVERFLOW ? mapcountOverflow.get(pfn) : m;
    }

    private void setMapcount(int pfn, int n) {
        int b = bits(pfn);
        if (((b >>> MC_SHIFT) & 7) == MC_OVERFLOW) mapcountOverflow.remove(pfn);
        int field = n;
        if (n < 0 || n >= MC_OVERFLOW) {
            mapcountOverflow.put(pfn, n);
            field = MC_OVERFLOW;
        }
        setBits(pfn, (b & ~(7 << MC_SHIFT)) | (field << MC_SHIFT));
    }

    /** A frame freshly handed out: its kind, no mapping, zero-filled, a small folio. */
    private void initFrame(int pfn, byte k) {
        if (((bits(pfn) >>> MC_SHIFT) & 7) == MC_OVERFLOW) mapcountOverflow.remove(pfn);
        setBits(pfn, k);
    }

    /** Allocates a frame of the given kind (folio_alloc()). */
    public int alloc(byte k) {
        int pfn;
        if (!freeList.isEmpty()) {
            pfn = freeList.removeAtIndex(freeList.size() - 1);
        } else {
            pfn = next++;
            ensureCapacity(pfn + 1);
        }
        // the large flag of a frame on the free list is already clear (free() clears it)
        boolean large = flag(pfn, LARGE);
        initFrame(pfn, k);
        if (large) setFlag(pfn, LARGE, true);
        if (k == ANON) anonFrames++;
        return pfn;
    }

    /** Allocates the chunks that hold PFNs below size; existing chunks never move. */
    private void ensureCapacity(int size) {
        int need = (size + CHUNK - 1) >>> CHUNK_SHIFT;
        if (need > chunks.length) chunks = java.util.Arrays.copyOf(chunks, Math.max(need, chunks.length * 2));
        for (int c = 0; c < need; c++) if (chunks[c] == null) chunks[c] = new byte[CHUNK];
    }

    /** Whether the frame holds anything but zeroes (memchr_inv() on its contents). */
    public boolean nonZero(long pfn) {
        return flag((int) pfn, NON_ZERO);
    }

    /** The frame's value (its first 8 bytes); the zero pages read 0. */
    public long value(long pfn) {
        int i = (int) pfn;
        if (!flag(i, NON_ZERO)) return 0;
        return values.getIfAbsent(i, PLAIN_WRITE);
    }

    /** Whether bytes past the first 8 of the frame are not all zero (a plain write further into the page). */
    public boolean restData(long pfn) {
        return restData.contains((int) pfn);
    }

    /** The frame's contents: value in its first 8 bytes, and whether anything past them is not zero. */
    public void setContents(long pfn, long value, boolean rest) {
        int i = (int) pfn;
        if (kindOf(i) == ZERO) return;
        boolean nonZero = value != 0 || rest;
        setFlag(i, NON_ZERO, nonZero);
        if (!nonZero || value == PLAIN_WRITE) values.remove(i);
        else values.put(i, value);
        if (rest) restData.add(i);
        else restData.remove(i);
    }

    /** A user store of value into the first 8 bytes of the frame (the rest of it stays). */
    public void setValue(long pfn, long value) {
        setContents(pfn, value, restData(pfn));
    }

    /**
     * A value the model does not know: what the kernel itself wrote into user memory (the regions of
     * a PAGEMAP_SCAN, a pagemap read). Every negative value means this; copies keep it.
     */
    public static final long UNKNOWN = -1;

    /**
     * The plain write of the byte 0x5a at byte offset of a page whose first 8 bytes held old: a byte
     * of the value when offset is below 8, else the value stays (an unknown value stays unknown).
     */
    public static long plainWrite(long old, int offset) {
        if (old < 0 || offset >= Long.BYTES) return old;
        return (old & ~(0xffL << (8 * offset))) | (PLAIN_WRITE << (8 * offset));
    }

    /** copy_mc_user_highpage() / folio_copy(): the frame to gets the contents of frame from. */
    public void copyContents(long from, long to) {
        setContents(to, value(from), restData(from));
    }

    /** The value of base page sub of the hugetlb folio at pfn. */
    public long hugetlbValue(long pfn, int sub) {
        return hugetlbValues.getIfAbsent((pfn << 9) | sub, 0);
    }

    /** A user store into base page sub of the hugetlb folio at pfn. */
    public void setHugetlbValue(long pfn, int sub, long value) {
        if (value == 0) hugetlbValues.remove((pfn << 9) | sub);
        else hugetlbValues.put((pfn << 9) | sub, value);
    }

    /** copy_user_large_folio() of a hugetlb folio: every base page's contents. */
    public void copyHugetlbContents(long from, long to) {
        for (int sub = 0; sub < HPAGE_PMD_NR; sub++) setHugetlbValue(to, sub, hugetlbValue(from, sub));
    }

    /**
     * __folio_split() to order 0: every base page of the THP becomes a folio of its own; the ones no
     * longer mapped are freed.
     */
    public void splitFolio(long head) {
        int h = (int) head;
        entireMapcount.remove(h);
        for (int pfn = h; pfn < h + HPAGE_PMD_NR; pfn++) {
            if (!flag(pfn, LARGE)) continue;
            setFlag(pfn, LARGE, false);
            if (mapcountOf(pfn) == 0 && kindOf(pfn) == ANON && !swapCached.contains(pfn)) free(pfn);
        }
    }

    /** Base pages in a PMD-sized THP folio (HPAGE_PMD_NR). */
    public static final int HPAGE_PMD_NR = 512;

    /**
     * Allocates a PMD-sized anonymous THP folio (vma_alloc_anon_folio_pmd(), mm/huge_memory.c): 512
     * contiguous frames whose first PFN is a multiple of 512, not yet mapped. Returns the head PFN.
     */
    public int allocThp() {
        int head = reservePmdRun();
        for (int pfn = head; pfn < next; pfn++) {
            initFrame(pfn, ANON);
            setFlag(pfn, LARGE, true);
        }
        entireMapcount.remove(head);
        anonFrames += HPAGE_PMD_NR;
        return head;
    }

    /** The huge zero page (mm_get_huge_zero_folio()): 512 frames of zeroes, shared, never freed. */
    public int hugeZeroPfn() {
        if (hugeZeroPfn == 0) {
            int head = reservePmdRun();
            for (int pfn = head; pfn < next; pfn++) setKind(pfn, ZERO);
            hugeZeroPfn = head;
        }
        return hugeZeroPfn;
    }

    /**
     * The next 512 never-used frames starting at a multiple of 512 (what a buddy allocator hands
     * out for an order-9 request); the frames skipped for alignment go to the free list. Returns
     * the head PFN; {@code next} is then just past the run.
     */
    private int reservePmdRun() {
        int head = (next + HPAGE_PMD_NR - 1) & ~(HPAGE_PMD_NR - 1);
        for (int pfn = next; pfn < head; pfn++) {
            ensureCapacity(pfn + 1);
            setKind(pfn, FREE);
            freeList.add(pfn);
        }
        next = head + HPAGE_PMD_NR;
        ensureCapacity(next);
        return head;
    }

    /** is_huge_zero_pfn(): pfn is the head of the huge zero page. */
    public boolean isHugeZeroPfn(long pfn) {
        return hugeZeroPfn != 0 && pfn == hugeZeroPfn;
    }

    /** folio_test_large() for the folio holding pfn: a base page of a THP that was not freed yet. */
    public boolean isLarge(long pfn) {
        return flag((int) pfn, LARGE);
    }

    /** The head frame of the THP holding pfn (folio_pfn(page_folio())); pfn itself for a small folio. */
    public int thpHead(long pfn) {
        return isLarge(pfn) ? (int) pfn & ~(HPAGE_PMD_NR - 1) : (int) pfn;
    }

    /** folio_entire_mapcount() of the THP with this head. */
    public int entireMapcount(long head) {
        return entireMapcount.get((int) head);
    }

    /** A PMD now maps the THP (folio_add_anon_rmap_pmd(), folio_try_dup_anon_rmap_pmd()). */
    public void mapPmd(long head) {
        addEntireMapcount((int) head, 1);
    }

    /**
     * A PMD stops mapping the THP (folio_remove_rmap_pmd()). Base pages that no PTE maps either are
     * freed once no PMD maps the folio (the deferred split frees them; freeing at once shows the
     * same frames in use).
     */
    public void unmapPmd(long head) {
        int h = (int) head;
        if (addEntireMapcount(h, -1) > 0) return;
        for (int pfn = h; pfn < h + HPAGE_PMD_NR; pfn++) {
            if (flag(pfn, LARGE) && mapcountOf(pfn) == 0 && kindOf(pfn) == ANON && !swapCached.contains(pfn)) free(pfn);
        }
    }

    /**
     * __split_huge_pmd_locked(): the PMD mapping becomes 512 PTE mappings of the same folio (the
     * folio itself stays large until a folio split).
     */
    public void remapPmdAsPtes(long head) {
        int h = (int) head;
        for (int pfn = h; pfn < h + HPAGE_PMD_NR; pfn++) setMapcount(pfn, mapcountOf(pfn) + 1);
        addEntireMapcount(h, -1);
    }

    /**
     * folio_maybe_mapped_shared(): whether the folio holding pfn may be mapped by more than one
     * address space. Model simplification: the kernel tracks the owning mm (folio_mm_id()); within
     * one mm an anonymous page is mapped at most once, by a PTE or as part of a PMD, so a second
     * mapping of any kind of a page of the folio means another mm.
     */
    public boolean folioMaybeMappedShared(long pfn) {
        if (!isLarge(pfn)) return mapcountOf((int) pfn) > 1;
        int h = thpHead(pfn);
        int entire = entireMapcount.get(h);
        if (entire > 1) return true;
        for (int p = h; p < h + HPAGE_PMD_NR; p++) {
            if (flag(p, LARGE) && mapcountOf(p) + entire > 1) return true;
        }
        return false;
    }

    /**
     * __folio_page_mapped_exclusively() as the hosts' kernel has it (without CONFIG_PAGE_MAPCOUNT):
     * a mapped page whose folio is not mapped shared.
     */
    public boolean pageMappedExclusively(long pfn) {
        return !folioMaybeMappedShared(pfn);
    }

    /**
     * folio_precise_page_mapcount() (fs/proc/internal.h): the PTEs mapping this page plus, while it
     * is part of a THP, the PMDs mapping the whole folio.
     */
    public int precisePageMapcount(long pfn) {
        return mapcountOf((int) pfn) + (isLarge(pfn) ? entireMapcount.get(thpHead(pfn)) : 0);
    }

    /**
     * Whether a write fault may reuse the anonymous folio holding pfn in place
     * (wp_can_reuse_anon_folio(); for a PMD mapping, the reuse test of do_huge_pmd_wp_page()):
     * only this mapping's address space maps it.
     */
    public boolean anonExclusive(long pfn) {
        return !folioMaybeMappedShared(pfn);
    }

    public byte kind(long pfn) {
        return kindOf((int) pfn);
    }

    /** folio_test_anon(). */
    public boolean isAnon(long pfn) {
        return kindOf((int) pfn) == ANON;
    }

    /** is_zero_pfn(). */
    public static boolean isZeroPfn(long pfn) {
        return pfn == ZERO_PFN;
    }

    public int mapcount(long pfn) {
        return mapcountOf((int) pfn);
    }

    /** A new PTE maps the frame (folio_add_*_rmap_pte()). */
    public void map(long pfn) {
        if (pfn == ZERO_PFN) return;
        int i = (int) pfn;
        byte[] chunk = chunks[i >>> CHUNK_SHIFT];
        int b = chunk[i & CHUNK_MASK];
        if (((b >>> MC_SHIFT) & 7) < MC_OVERFLOW - 1) chunk[i & CHUNK_MASK] = (byte) (b + (1 << MC_SHIFT));
        else setMapcount(i, mapcountOf(i) + 1);
    }

    /**
     * A PTE stops mapping the frame (folio_remove_rmap_pte()); an anonymous frame that is no longer
     * mapped anywhere is freed.
     */
    public void unmap(long pfn) {
        if (pfn == ZERO_PFN) return;
        int i = (int) pfn;
        int left = mapcountOf(i) - 1;
        setMapcount(i, left);
        if (left == 0 && kindOf(i) == ANON && !swapCached.contains(i)
                && (!flag(i, LARGE) || entireMapcount.get(thpHead(i)) == 0)) free(i);
    }

    /** folio_mark_lazyfree(): MADV_FREE made the anonymous frame droppable while it stays clean. */
    void markLazyfree(long pfn) {
        lazyfree.add((int) pfn);
    }

    /** folio_set_swapbacked(): the frame is swap-backed again (reclaim found it redirtied). */
    void clearLazyfree(long pfn) {
        lazyfree.remove((int) pfn);
        lazyfreeDirty.remove((int) pfn);
    }

    boolean lazyfree(long pfn) {
        return lazyfree.contains((int) pfn);
    }

    /**
     * folio_mark_dirty() on an anonymous frame without a dirty entry (GUP with FOLL_WRITE |
     * FOLL_TOUCH): only a lazyfree one changes, it may no longer be dropped by reclaim.
     */
    void markAnonFolioDirty(long pfn) {
        if (lazyfree.contains((int) pfn)) lazyfreeDirty.add((int) pfn);
    }

    /** folio_test_dirty() of a lazyfree frame, as far as it was dirtied without its entry. */
    boolean lazyfreeFolioDirty(long pfn) {
        return lazyfreeDirty.contains((int) pfn);
    }

    /**
     * folio_test_swapcache() of an anonymous frame: it stays in the swap cache while another
     * process still holds its slot.
     */
    boolean swapCached(long pfn) {
        return swapCached.contains((int) pfn);
    }

    /** The frame is now in the swap cache (add_to_swap_cache()). */
    void enterSwapCache(int pfn) {
        swapCached.add(pfn);
    }

    /** The frame leaves the swap cache; an unmapped anonymous frame is then freed. */
    void leaveSwapCache(int pfn) {
        swapCached.remove(pfn);
        if (mapcountOf(pfn) == 0 && kindOf(pfn) == ANON && (!flag(pfn, LARGE) || entireMapcount.get(thpHead(pfn)) == 0)) free(pfn);
    }

    /** Frees a page-cache frame dropped from its file. */
    public void free(int pfn) {
        byte kind = kindOf(pfn);
        if (kind == ANON) anonFrames--;
        values.remove(pfn);
        restData.remove(pfn);
        if (kind == HUGETLB_ANON || kind == HUGETLB_FILE) {
            for (int sub = 0; sub < HPAGE_PMD_NR; sub++) hugetlbValues.remove(((long) pfn << 9) | sub);
        }
        lazyfree.remove(pfn);
        lazyfreeDirty.remove(pfn);
        setFlag(pfn, LARGE, false);
        setKind(pfn, FREE);
        freeList.add(pfn);
    }

    /** Adds delta to the entire mapcount of the THP with this head; returns the new count (0: dropped from the map). */
    private int addEntireMapcount(int head, int delta) {
        int n = entireMapcount.addToValue(head, delta);
        if (n == 0) entireMapcount.remove(head);
        return n;
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
