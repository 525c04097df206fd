package dev.mmsim.mm;

/**
 * struct mm_walk: the state of one walk, handed to every callback. {@code priv} is the walk's
 * private data (walk->private); {@code action} lets a pmd_entry or pud_entry ask the walker to
 * skip the subtree or retry.
 */
public final class MmWalk {
    /** enum page_walk_action. */
    public enum Action { ACTION_SUBTREE, ACTION_CONTINUE, ACTION_AGAIN }

    private final Mm mm;
    private final MmWalkOps ops;
    private final Object priv;
    Vma vma;
    /** Set by a pmd_entry/pud_entry to steer the walker. */
    public Action action = Action.ACTION_SUBTREE;
    /** A positive pte_entry return that stopped the PTE loop, for walk_pte_range() to return. */
    int stop;

    MmWalk(Mm mm, MmWalkOps ops, Object priv) {
        this.mm = mm;
        this.ops = ops;
        this.priv = priv;
    }

    public Mm mm() {
        return mm;
    }

    public MmWalkOps ops() {
        return ops;
    }

    /** The VMA being walked, or null in a range outside every VMA. */
    public Vma vma() {
        return vma;
    }

    /** The stop value a pte_entry left, cleared. */
    int takeStop() {
        int s = stop;
        stop = 0;
        return s;
    }

    /** walk->private. */
    @SuppressWarnings("unchecked")
    public <T> T priv() {
        return (T) priv;
    }
}
