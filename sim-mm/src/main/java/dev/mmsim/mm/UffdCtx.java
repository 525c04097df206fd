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
    /** UFFD_FEATURE_SIGBUS: a fault that would wait for a handler raises SIGBUS instead. */
    public static final long UFFD_FEATURE_SIGBUS = 1L << 7;

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

    /** handle_userfault() fails the fault with SIGBUS rather than waiting for a handler. */
    public boolean sigbus() {
        return (features & UFFD_FEATURE_SIGBUS) != 0;
    }

    /** Write-protecting an empty entry installs a marker (anonymous memory; file memory always does). */
    public boolean wpUnpopulated() {
        return (features & UFFD_FEATURE_WP_UNPOPULATED) != 0;
    }
}
