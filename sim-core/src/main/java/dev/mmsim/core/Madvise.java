package dev.mmsim.core;

/**
 * madvise() advice values (include/uapi/asm-generic/mman-common.h) with the names the scenario
 * language uses (the kernel name without MADV_, lower case).
 */
public enum Madvise {
    /** Reset VM_SEQ_READ / VM_RAND_READ. */
    NORMAL(0),
    /** Set VM_RAND_READ. */
    RANDOM(1),
    /** Set VM_SEQ_READ. */
    SEQUENTIAL(2),
    /** Read ahead / swap in. */
    WILLNEED(3),
    /** Zap the range: anonymous data is lost, page tables may be freed. */
    DONTNEED(4),
    /** Lazy free of clean anonymous pages. */
    FREE(8),
    /** Punch a hole in the backing shmem/file. */
    REMOVE(9),
    /** Set VM_DONTCOPY. */
    DONTFORK(10),
    /** Clear VM_DONTCOPY. */
    DOFORK(11),
    /** KSM. */
    MERGEABLE(12),
    /** KSM off. */
    UNMERGEABLE(13),
    /** Set VM_HUGEPAGE. */
    HUGEPAGE(14),
    /** Set VM_NOHUGEPAGE. */
    NOHUGEPAGE(15),
    /** Set VM_DONTDUMP. */
    DONTDUMP(16),
    /** Clear VM_DONTDUMP. */
    DODUMP(17),
    /** Set VM_WIPEONFORK. */
    WIPEONFORK(18),
    /** Clear VM_WIPEONFORK. */
    KEEPONFORK(19),
    /** Deactivate pages. */
    COLD(20),
    /** Reclaim pages. */
    PAGEOUT(21),
    /** Populate (prefault) page tables readable. */
    POPULATE_READ(22),
    /** Populate (prefault) page tables writable. */
    POPULATE_WRITE(23),
    /** DONTNEED that also works on locked VMAs. */
    DONTNEED_LOCKED(24),
    /** Synchronous THP collapse. */
    COLLAPSE(25),
    /** Install guard-region markers (6.13+). */
    GUARD_INSTALL(102),
    /** Remove guard-region markers. */
    GUARD_REMOVE(103);

    public final int value;

    Madvise(int value) {
        this.value = value;
    }

    public String scenarioName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Madvise byScenarioName(String name) {
        for (Madvise m : values()) if (m.scenarioName().equals(name)) return m;
        return null;
    }
}
