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
}
