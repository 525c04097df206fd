package dev.mmsim.scenarios.ext;

import dev.mmsim.core.SemanticExtension;
import dev.mmsim.core.VmFlag;

/**
 * Another stickiness rule for review: VM_MAYBE_GUARD stays sticky, but two VMAs whose flags differ
 * in it merge only while the result stays within 64 pages, which bounds how far a scan guided by
 * the flag has to look. Load it with {@code --semantic-class} (by this file's path or by name).
 */
public final class BoundedSticky implements SemanticExtension {
    /** The largest VMA a merge across a VM_MAYBE_GUARD difference may make, in pages. */
    static final long LIMIT = 64;

    @Override
    public boolean isMergeableVma(boolean kernel, long vmaFlags, long vmaPages, long rangeFlags, long rangePages) {
        boolean guardDiffers = ((vmaFlags ^ rangeFlags) & VmFlag.VM_MAYBE_GUARD.mask()) != 0;
        return kernel && (!guardDiffers || vmaPages + rangePages <= LIMIT);
    }
}
