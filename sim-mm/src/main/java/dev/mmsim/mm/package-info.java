/**
 * The mm model: one address space ({@link dev.mmsim.mm.Mm}), its VMAs, its page tables and the
 * operations that change them, each class modelling one kernel file.
 *
 * <table>
 *   <caption>Classes and the kernel files they mirror</caption>
 *   <tr><th>class</th><th>kernel</th></tr>
 *   <tr><td>{@link dev.mmsim.mm.Mm}, {@link dev.mmsim.mm.Vma}</td><td>include/linux/mm_types.h</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.PageTables}, {@link dev.mmsim.mm.PteBits}, {@link dev.mmsim.mm.Pte}</td>
 *       <td>arch/x86/include/asm/pgtable*.h, include/linux/swapops.h, leafops.h, free_pgd_range() in mm/memory.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Mmap}</td><td>mm/mmap.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.VmaMerge}</td><td>mm/vma.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Mprotect}</td><td>mm/mprotect.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.MadviseOps}</td><td>mm/madvise.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Memory}</td><td>mm/memory.c (faults, zapping), mm/pt_reclaim.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.Hugetlb}, {@link dev.mmsim.mm.HugetlbPool}</td><td>mm/hugetlb.c, fs/hugetlbfs/inode.c</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.PageWalk}, {@link dev.mmsim.mm.MmWalkOps}, {@link dev.mmsim.mm.MmWalk}</td>
 *       <td>mm/pagewalk.c, include/linux/pagewalk.h</td></tr>
 *   <tr><td>{@link dev.mmsim.mm.FrameTable}, {@link dev.mmsim.mm.MappedFile}</td><td>struct folio, the page cache</td></tr>
 * </table>
 *
 * <p>Invariants (checked by {@link dev.mmsim.mm.Mm#validate()}): VMAs are sorted, non-empty,
 * page-aligned and never overlap. Operations return 0 or a negative errno, as kernel functions do.
 * Where to start reading: {@link dev.mmsim.mm.Mm}, then {@link dev.mmsim.mm.Memory#handleMmFault}
 * and {@link dev.mmsim.mm.PageWalk#walkPageRange}.
 */
package dev.mmsim.mm;
