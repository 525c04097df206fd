package dev.mmsim.mm;

import java.util.ArrayList;
import java.util.List;

/**
 * An mm's VMA index: the role of mm->mm_mt, the maple tree (lib/maple_tree.c), for the operations
 * mm/ uses on it (mas_find(), mas_prev(), mas_store() of a VMA's range, mas_erase()). Read it
 * through a {@link VmaIterator} (the vma_iter_* functions of mm/vma.h) or the find_vma() family
 * on {@link Mm}.
 *
 * <p>Model simplification: a two-level B-tree of sorted primitive arrays, not a maple tree. Each
 * leaf holds up to {@value #LEAF_SLOTS} VMAs with their starts and ends in {@code long[]} slots;
 * the root keeps, per leaf, the end of its last VMA (the maple tree's pivots) in a {@code long[]},
 * so a lookup is two binary searches over primitives and touches one VMA object at most. Inserting
 * or removing shifts at most one leaf; a full leaf splits in two, an empty one goes. A VMA's
 * bounds change only through {@link Vma#setRange} (vma_set_range()), which rewrites its slot in
 * place: callers keep the VMAs ordered, as the kernel's do before vma_iter_store().
 *
 * <p>Invariants ({@link #validate}): the slots hold every VMA of the mm once, in address order,
 * with each VMA's own range; every leaf but a lone root leaf is non-empty; each pivot is the end of
 * its leaf's last VMA.
 */
final class VmaTree {
    /** VMAs per leaf (a maple tree leaf holds up to 16 ranges; wider leaves search faster here). */
    static final int LEAF_SLOTS = 64;

    /** One leaf: slots [0, n) in address order; index is its place in the root. */
    static final class Leaf {
        final long[] start = new long[LEAF_SLOTS];
        final long[] end = new long[LEAF_SLOTS];
        final Vma[] vma = new Vma[LEAF_SLOTS];
        int n;
        int index;

        /**
         * The VMA in slot s, which keeps s as its hint: a VMA the tree hands out is usually
         * located again in the same operation (to split, merge or erase it).
         */
        Vma seen(int s) {
            Vma v = vma[s];
            v.slotHint = s;
            return v;
        }

        /** The slot holding v (stored as starting at start), found by identity. */
        int slotOf(Vma v, long start) {
            // near the slot the tree last gave v (inserts and erases in its leaf move it a slot
            // or two between two lookups of one operation), else by address
            int h = Math.min(v.slotHint, n - 1);
            for (int d = 0; d <= 2; d++) {
                if (h + d < n && vma[h + d] == v) return v.slotHint = h + d;
                if (h - d >= 0 && vma[h - d] == v) return v.slotHint = h - d;
            }
            // by address: the slots' starts are ordered (equal only while a caller moves a bound)
            for (int s = slotAbove(this, start); s < n; s++) if (vma[s] == v) return v.slotHint = s;
            throw new IllegalStateException("VMA not in its leaf at " + Long.toHexString(start) + ": " + v);
        }
    }

    private Leaf[] leaves = {new Leaf()};
    /** pivot[i]: the end of leaf i's last VMA (0 for the empty root leaf). */
    private long[] pivot = new long[1];
    private int nLeaves = 1;
    private int size;
    /** Counts structural changes (insert, erase), so an iterator knows when its cursor is stale. */
    int modCount;

    int size() {
        return size;
    }

    Leaf leaf(int i) {
        return i < nLeaves ? leaves[i] : null;
    }

    int leafCount() {
        return nLeaves;
    }

    /** The leaf the last descent ended in: one operation's lookups mostly land there again. */
    private int finger;

    /**
     * The first leaf whose last VMA ends above addr, or nLeaves (mas_find()'s descent). The leaf
     * of the previous descent is tried first (the role the per-thread vmacache once had).
     */
    int leafAbove(long addr) {
        int f = finger;
        if (f < nLeaves && Long.compareUnsigned(pivot[f], addr) > 0
                && (f == 0 || Long.compareUnsigned(pivot[f - 1], addr) <= 0)) return f;
        int li = firstAbove(pivot, nLeaves, addr);
        if (li < nLeaves) finger = li;
        return li;
    }

    /** The first slot of leaf whose VMA ends above addr, or leaf.n. */
    static int slotAbove(Leaf leaf, long addr) {
        return firstAbove(leaf.end, leaf.n, addr);
    }

    /**
     * The first of the n ascending values a[0..n) that is above key (unsigned), or n: a binary
     * search whose steps move the base without a branch the data decides, so the JIT can use
     * conditional moves.
     */
    private static int firstAbove(long[] a, int n, long key) {
        if (n == 0) return 0;
        int base = 0;
        long k = key + Long.MIN_VALUE;
        while (n > 1) {
            int half = n >>> 1;
            base = a[base + half - 1] + Long.MIN_VALUE <= k ? base + half : base;
            n -= half;
        }
        return a[base] + Long.MIN_VALUE <= k ? base + 1 : base;
    }

    /** find_vma(): the first VMA ending above addr, or null. */
    Vma findAbove(long addr) {
        int li = leafAbove(addr);
        if (li == nLeaves) return null;
        Leaf l = leaves[li];
        return l.seen(slotAbove(l, addr));
    }

