package dev.mmsim.core;

/**
 * A reviewer's alternative to a kernel rule, written as a small Java class and loaded with
 * {@code --semantic-class} without editing mmsim. Each method is one decision point of the model:
 * it receives the kernel's decision and the facts it was made from, and returns the decision the
 * simulator should use. The default methods keep the kernel's decisions; the model says at each
 * point that it consults the extension.
 *
 * <p>An implementation is a public class with a public no-argument constructor. Flags are
 * {@link VmFlag} masks ({@code VmFlag.VM_MAYBE_GUARD.mask()}).
 */
public interface SemanticExtension {
    /** The kernel's rules, unchanged. */
    SemanticExtension KERNEL = new SemanticExtension() {
        @Override
        public String name() {
            return "kernel";
        }
    };

    /** A short name for transcript headers; the class's simple name by default. */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * The flag test of is_mergeable_vma() (mm/vma.c): may a VMA with {@code vmaFlags} spanning
     * {@code vmaPages} pages merge with the adjacent range of {@code rangePages} pages that is to
     * carry {@code rangeFlags}? {@code kernel} is the kernel's answer: whether the flags are equal
     * once the sticky flags in force are ignored. The other merge conditions (file, anon_vma,
     * page offsets) still apply.
     */
    default boolean isMergeableVma(boolean kernel, long vmaFlags, long vmaPages, long rangeFlags, long rangePages) {
        return kernel;
    }

    /**
     * The categories PAGEMAP_SCAN reports for one entry (pagemap_page_category(),
     * pagemap_thp_category() and pagemap_hugetlb_category() of fs/proc/task_mmu.c):
     * {@code kernel} is the kernel's {@link PageCategory} mask for the page at {@code address} of a
     * VMA with {@code vmaFlags}; {@code guardMarker} says the entry is a guard marker (reported as
     * {@code swapped}, and {@code guard} from 6.16). The mask returned is what the scan reports and
     * filters on. For example, "report guard markers as present": return
     * {@code guardMarker ? PageCategory.PAGE_IS_PRESENT.mask() : kernel}.
     */
    default long scanCategories(long kernel, long address, long vmaFlags, boolean guardMarker) {
        return kernel;
    }

    /**
     * vma_needs_copy() of mm/memory.c, the decision whether fork copies a VMA's page tables
     * (otherwise the child's faults rebuild them): {@code kernel} is the kernel's answer, true
     * when the VMA has a flag of VM_COPY_ON_FORK (VM_MAYBE_GUARD among them from 6.19) or an
     * anon_vma ({@code hasAnonVma}).
     */
    default boolean forkCopiesPageTables(boolean kernel, long vmaFlags, boolean hasAnonVma) {
        return kernel;
    }

    /**
     * is_valid_guard_vma() of mm/madvise.c for MADV_GUARD_INSTALL: may guard markers be installed
     * in a VMA with {@code vmaFlags}? {@code kernel} is the kernel's answer (not VM_SPECIAL, not
     * VM_HUGETLB, not VM_LOCKED, ...); false makes the call EINVAL.
     */
    default boolean guardInstallAllowed(boolean kernel, long vmaFlags) {
        return kernel;
    }

    /** The same for MADV_GUARD_REMOVE, where the kernel allows a VM_LOCKED VMA. */
    default boolean guardRemoveAllowed(boolean kernel, long vmaFlags) {
        return kernel;
    }

    /**
     * The fault path's choice for a read fault on untouched private anonymous memory
     * (do_anonymous_page() and, with {@code huge}, do_huge_pmd_anonymous_page() of mm/memory.c and
     * mm/huge_memory.c): map the shared zero page (true) or a new zeroed page? {@code kernel} is
     * the kernel's answer, true where the host uses the zero page.
     */
    default boolean faultMapsZeroPage(boolean kernel, long vmaFlags, long address, boolean huge) {
        return kernel;
    }

    /**
     * thp_vma_allowable_order() at fault time (mm/huge_memory.c): may a fault at {@code address}
     * of an anonymous VMA with {@code vmaFlags} map a PMD-sized THP? {@code kernel} is the
     * kernel's answer from the host's THP mode and VM_HUGEPAGE / VM_NOHUGEPAGE. The other
     * conditions (a 2 MiB-aligned range inside the VMA, an empty PMD) still apply.
     */
    default boolean faultMapsThp(boolean kernel, long vmaFlags, long address) {
        return kernel;
    }
}
