package dev.mmsim.mm;

import dev.mmsim.core.Geometry;
import dev.mmsim.core.VmFlag;

/**
 * One virtual memory area: struct vm_area_struct (include/linux/mm_types.h). A half-open range
 * [start, end) of page-aligned addresses with its flags, the object it maps (a regular file, a
 * shmem object, or nothing for private anonymous memory), the page offset of start in that
 * object, and the anon_vma its anonymous pages hang off once the first one is faulted.
 */
public final class Vma {
    private long start;
    private long end;
    private long flags;
    /** vm_pgoff: for file/shmem the page index of start; for private anonymous memory start >> PAGE_SHIFT. */
    private long pgoff;
    private final MappedFile file;
    private AnonVma anonVma;
    /** anon_vma_chain is longer than one: this VMA's anon_vma came from a fork (vma_is_fork_child()). */
    private boolean forkChild;
    /** vm_file was opened read-only (no FMODE_WRITE): the mapping keeps its own open file. */
    private boolean fileReadOnly;
    /** vm_userfaultfd_ctx: the userfaultfd this VMA is registered with, or null. */
    private UffdCtx uffdCtx;
    /**
     * The resv_map of a private hugetlb mapping that owns its reservation (HPAGE_RESV_OWNER),
     * shared by the pieces a split makes; null otherwise (shared, MAP_NORESERVE, a fork child).
     */
    private HugetlbPool.ResvMap hugetlbResv;
    /**
     * HPAGE_RESV_UNMAPPED: the reservation's owner took a page of this (fork child's) private
     * hugetlb VMA to finish a copy-on-write; a fault that needs a new page here fails (SIGBUS).
     */
    private boolean hugetlbResvUnmapped;
    /** The tree this VMA is stored in (its mm's), or null while it is in none. */
    VmaTree tree;
    /** The tree's leaf holding this VMA (the tree keeps it current), or null. */
    VmaTree.Leaf leaf;
    /** Where in its leaf the tree last saw this VMA: a hint, checked before use. */
    int slotHint;

    Vma(long start, long end, long flags, long pgoff, MappedFile file) {
        this.start = start;
        this.end = end;
        this.flags = flags;
        this.pgoff = pgoff;
        this.file = file;
    }

    /** A copy for split_vma() (vm_area_dup()): same object, flags and anon_vma; in no tree yet. */
    Vma copy() {
        Vma v = new Vma(start, end, flags, pgoff, file);
        v.anonVma = anonVma;
        v.forkChild = forkChild;
        v.uffdCtx = uffdCtx;
        v.fileReadOnly = fileReadOnly;
        v.hugetlbResv = hugetlbResv;
        v.hugetlbResvUnmapped = hugetlbResvUnmapped;
        return v;
    }

    /**
     * vma_set_range() (mm/vma.h): the only way to move a VMA's bounds. While the VMA is in its mm's
     * tree, the tree's copy of the range follows (what vma_iter_store() does after it in the
     * kernel); the caller keeps the tree ordered, as the kernel's callers do.
     */
    void setRange(long start, long end, long pgoff) {
        long oldStart = this.start;
        this.start = start;
        this.end = end;
        this.pgoff = pgoff;
        if (tree != null) tree.rangeChanged(this, oldStart);
    }

    /** vm_flags_init() / vm_flags_reset(): replaces every flag. */
    void vmFlagsReset(long flags) {
        this.flags = flags;
    }

    /** vm_flags_set(). */
    void vmFlagsSet(long mask) {
        flags |= mask;
    }

    /** vm_flags_clear(); public as in the kernel, for clear_refs (fs/proc/task_mmu.c, in sim-proc). */
    public void vmFlagsClear(long mask) {
        flags &= ~mask;
    }

    /** vm_flags_mod(): sets one mask and clears another in one step. */
    void vmFlagsMod(long set, long clear) {
        flags = (flags | set) & ~clear;
    }

    /**
     * vma->anon_vma with its chain's shape, as anon_vma_prepare(), dup_anon_vma(), anon_vma_fork()
     * and unlink_anon_vmas() leave them (null and false: no anon_vma).
     */
    void setAnonVma(AnonVma anonVma, boolean forkChild) {
        this.anonVma = anonVma;
        this.forkChild = forkChild;
    }

    /** vma->vm_userfaultfd_ctx (userfaultfd_set_ctx(), userfaultfd_reset_ctx()). */
    void setUffdCtx(UffdCtx ctx) {
        this.uffdCtx = ctx;
    }

    /** The mapping keeps its own read-only open file (the mmap() of a file opened O_RDONLY). */
    void setFileReadOnly(boolean readOnly) {
        this.fileReadOnly = readOnly;
    }

    /** set_vma_resv_map() (mm/hugetlb.c); null drops it (hugetlb_dup_vma_private(), reset_vma_resv_huge_pages()). */
    void setHugetlbResv(HugetlbPool.ResvMap resv) {
        this.hugetlbResv = resv;
    }

    /** set_vma_resv_flags(vma, HPAGE_RESV_UNMAPPED); false clears it (hugetlb_dup_vma_private()). */
    void setHugetlbResvUnmapped(boolean unmapped) {
        this.hugetlbResvUnmapped = unmapped;
    }

    /** vma_is_fork_child()'s chain test: the anon_vma came from a fork. */
    boolean forkChild() {
        return forkChild;
    }

    boolean fileReadOnly() {
        return fileReadOnly;
    }

    /** vma_resv_map() of an owner, or null. */
    HugetlbPool.ResvMap hugetlbResv() {
        return hugetlbResv;
    }

    /** is_vma_resv_set(vma, HPAGE_RESV_UNMAPPED). */
    boolean hugetlbResvUnmapped() {
        return hugetlbResvUnmapped;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public long flags() {
        return flags;
    }

    public long pgoff() {
        return pgoff;
    }

    public MappedFile file() {
        return file;
    }

    public AnonVma anonVma() {
        return anonVma;
    }

    /** The userfaultfd context, or null. */
    public UffdCtx uffdCtx() {
        return uffdCtx;
    }

    public boolean has(VmFlag f) {
        return (flags & f.mask()) != 0;
    }

    public long pages() {
        return (end - start) >>> Geometry.PAGE_SHIFT;
    }

    /** vma_is_anonymous(): private anonymous memory (no vm_ops). */
    public boolean isAnonymous() {
        return file == null;
    }

    /** is_vm_hugetlb_page(). */
    public boolean isHugetlb() {
        return (flags & VmFlag.VM_HUGETLB.mask()) != 0;
    }

    /** vma_is_shmem(). */
    public boolean isShmem() {
        return file != null && file.shmem();
    }

    /** linear_page_index(): the page index in the mapped object for addr. */
    public long linearPageIndex(long addr) {
        return ((addr - start) >>> Geometry.PAGE_SHIFT) + pgoff;
    }

    /** is_cow_mapping(): private and may become writable. */
    public boolean isCowMapping() {
        return (flags & (VmFlag.VM_SHARED.mask() | VmFlag.VM_MAYWRITE.mask())) == VmFlag.VM_MAYWRITE.mask();
    }

    @Override
    public String toString() {
        return String.format("%x-%x %s pgoff=%x%s", start, end, VmFlag.mnemonics(flags, true), pgoff,
                file == null ? "" : " " + file.name());
    }
}
