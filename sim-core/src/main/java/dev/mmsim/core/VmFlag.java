package dev.mmsim.core;

/**
 * The VM_* flags of a VMA with their bit numbers (the VMA_*_BIT enum of include/linux/mm.h) and
 * their two-letter smaps mnemonics (show_smap_vma_flags(), fs/proc/task_mmu.c). smaps prints
 * mnemonics in bit order, which is the order of this enum.
 */
public enum VmFlag {
    /** Readable. */
    VM_READ(0, "rd"),
    /** Writable. */
    VM_WRITE(1, "wr"),
    /** Executable. */
    VM_EXEC(2, "ex"),
    /** Shared mapping: writes reach the backing object. */
    VM_SHARED(3, "sh"),
    /** mprotect() may add PROT_READ. */
    VM_MAYREAD(4, "mr"),
    /** mprotect() may add PROT_WRITE. */
    VM_MAYWRITE(5, "mw"),
    /** mprotect() may add PROT_EXEC. */
    VM_MAYEXEC(6, "me"),
    /** Could be shared (MAP_SHARED, even if now read-only). */
    VM_MAYSHARE(7, "ms"),
    /** Stack-like mapping that grows down. */
    VM_GROWSDOWN(8, "gd"),
    /** userfaultfd registered in MISSING mode. */
    VM_UFFD_MISSING(9, "um"),
    /** Raw PFN mapping without struct page. */
    VM_PFNMAP(10, "pf"),
    /** May hold guard-region markers; sticky on merge (6.19; the hosts' 6.18.y carries it). */
    VM_MAYBE_GUARD(11, "gu"),
    /** userfaultfd registered in WP mode. */
    VM_UFFD_WP(12, "uw"),
    /** mlock()ed. */
    VM_LOCKED(13, "lo"),
    /** Memory-mapped I/O. */
    VM_IO(14, "io"),
    /** MADV_SEQUENTIAL. */
    VM_SEQ_READ(15, "sr"),
    /** MADV_RANDOM. */
    VM_RAND_READ(16, "rr"),
    /** MADV_DONTFORK: not copied to a child. */
    VM_DONTCOPY(17, "dc"),
    /** Cannot be expanded by mremap(). */
    VM_DONTEXPAND(18, "de"),
    /** mlock2(MLOCK_ONFAULT). */
    VM_LOCKONFAULT(19, "lf"),
    /** Charged to the commit limit. */
    VM_ACCOUNT(20, "ac"),
    /** MAP_NORESERVE. */
    VM_NORESERVE(21, "nr"),
    /** hugetlbfs mapping. */
    VM_HUGETLB(22, "ht"),
    /** Synchronous page faults (DAX). */
    VM_SYNC(23, "sf"),
    /** Architecture-specific. */
    VM_ARCH_1(24, "ar"),
    /** MADV_WIPEONFORK: the child sees zero-filled memory. */
    VM_WIPEONFORK(25, "wf"),
    /** MADV_DONTDUMP. */
    VM_DONTDUMP(26, "dd"),
    /** Soft-dirty at VMA granularity; shown only with CONFIG_MEM_SOFT_DIRTY. */
    VM_SOFTDIRTY(27, "sd"),
    /** Mixed struct-page and PFN mapping. */
    VM_MIXEDMAP(28, "mm"),
    /** MADV_HUGEPAGE. */
    VM_HUGEPAGE(29, "hg"),
    /** MADV_NOHUGEPAGE. */
    VM_NOHUGEPAGE(30, "nh"),
    /** MADV_MERGEABLE (KSM). */
    VM_MERGEABLE(31, "mg"),
    /** Droppable mapping (MAP_DROPPABLE). */
    VM_DROPPABLE(40, "dp"),
    /** userfaultfd registered in MINOR mode. */
    VM_UFFD_MINOR(41, "ui"),
    /** mseal()ed. */
    VM_SEALED(42, "sl");

    public final int bit;
    public final String mnemonic;

    VmFlag(int bit, String mnemonic) {
        this.bit = bit;
        this.mnemonic = mnemonic;
    }

    public long mask() {
        return 1L << bit;
    }

    /** Combined mask of the given flags. */
    public static long of(VmFlag... flags) {
        long m = 0;
        for (VmFlag f : flags) m |= f.mask();
        return m;
    }

    // Fixed-arity forms, so that the masks the hot paths build (mprotect, mmap) allocate no array.

    /** Combined mask of two flags. */
    public static long of(VmFlag a, VmFlag b) {
        return a.mask() | b.mask();
    }

    /** Combined mask of three flags. */
    public static long of(VmFlag a, VmFlag b, VmFlag c) {
        return a.mask() | b.mask() | c.mask();
    }

    /** Combined mask of four flags. */
    public static long of(VmFlag a, VmFlag b, VmFlag c, VmFlag d) {
        return a.mask() | b.mask() | c.mask() | d.mask();
    }

    /** Combined mask of five flags. */
    public static long of(VmFlag a, VmFlag b, VmFlag c, VmFlag d, VmFlag e) {
        return a.mask() | b.mask() | c.mask() | d.mask() | e.mask();
    }

    public static final long VM_NONE = 0;
    /** VM_SPECIAL: never merged, never mlocked. */
    public static final long VM_SPECIAL = of(VM_IO, VM_DONTEXPAND, VM_PFNMAP, VM_MIXEDMAP);
    /** VM_COPY_ON_FORK: page tables must be copied on fork (VM_MAYBE_GUARD included since 6.19 and in the hosts' 6.18.y). */
    public static final long VM_COPY_ON_FORK = of(VM_PFNMAP, VM_MIXEDMAP, VM_UFFD_WP, VM_MAYBE_GUARD);
    public static final long VM_ACCESS_FLAGS = of(VM_READ, VM_WRITE, VM_EXEC);
    public static final long VM_LOCKED_MASK = of(VM_LOCKED, VM_LOCKONFAULT);
    public static final long VM_UFFD_FLAGS = of(VM_UFFD_MISSING, VM_UFFD_WP, VM_UFFD_MINOR);

    /**
     * The smaps VmFlags line body for a flag word, mnemonics in bit order each followed by a space,
     * as show_smap_vma_flags() prints it. VM_SOFTDIRTY appears only when softDirtyConfigured.
     */
    public static String mnemonics(long flags, boolean softDirtyConfigured) {
        StringBuilder sb = new StringBuilder();
        for (VmFlag f : values()) {
            if ((flags & f.mask()) == 0) continue;
            if (f == VM_SOFTDIRTY && !softDirtyConfigured) continue;
            if (!sb.isEmpty()) sb.append(',');
            sb.append(f.mnemonic);
        }
        return sb.toString();
    }

    /** The flag with this smaps mnemonic, or null. */
    public static VmFlag byMnemonic(String m) {
        for (VmFlag f : values()) if (f.mnemonic.equals(m)) return f;
        return null;
    }
}
