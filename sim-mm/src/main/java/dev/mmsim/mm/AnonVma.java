package dev.mmsim.mm;

/**
 * The identity of an anon_vma (mm/rmap.c): VMAs sharing one may merge; a VMA whose anonymous
 * pages came through fork has a chain of more than one and never merges (vma_is_fork_child()).
 *
 * <p>Model simplification: only identity and the fork-child property are modelled, not the
 * reverse-map tree.
 */
public final class AnonVma {
    private static long nextId = 1;
    private final long id = nextId++;

    @Override
    public String toString() {
        return "anon_vma#" + id;
    }
}
