package dev.mmsim.mm;

/**
 * struct userfaultfd_ctx (fs/userfaultfd.c): one userfaultfd of a process, with the features
 * negotiated by UFFDIO_API. VMAs registered with it point to it (vm_userfaultfd_ctx) and never
 * merge with VMAs registered elsewhere or not at all.
 */
public final class UffdCtx {
    /** UFFD_FEATURE_WP_UNPOPULATED (include/uapi/linux/userfaultfd.h). */
    public static final long UFFD_FEATURE_WP_UNPOPULATED = 1L << 13;
    /** UFFD_FEATURE_WP_ASYNC. */
    public static final long UFFD_FEATURE_WP_ASYNC = 1L << 15;

    private final long features;

    public UffdCtx(long features) {
        this.features = features;
    }

    public long features() {
        return features;
    }

    /** Write faults on write-protected pages resolve themselves (no handler thread needed). */
    public boolean wpAsync() {
        return (features & UFFD_FEATURE_WP_ASYNC) != 0;
    }

    /** Write-protecting an empty entry installs a marker (anonymous memory; file memory always does). */
    public boolean wpUnpopulated() {
        return (features & UFFD_FEATURE_WP_UNPOPULATED) != 0;
    }
}
