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
    /** UFFD_FEATURE_EVENT_FORK: a forked child keeps the registration, with a context of its own. */
    public static final long UFFD_FEATURE_EVENT_FORK = 1L << 1;
    /** UFFD_FEATURE_EVENT_REMAP: mremap keeps the registration. */
    public static final long UFFD_FEATURE_EVENT_REMAP = 1L << 2;

    /**
     * The contexts dup_userfaultfd() made for forked children from this one (EVENT_FORK): their
     * userfaultfds are read, and held, by the process owning this one (the agent's event reader),
     * so closing this one closes them too.
     */
    private final java.util.List<Forked> forked = new java.util.ArrayList<>();

    /** A child's context made from this one at fork, and the child's mm. */
    public record Forked(Mm mm, UffdCtx ctx) {}

    /** The contexts made from this one at fork (a copy). */
    public java.util.List<Forked> forked() {
        return java.util.List.copyOf(forked);
    }

    void addForked(Mm mm, UffdCtx ctx) {
        forked.add(new Forked(mm, ctx));
    }

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

    /** dup_userfaultfd() keeps a child registered. */
    public boolean eventFork() {
        return (features & UFFD_FEATURE_EVENT_FORK) != 0;
    }

    /** mremap_userfaultfd_prep() keeps the registration of what moves. */
    public boolean eventRemap() {
        return (features & UFFD_FEATURE_EVENT_REMAP) != 0;
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
