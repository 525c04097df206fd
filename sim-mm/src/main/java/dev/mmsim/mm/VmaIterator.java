package dev.mmsim.mm;

/**
 * struct vma_iterator and the vma_iter_* / vma_find() / vma_next() / vma_prev() functions
 * (include/linux/mm.h, mm/vma.h): a position in an mm's {@link VmaTree} for sequential work.
 *
 * <p>The iterator holds an address (vmi->mas.index) and, as a cursor, the leaf and slot of the VMA
 * it returned last; walking on from there reads the next slot. When the tree changed shape since
 * (an insert or erase: the maple state would be reset with vma_iter_reset() or re-walked), the
 * cursor is dropped and the next call searches again from the address, so an iterator stays valid
 * across splits and merges, as the kernel's does across vma_iter_store().
 */
public final class VmaIterator {
    private final VmaTree tree;
    /** vmi->mas.index: where the next search starts. */
    private long index;
    /** The cursor: leaf and slot of the VMA returned last, valid while modCount is unchanged; leaf -1 when none. */
    private int leaf = -1;
    private int slot;
    private int modCount;

    /** VMA_ITERATOR(vmi, mm, addr) / vma_iter_init(). */
    public VmaIterator(Mm mm, long addr) {
        this.tree = mm.tree();
        this.index = addr;
    }

    /** vma_iter_set(): restart the search at addr. */
    public void set(long addr) {
        index = addr;
        leaf = -1;
    }

    /**
     * vma_find(): the next VMA that ends above the iterator's address and starts below max, or
     * null; the iterator moves past it (to its end).
     */
    public Vma find(long max) {
        Vma v = advance();
        if (v == null || Long.compareUnsigned(v.start(), max) >= 0) {
            leaf = -1;
            return null;
        }
        index = v.end();
        return v;
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
        Vma cur = leaf >= 0 && modCount == tree.modCount ? tree.leaf(leaf).vma[slot] : null;
        Vma p = cur != null ? tree.prev(cur) : below(index);
        if (p == null) {
            leaf = -1;
            return null;
        }
        set(p.start());
        return find(p.end());
    }

    /** The highest VMA starting below addr. */
    private Vma below(long addr) {
        Vma v = tree.findAbove(addr);
        if (v != null && Long.compareUnsigned(v.start(), addr) < 0) return v;
        return v == null ? tree.last() : tree.prev(v);
    }

    /** The VMA at or after the cursor that ends above index. */
    private Vma advance() {
        if (leaf >= 0 && modCount == tree.modCount) {
            VmaTree.Leaf l = tree.leaf(leaf);
            int s = slot + 1;
            if (s < l.n && Long.compareUnsigned(l.end[s], index) > 0) {
                slot = s;
                return l.vma[s];
            }
            if (s == l.n && leaf + 1 < tree.leafCount()) {
                VmaTree.Leaf n = tree.leaf(leaf + 1);
                if (n.n > 0 && Long.compareUnsigned(n.end[0], index) > 0) {
                    leaf++;
                    slot = 0;
                    return n.vma[0];
                }
            }
        }
        int li = tree.leafAbove(index);
        if (li >= tree.leafCount()) {
            leaf = -1;
            return null;
        }
        VmaTree.Leaf l = tree.leaf(li);
        int s = VmaTree.slotAbove(l, index);
        leaf = li;
        slot = s;
        modCount = tree.modCount;
        return l.vma[s];
    }
}
