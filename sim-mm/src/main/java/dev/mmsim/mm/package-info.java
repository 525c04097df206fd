/**
 * The mm model: one address space ({@link dev.mmsim.mm.Mm}), its VMAs, its page tables and the
 * operations that change them, each class modelling one kernel file.
 *
 * <table>
 *   <caption>Classes and the kernel files they mirror</caption>
 *   <tr><th>class</th><th>kernel</th></tr>
 *   <tr><td>{@link dev.mmsim.mm.Mm}, {@link dev.mmsim.mm.Vma}, {@link dev.mmsim.mm.AnonVma}</td>
 *       <td>include/linux/mm_types.h, vma_set_range() and vm_flags_*() of mm/vma.h and include/linux/mm.h, mm/rmap.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.VmaTree}, {@link dev.mmsim.mm.VmaIterator}</td>
 *       <td>mm->mm_mt (lib/maple_tree.c, modelled as a two-level B-tree), the vma_iter_* functions of mm/vma.h</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.PageTables}, {@link dev.mmsim.mm.PteBits}, {@link dev.mmsim.mm.Pte},
 *       {@link dev.mmsim.mm.PmdLeaf}</td>
 *       <td>arch/x86/include/asm/pgtable*.h, include/linux/swapops.h, leafops.h, free_pgd_range() in mm/memory.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Mmap}</td><td>mm/mmap.c (do_mmap(), mmap_region(), exit_mmap())</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.VmaMerge}</td><td>mm/vma.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Mprotect}</td><td>mm/mprotect.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Mremap}</td><td>mm/mremap.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Mlock}</td><td>mm/mlock.c, __mm_populate() of mm/gup.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Mseal}</td><td>mm/mseal.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.MadviseOps}, {@link dev.mmsim.mm.ProcessMadvise}</td><td>mm/madvise.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Memory}</td><td>mm/memory.c (faults, zapping), mm/pt_reclaim.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Fork}</td><td>dup_mmap() of kernel/fork.c, copy_page_range() of mm/memory.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.HugeMemory}</td><td>mm/huge_memory.c, mm/khugepaged.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Hugetlb}, {@link dev.mmsim.mm.HugetlbPool}</td><td>mm/hugetlb.c, fs/hugetlbfs/inode.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Userfaultfd}, {@link dev.mmsim.mm.UffdCtx}</td><td>fs/userfaultfd.c, mm/userfaultfd.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.SoftDirty}</td><td>soft-dirty helpers of arch/x86/include/asm/pgtable.h, mm/mmap.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Ksm}</td><td>mm/ksm.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Uprobes}</td><td>kernel/events/uprobes.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.FileOps}, {@link dev.mmsim.mm.MappedFile}</td>
 *       <td>mm/truncate.c, mm/shmem.c, mm/memfd.c, the page cache</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.SwapDevice}</td><td>mm/swapfile.c, mm/swap_state.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.FrameTable}</td><td>struct page / struct folio (kind, mapcounts, large) and the page contents (a value per page)</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.PageWalk}, {@link dev.mmsim.mm.MmWalkOps}, {@link dev.mmsim.mm.MmWalk},
 *       {@link dev.mmsim.mm.PteRange}</td>
 *       <td>mm/pagewalk.c, include/linux/pagewalk.h; PteRange is the PTE loop of walk_pte_range_inner()
 *       and of the pmd_entry callbacks</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.MmInvariants}</td><td>validate_mm() of mm/vma.c, in spirit</td></tr>
 * </table>
 *
 * <p>Invariants (checked by {@link dev.mmsim.mm.Mm#validate()}): VMAs are sorted, non-empty,
 * page-aligned and never overlap, and the VMA tree holds each with its own range. A VMA changes
 * only through its mutators (vma_set_range(), vm_flags_set/clear/mod/reset() and the named
 * setters). Every page-table visitor that the kernel writes as a page walk is one here, with an
 * {@link dev.mmsim.mm.MmWalkOps} record. Operations return 0 or a negative errno, as kernel
 * functions do. Where to start reading: {@link dev.mmsim.mm.Mm}, then
 * {@link dev.mmsim.mm.Memory#handleMmFault} and {@link dev.mmsim.mm.PageWalk#walkPageRange}.
 */
package dev.mmsim.mm;