    /** vma_lookup() (mtree_load()): the VMA containing addr, or null; reads primitives only until it hits. */
    Vma lookup(long addr) {
        int li = leafAbove(addr);
        if (li == nLeaves) return null;
        Leaf l = leaves[li];
        int s = slotAbove(l, addr);
        return Long.compareUnsigned(l.start[s], addr) <= 0 ? l.seen(s) : null;
    }

    /** The highest VMA, or null. */
    Vma last() {
        Leaf l = leaves[nLeaves - 1];
        return l.n == 0 ? null : l.seen(l.n - 1);
    }

    /** The lowest VMA, or null. */
    Vma first() {
        Leaf l = leaves[0];
        return l.n == 0 ? null : l.seen(0);
    }

    /** Where v, stored as starting at start, sits: leaf index in the high int, slot in the low one. */
    private long locate(Vma v, long start) {
        if (v.tree != this) throw new IllegalStateException("VMA not in this tree: " + v);
        Leaf l = v.leaf;
        return ((long) l.index << 32) | l.slotOf(v, start);
    }

    /** The VMA after v (vma_next() from v), or null. */
    Vma next(Vma v) {
        long at = locate(v, v.start());
        int li = (int) (at >>> 32), s = (int) at + 1;
        if (s < leaves[li].n) return leaves[li].seen(s);
        return li + 1 < nLeaves ? leaves[li + 1].seen(0) : null;
    }

    /** The VMA before v (vma_prev() from v), or null. */
    Vma prev(Vma v) {
        long at = locate(v, v.start());
        int li = (int) (at >>> 32), s = (int) at - 1;
        if (s >= 0) return leaves[li].seen(s);
        return li > 0 ? leaves[li - 1].seen(leaves[li - 1].n - 1) : null;
    }

    /** vma_iter_store() of a new VMA: stores v at its range, which no VMA in the tree overlaps. */
    void insert(Vma v) {
        if (v.tree != null) throw new IllegalStateException("VMA already in a tree: " + v);
        int li = Math.min(leafAbove(v.start()), nLeaves - 1);
        insertAt(li, slotAbove(leaves[li], v.start()), v);
    }

    /**
     * vma_iter_store_new() with the maple state standing at a neighbour: stores v, which lies in
     * the gap just below or just above at (a VMA of this tree), in the slot beside at's without a
     * search. Where v does not fit there, it is stored as {@link #insert} stores it.
     */
    void insertBeside(Vma at, Vma v) {
        if (v.tree != null) throw new IllegalStateException("VMA already in a tree: " + v);
        long pos = locate(at, at.start());
        int li = (int) (pos >>> 32), s = (int) pos;
        Leaf l = leaves[li];
        if (Long.compareUnsigned(v.start(), at.start()) < 0) {
            // below at: slot s, after the VMA before it (in this leaf or the previous one)
            long below = s > 0 ? l.end[s - 1] : li > 0 ? pivot[li - 1] : 0;
            if (Long.compareUnsigned(v.end(), at.start()) <= 0 && Long.compareUnsigned(below, v.start()) <= 0) {
                insertAt(li, s, v);
                return;
            }
        } else if (Long.compareUnsigned(v.start(), at.end()) >= 0) {
            // above at: slot s + 1, before the VMA after it (in this leaf or the next one)
            Leaf after = s + 1 < l.n ? l : li + 1 < nLeaves ? leaves[li + 1] : null;
            int as = after == l ? s + 1 : 0;
            if (after == null || Long.compareUnsigned(v.end(), after.start[as]) <= 0) {
                insertAt(li, s + 1, v);
                return;
            }
        }
        insert(v);
    }

    /** Stores v in slot s of leaf li, splitting a full leaf first. */
    private void insertAt(int li, int s, Vma v) {
        Leaf l = leaves[li];
        if (l.n == LEAF_SLOTS) {
            splitLeaf(li);
            if (s > LEAF_SLOTS / 2) {
                s -= LEAF_SLOTS / 2;
                li++;
            }
            l = leaves[li];
        }
        System.arraycopy(l.start, s, l.start, s + 1, l.n - s);
        System.arraycopy(l.end, s, l.end, s + 1, l.n - s);
        System.arraycopy(l.vma, s, l.vma, s + 1, l.n - s);
        l.start[s] = v.start();
        l.end[s] = v.end();
        l.vma[s] = v;
        v.slotHint = s;
        l.n++;
        pivot[li] = l.end[l.n - 1];
        v.tree = this;
        v.leaf = l;
        size++;
        modCount++;
    }

