package dev.mmsim.mm;

/**
 * struct vma_iterator and the vma_iter_* / vma_find() / vma_next() / vma_prev() functions
 * (include/linux/mm.h, mm/vma.h): a position in an mm's {@link VmaTree} for sequential work.
 *
 * <p>The iterator holds an address (vmi->mas.index), the VMA it returned last (for vma_prev()),
 * and as its cursor (the maple state's node and offset) the VMA it last stood at. One iterator is passed down an operation as the kernel passes
 * its {@code vma_iterator} through vma_modify(), __split_vma() and do_vmi_munmap(): walking on from
 * the cursor reads the neighbouring slot, and a new VMA stored through the iterator
 * ({@link #storeNew}) goes into the slot beside the cursor, so that an operation searches the tree
 * about once. The cursor survives changes to the tree, as the kernel's maple state does across
 * vma_iter_store(): while the VMA is still in the tree and starts at or below the address, the
 * first VMA ending above the address is that VMA or one of the few after it; otherwise the next
 * call searches from the address.
 */
public final class VmaIterator {
    /** How many VMAs a step from the cursor passes over before it searches from the address instead. */
    private static final int CURSOR_STEPS = 4;

    private final VmaTree tree;
    /** vmi->mas.index: where the next search starts. */
    private long index;
    /** The VMA returned last, or null after vma_iter_set() or a search that found nothing. */
    private Vma last;
    /** The cursor: the VMA the iterator last stood at, or null; kept by vma_iter_set(). */
    private Vma cur;

    /** VMA_ITERATOR(vmi, mm, addr) / vma_iter_init(). */
    public VmaIterator(Mm mm, long addr) {
        this.tree = mm.tree();
        this.index = addr;
    }

    /** An iterator standing at vma, as after vma_find() returned it (vma must be in mm's tree). */
    VmaIterator(Mm mm, Vma vma) {
        this(mm, vma.end());
        standAt(vma);
    }

    /** vma_iter_set(): the next search starts at addr. */
    public void set(long addr) {
        index = addr;
        last = null;
    }

    /**
     * vma_find(): the next VMA that ends above the iterator's address and starts below max, or
     * null; the iterator moves past it (to its end).
     */
    public Vma find(long max) {
        Vma v = advance();
        if (v == null || Long.compareUnsigned(v.start(), max) >= 0) {
            last = null;
            return null;
        }
        return standAt(v);
    }

    /** vma_next(): the next VMA, however far above. */
    public Vma next() {
        return find(-1L);
    }

    /**
     * vma_prev(): the VMA before the one returned last (before the iterator's address when none
     * was), or null; the iterator then stands at it.
     */
    public Vma prev() {
        Vma p = last != null && last.tree == tree ? tree.prev(last) : below(index);
        if (p == null) {
            last = null;
            return null;
        }
        return standAt(p);
    }

    /**
     * vma_iter_store_new(): stores a new VMA, which lies just below or just above the one the
     * iterator stands at (the two halves of __split_vma(), a new mapping beside its neighbour);
     * the iterator then stands at the new VMA.
     */
    void storeNew(Vma vma) {
        if (cursorValid()) tree.insertBeside(cur, vma);
        else tree.insert(vma);
        standAt(vma);
    }

    /**
     * The iterator stands at v, a VMA of its mm found by other means (as the kernel's callers
     * keep vms->prev of an unmap), its address at v's end.
     */
    Vma standAt(Vma v) {
        last = v;
        cur = v;
        index = v.end();
        return v;
    }

    /** The cursor is a VMA of this tree. */
    private boolean cursorValid() {
        return cur != null && cur.tree == tree;
    }

    /** The highest VMA starting below addr. */
    private Vma below(long addr) {
        Vma v = tree.findAbove(addr);
        if (v != null && Long.compareUnsigned(v.start(), addr) < 0) return v;
        return v == null ? tree.last() : tree.prev(v);
    }

    /**
     * The first VMA that ends above index. Every VMA before the cursor ends at or below the
     * cursor's start, so from a cursor starting at or below index the answer is the cursor or a
     * VMA after it.
     */
    private Vma advance() {
        if (cursorValid() && Long.compareUnsigned(cur.start(), index) <= 0) {
            Vma v = cur;
            for (int step = 0; step < CURSOR_STEPS; step++) {
                if (Long.compareUnsigned(v.end(), index) > 0) return v;
                v = tree.next(v);
                if (v == null) return null;
            }
        }
        return tree.findAbove(index);
    }
}
