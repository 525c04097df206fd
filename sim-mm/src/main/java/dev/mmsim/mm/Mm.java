package dev.mmsim.mm;

import dev.mmsim.core.Geometry;
import dev.mmsim.core.Semantics;

import java.util.ArrayList;
import java.util.List;

/**
 * One simulated address space: struct mm_struct (include/linux/mm_types.h).
 *
 * <p>Object map: an {@code Mm} owns the VMA tree ({@link VmaTree}, standing in for the maple
 * tree; walked with a {@link VmaIterator}), its {@link PageTables}, and shares a {@link FrameTable} of physical frames
 * with any forked children. Operations live in classes named after the kernel file they model:
 * {@link Mmap} (mm/mmap.c), {@link VmaMerge} (mm/vma.c), {@link Mprotect} (mm/mprotect.c),
 * {@link MadviseOps} (mm/madvise.c), {@link Memory} (mm/memory.c: faults, zapping, freeing page
 * tables) and {@link PageWalk} (mm/pagewalk.c). The core loop in one sentence: an operation finds
 * the VMAs in its range, splits or merges them through VmaMerge, and changes entries in the page
 * tables, which the walker later reads for the /proc views.
 */
public final class Mm {
    private final VmaTree tree = new VmaTree();
    private final PageTables pageTables = new PageTables();
    private final FrameTable frames;
    private final Semantics semantics;
    /** This process's userfaultfd, once opened (the scenario language gives each process at most one). */
    UffdCtx uffd;
    /** MMF_VM_MERGE_ANY: prctl(PR_SET_MEMORY_MERGE) made every eligible VMA mergeable ({@link Ksm}). */
    boolean mergeAny;
    /** The uprobes registered for this process ({@link Uprobes}); a forked child has none. */
    final java.util.List<Uprobes.Uprobe> uprobes = new ArrayList<>();

    public Mm(Semantics semantics) {
        this(semantics, new FrameTable());
    }

    Mm(Semantics semantics, FrameTable frames) {
        this.semantics = semantics;
        this.frames = frames;
        frames.hugetlb().register(this);
    }

    /** MMF_VM_MERGE_ANY. */
    public boolean mergeAny() {
        return mergeAny;
    }

    /** The open userfaultfd, or null. */
    public UffdCtx uffd() {
        return uffd;
    }

    public Semantics semantics() {
        return semantics;
    }

    public PageTables pageTables() {
        return pageTables;
    }

    public FrameTable frames() {
        return frames;
    }

    /** mm->task_size: TASK_SIZE_MAX of the host, whose page tables have 4 levels or 5 (la57). */
    public long taskSize() {
        return semantics.host().taskSizeMax();
    }

    /** mm->mm_mt: the VMA tree, the only index of this mm's VMAs. */
    VmaTree tree() {
        return tree;
    }

    /** find_vma(): the first VMA whose end is above addr, or null. */
    public Vma findVma(long addr) {
        return tree.findAbove(addr);
    }

    /** vma_lookup(): the VMA containing addr, or null. */
    public Vma vmaLookup(long addr) {
        return tree.lookup(addr);
    }

    /** The VMA just below vma (vma_prev()), or null. */
    public Vma prev(Vma vma) {
        return tree.prev(vma);
    }

    /** The VMA just above vma (vma_next()), or null. */
    public Vma next(Vma vma) {
        return tree.next(vma);
    }

    /** The highest VMA, or null. */
    public Vma last() {
        return tree.last();
    }

    /** The VMAs overlapping [start, end), in address order (a copy: the caller may change the tree). */
    public List<Vma> vmas(long start, long end) {
        List<Vma> out = new ArrayList<>();
        VmaIterator vmi = new VmaIterator(this, start);
        for (Vma v = vmi.find(end); v != null; v = vmi.find(end)) out.add(v);
        return out;
    }

    /** Every VMA in address order (a copy). */
    public List<Vma> vmas() {
        return tree.toList();
    }

    /** mm->map_count. */
    public int mapCount() {
        return tree.size();
    }

    /**
     * DEFAULT_MAX_MAP_COUNT (include/linux/mm.h): USHRT_MAX minus MAPCOUNT_ELF_CORE_MARGIN, the
     * default of sysctl vm.max_map_count (65530, read on the hosts).
     */
    public static final int DEFAULT_MAX_MAP_COUNT = 65530;

    private int maxMapCount = DEFAULT_MAX_MAP_COUNT;

    /** get_sysctl_max_map_count(). */
    public int maxMapCount() {
        return maxMapCount;
    }

    /** Sets this mm's vm.max_map_count (the sysctl is system-wide; tests lower it). */
    public void maxMapCount(int limit) {
        maxMapCount = limit;
    }

    /**
     * mm->locked_vm: pages of VM_LOCKED mappings as the kernel counts them, which is not always
     * the sum of the locked VMAs' sizes (mremap with MREMAP_DONTUNMAP unlocks the old VMA without
     * subtracting it). /proc/pid/status shows it as VmLck. A new mm (fork's too) starts at 0.
     */
    private long lockedVm;

    /** mm->locked_vm, in pages. */
    public long lockedVm() {
        return lockedVm;
    }

    /** mm->locked_vm += pages (negative to subtract). */
    void addLockedVm(long pages) {
        lockedVm += pages;
    }

    /** vma_iter_store() of a new VMA (vma_link(), vma_complete()). */
    void insert(Vma v) {
        tree.insert(v);
    }

    /** vma_iter_clear() of a VMA leaving the mm. */
    void remove(Vma v) {
        tree.erase(v);
    }

    /**
     * Whole-state checks in the spirit of validate_mm(), mm/vma.c: VMAs sorted, non-overlapping,
     * non-empty and page-aligned. Returns the violations, empty when the mm is consistent.
     */
    public List<String> validate() {
        List<String> out = new ArrayList<>(tree.validate());
        long prevEnd = 0;
        for (Vma v : tree.toList()) {
            if (!Geometry.pageAligned(v.start()) || !Geometry.pageAligned(v.end())) out.add("unaligned " + v);
            if (v.start() >= v.end()) out.add("empty " + v);
            if (v.start() < prevEnd) out.add("overlap at " + v);
            prevEnd = v.end();
        }
        return out;
    }
}