    /** vma_iter_clear() / mas_erase(): removes v from the tree. */
    void erase(Vma v) {
        long at = locate(v, v.start());
        int li = (int) (at >>> 32), s = (int) at;
        Leaf l = leaves[li];
        System.arraycopy(l.start, s + 1, l.start, s, l.n - s - 1);
        System.arraycopy(l.end, s + 1, l.end, s, l.n - s - 1);
        System.arraycopy(l.vma, s + 1, l.vma, s, l.n - s - 1);
        l.vma[--l.n] = null;
        // the VMA that moved into slot s is often the next to go (do_vmi_munmap() of several)
        if (s < l.n) l.vma[s].slotHint = s;
        if (l.n == 0 && nLeaves > 1) removeLeaf(li);
        else pivot[li] = l.n == 0 ? 0 : l.end[l.n - 1];
        if (l.n > 0 && l.n <= LEAF_SLOTS / 4) mergeUnderfull(li);
        v.tree = null;
        v.leaf = null;
        size--;
        modCount++;
    }

    /** Called by {@link Vma#setRange}: rewrites v's slot with its new bounds. */
    void rangeChanged(Vma v, long oldStart) {
        long at = locate(v, oldStart);
        int li = (int) (at >>> 32), s = (int) at;
        Leaf l = leaves[li];
        l.start[s] = v.start();
        l.end[s] = v.end();
        if (s == l.n - 1) pivot[li] = v.end();
    }

    private void splitLeaf(int li) {
        Leaf l = leaves[li];
        Leaf r = new Leaf();
        int half = LEAF_SLOTS / 2;
        r.n = l.n - half;
        System.arraycopy(l.start, half, r.start, 0, r.n);
        System.arraycopy(l.end, half, r.end, 0, r.n);
        System.arraycopy(l.vma, half, r.vma, 0, r.n);
        java.util.Arrays.fill(l.vma, half, l.n, null);
        for (int s = 0; s < r.n; s++) r.vma[s].leaf = r;
        l.n = half;
        if (nLeaves == leaves.length) {
            leaves = java.util.Arrays.copyOf(leaves, nLeaves * 2);
            pivot = java.util.Arrays.copyOf(pivot, nLeaves * 2);
        }
        System.arraycopy(leaves, li + 1, leaves, li + 2, nLeaves - li - 1);
        System.arraycopy(pivot, li + 1, pivot, li + 2, nLeaves - li - 1);
        leaves[li + 1] = r;
        pivot[li] = l.end[l.n - 1];
        pivot[li + 1] = r.end[r.n - 1];
        nLeaves++;
        renumber(li + 1);
    }

    private void removeLeaf(int li) {
        System.arraycopy(leaves, li + 1, leaves, li, nLeaves - li - 1);
        System.arraycopy(pivot, li + 1, pivot, li, nLeaves - li - 1);
        leaves[--nLeaves] = null;
        renumber(li);
    }

    private void renumber(int from) {
        for (int i = from; i < nLeaves; i++) leaves[i].index = i;
    }

    /**
     * A leaf a quarter full or less is folded into a neighbour that has room for it (as the maple
     * tree rebalances), so that erasing never leaves a root of many near-empty leaves.
     */
    private void mergeUnderfull(int li) {
        int left = li > 0 && leaves[li - 1].n + leaves[li].n <= LEAF_SLOTS * 3 / 4 ? li - 1
                : li + 1 < nLeaves && leaves[li].n + leaves[li + 1].n <= LEAF_SLOTS * 3 / 4 ? li : -1;
        if (left < 0) return;
        Leaf into = leaves[left];
        Leaf from = leaves[left + 1];
        System.arraycopy(from.start, 0, into.start, into.n, from.n);
        System.arraycopy(from.end, 0, into.end, into.n, from.n);
        System.arraycopy(from.vma, 0, into.vma, into.n, from.n);
        for (int s = 0; s < from.n; s++) from.vma[s].leaf = into;
        into.n += from.n;
        pivot[left] = into.end[into.n - 1];
        removeLeaf(left + 1);
    }

    /** Every VMA in address order. */
    List<Vma> toList() {
        List<Vma> out = new ArrayList<>(size);
        for (int li = 0; li < nLeaves; li++) {
            Leaf l = leaves[li];
            for (int s = 0; s < l.n; s++) out.add(l.vma[s]);
        }
        return out;
    }

    /** The tree's own invariants (see the class comment); empty when they hold. */
    List<String> validate() {
        List<String> out = new ArrayList<>();
        int count = 0;
        long prevEnd = 0;
        for (int li = 0; li < nLeaves; li++) {
            Leaf l = leaves[li];
            if (l.n == 0 && nLeaves > 1) out.add("empty leaf " + li);
            for (int s = 0; s < l.n; s++) {
                Vma v = l.vma[s];
                if (v.tree != this || v.leaf != l) out.add("slot of another tree or leaf: " + v);
                if (l.start[s] != v.start() || l.end[s] != v.end())
                    out.add("stale slot " + Long.toHexString(l.start[s]) + "-" + Long.toHexString(l.end[s]) + " for " + v);
                if (Long.compareUnsigned(l.start[s], prevEnd) < 0 && count > 0) out.add("out of order at " + v);
                prevEnd = l.end[s];
                count++;
            }
            if (l.n > 0 && pivot[li] != l.end[l.n - 1]) out.add("pivot of leaf " + li);
            if (l.index != li) out.add("index of leaf " + li);
        }
        if (count != size) out.add("size " + size + " but " + count + " slots");
        return out;
    }
}
