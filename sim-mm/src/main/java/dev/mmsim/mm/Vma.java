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
    long start;
    long end;
    long flags;
    /** vm_pgoff: for file/shmem the page index of start; for private anonymous memory start >> PAGE_SHIFT. */
    long pgoff;
    final MappedFile file;
    AnonVma anonVma;
    /** anon_vma_chain is longer than one: this VMA's anon_vma came from a fork (vma_is_fork_child()). */
    boolean forkChild;
    /** vm_file was opened read-only (no FMODE_WRITE): the mapping keeps its own open file. */
    boolean fileReadOnly;
    /** vm_userfaultfd_ctx: the userfaultfd this VMA is registered with, or null. */
    UffdCtx uffdCtx;
    /**
     * The resv_map of a private hugetlb mapping that owns its reservation (HPAGE_RESV_OWNER),
     * shared by the pieces a split makes; null otherwise (shared, MAP_NORESERVE, a fork child).
     */
    HugetlbPool.ResvMap hugetlbResv;
    /**
     * HPAGE_RESV_UNMAPPED: the reservation's owner took a page of this (fork child's) private
     * hugetlb VMA to finish a copy-on-write; a fault that needs a new page here fails (SIGBUS).
     */
    boolean hugetlbResvUnmapped;

    Vma(long start, long end, long flags, long pgoff, MappedFile file) {
        this.start = start;
        this.end = end;
        this.flags = flags;
        this.pgoff = pgoff;
        this.file = file;
    }

    /** A copy for split_vma(): same object, flags and anon_vma. */
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
