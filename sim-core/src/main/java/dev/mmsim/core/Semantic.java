package dev.mmsim.core;

import java.util.Map;
import java.util.function.Predicate;

/**
 * Named simulator semantics that a reviewer can switch off to see what a kernel change did. Each
 * constant records its provenance, the subject of the commit that introduced the behaviour and the
 * first mainline release carrying it, so that a {@link KernelProfile} is simply the set of
 * switches released by then. The code that consults a switch says so at that spot.
 *
 * <p>Three kinds of origin ({@link Origin}): a mainline release {@code 6.N}; a stable fix the
 * hosts' kernel carries that no profiled release has (on in {@code newest} only); and a property
 * of the host rather than of a release ({@link #ZERO_PAGE}), which follows the probed
 * {@link HostProfile} unless set explicitly.
 */
public enum Semantic {
    /**
     * /proc/PID/pagemap has an ioctl, and it knows PAGEMAP_SCAN; off: the file has no ioctl at
     * all, so every request on it, PAGEMAP_SCAN included, fails with ENOTTY (before 6.7).
     */
    PAGEMAP_SCAN("pagemap_scan",
            Origin.release(7, "fs/proc/task_mmu: implement IOCTL to get and optionally clear info about PTEs")),
    /**
     * PAGEMAP_SCAN knows PAGE_IS_SOFT_DIRTY; off: a mask naming it fails with EINVAL. Whether a
     * page is soft-dirty needs CONFIG_MEM_SOFT_DIRTY, which the modelled hosts lack.
     */
    SCAN_SOFT_DIRTY("scan_soft_dirty",
            Origin.release(7, "fs/proc/task_mmu: report SOFT_DIRTY bits through the PAGEMAP_SCAN ioctl")),
    /**
     * UFFDIO_API knows UFFD_FEATURE_WP_ASYNC (6.7; WP_UNPOPULATED came in 6.5), which the scenario
     * word {@code async} asks for with it; off: UFFDIO_API fails with EINVAL and no userfaultfd is
     * kept (measured on Debian's 6.1).
     */
    UFFD_WP_ASYNC("uffd_wp_async", Origin.release(7, "userfaultfd: UFFD_FEATURE_WP_ASYNC")),
    /**
     * Unmapping an anonymous page of a private hugetlb mapping that owns its reservation gives the
     * reservation back, so nobody can take the page; off: the page returns to the pool unreserved
     * and a MAP_NORESERVE mapping may take it (before 6.8, measured on Debian's 6.1).
     */
    HUGETLB_RESTORE_RESERVE("hugetlb_restore_reserve", Origin.release(8, "mm/hugetlb: restore the reservation if needed")),
    /**
     * import_iovec() of a single vector makes a user buffer (ITER_UBUF), its length cut to
     * MAX_RW_COUNT before access_ok(); off: every vector's whole length is checked first (before
     * 6.4; process_madvise() of one range past TASK_SIZE is EFAULT, measured on Debian's 6.1).
     */
    IOVEC_SINGLE_UBUF("iovec_single_ubuf", Origin.release(4, "iov_iter: import single vector iovecs as ITER_UBUF")),
    /**
     * mprotect() of an anonymous VMA that never had an anon_vma to read-only drops its VM_ACCOUNT
     * charge ("ac" in smaps); off: the charge stays (before 6.7, measured on Debian's 6.1).
     */
    MPROTECT_UNACCOUNT("mprotect_unaccount", Origin.release(7, "mm/mprotect: allow unfaulted VMAs to be unaccounted on mprotect()")),
    /**
     * MADV_POPULATE_(READ|WRITE) checks the whole range up front (a hole is ENOMEM at once); off:
     * VMA by VMA through madvise_walk_vmas(), a hole's ENOMEM last (before 6.10, measured on
     * Debian's 6.1).
     */
    MADVISE_POPULATE_RANGE("madvise_populate_range",
            Origin.release(10, "mm/madvise: make MADV_POPULATE_(READ|WRITE) handle VM_FAULT_RETRY properly")),
    /** The mseal() system call exists; off: ENOSYS (before 6.10, measured on Debian's 6.1). */
    MSEAL("mseal", Origin.release(10, "mseal: wire up mseal syscall")),
    /**
     * A MAP_FIXED mmap() that cannot unmap what it replaces fails with that error (EINVAL for a
     * split a hugetlb VMA refuses); off: with ENOMEM, a sealed VMA's EPERM aside (mmap_region()
     * before 6.12, measured on Debian's 6.1).
     */
    MMAP_FIXED_UNMAP_ERROR("mmap_fixed_unmap_error",
            Origin.release(12, "mm: change failure of MAP_FIXED to restoring the gap on failure")),
    /**
     * The pagemap file answers an ioctl request other than PAGEMAP_SCAN with EINVAL, as
     * do_pagemap_cmd() reads in mainline since 6.7 and the hosts' 6.18.y does; off: ENOTTY, as
     * measured on every Debian 6.12.y tried. The change between the two was not found in the
     * sources at hand: the switch is placed at 6.13, the first release after the one measured.
     */
    PAGEMAP_CMD_EINVAL("pagemap_cmd_einval", Origin.release(13, "(not identified: measured 6.12.y ENOTTY, 6.18.y EINVAL)")),
    /**
     * A write fault on the huge zero page maps a new THP (do_huge_zero_wp_pmd()); off: the PMD is
     * split into PTEs of the shared zero page and the write copies one base page (before 6.13,
     * measured on Debian's 6.12).
     */
    HUGE_ZERO_WP_THP("huge_zero_wp_thp", Origin.release(13, "mm: Allocate THP on hugezeropage wp-fault")),
    /** MADV_GUARD_INSTALL and MADV_GUARD_REMOVE exist; off: unknown advice, EINVAL (before 6.13). */
    GUARD_REGIONS("guard_regions", Origin.release(13, "mm: madvise: implement lightweight guard page mechanism")),
    /**
     * process_madvise() on the caller's own mm takes every advice madvise() takes; off: only the
     * non-destructive MADV_COLD, MADV_PAGEOUT, MADV_WILLNEED and MADV_COLLAPSE, others EINVAL
     * (process_madvise_behavior_valid(), before 6.13; measured on Debian's 6.12).
     */
    PROCESS_MADVISE_SELF("process_madvise_self",
            Origin.release(13, "mm/madvise: unrestrict process_madvise() for current process")),
    /**
     * MADV_DONTNEED frees a PTE table it emptied over a whole PMD range (CONFIG_PT_RECLAIM,
     * mm/pt_reclaim.c); off: the empty table stays until munmap (before 6.14).
     */
    PT_RECLAIM("pt_reclaim", Origin.release(14, "mm: pgtable: reclaim empty PTE page in madvise(MADV_DONTNEED)")),
    /**
     * Guard regions in file-backed, shmem and read-only mappings; off: only anonymous VMAs with
     * VM_MAYWRITE accept them, others fail with EINVAL (before 6.15).
     */
    FILE_GUARD("file_guard", Origin.release(15, "mm: allow guard regions in file-backed and read-only mappings")),
    /** /proc/pid/pagemap sets PM_GUARD_REGION for a guard marker; off: a bare type-31 swap entry (before 6.15). */
    PAGEMAP_GUARD("pagemap_guard", Origin.release(15, "fs/proc/task_mmu: add guard region bit to pagemap")),
    /**
     * mremap() checks the page alignment of the new address of MREMAP_FIXED or MREMAP_DONTUNMAP with
     * its other arguments, before it looks up the VMA at the old address (check_mremap_params());
     * off: only in mremap_to(), after that lookup, so no VMA there (EFAULT) or a sealed one (EPERM)
     * wins over the EINVAL (before 6.15).
     */
    MREMAP_PARAM_CHECKS("mremap_param_checks",
            Origin.release(15, "mm/mremap: refactor mremap() system call implementation")),
    /**
     * A move of a VM_LOCKED VMA with MREMAP_DONTUNMAP counts the new range in mm->locked_vm, while
     * the old VMA, unlocked, is never subtracted (VmLck grows by the moved size); off: a DONTUNMAP
     * move leaves locked_vm alone (measured on Debian's 6.12; placed with the 6.15 rewrite of
     * move_vma(), not measured in between).
     */
    MREMAP_DONTUNMAP_LOCKED("mremap_dontunmap_locked",
            Origin.release(15, "mm/mremap: refactor mremap() system call implementation")),
    /**
     * PAGEMAP_SCAN reports guard markers as PAGE_IS_GUARD; off: only as swapped|written, and a mask
     * naming the category fails with EINVAL (before 6.16).
     */
    SCAN_GUARD("scan_guard", Origin.release(16, "fs/proc: extend the PAGEMAP_SCAN ioctl to report guard regions")),
    /**
     * A faulted range merges into an unfaulted neighbour, which takes its anon_vma; off: such a
     * merge is refused, as is_mergeable_anon_vma() wanted the target's anon_vma chain singular
     * (before 6.16).
     */
    ANON_MERGE_UNFAULTED("anon_merge_unfaulted",
            Origin.release(16, "mm/vma: fix incorrectly disallowed anonymous VMA merges")),
    /**
     * Under PR_SET_MEMORY_MERGE a new mapping is VM_MERGEABLE before its merge attempt, so it merges
     * with mergeable neighbours; off: it gets the flag only once created, ksm_add_vma() (before 6.17).
     */
    KSM_NEW_VMA_MERGE("ksm_new_vma_merge",
            Origin.release(17, "mm: prevent KSM from breaking VMA merging for new VMAs")),
    /**
     * mremap() with MREMAP_FIXED moves a range that spans several VMAs and gaps, VMA by VMA; it
     * checks TASK_SIZE and the overlap of the two ranges before it looks up the VMA at the old
     * address, and the old range against that VMA before anything is unmapped. Off (before 6.17;
     * the same series moved the checks): the old range, after a shrink, must lie in one VMA, and
     * vma_to_resize() finds out only after mremap_to() has unmapped the destination and the
     * shrunk tail: EFAULT; TASK_SIZE and the overlap are checked after the VMA lookup.
     */
    MREMAP_MULTI_VMA("mremap_multi_vma", Origin.release(17, "mm/mremap: permit mremap() move of multiple VMAs")),
    /** MADV_GUARD_INSTALL sets VM_MAYBE_GUARD ("gu" in smaps) on the VMA; off: no flag (before 6.19). */
    MAYBE_GUARD("maybe_guard", Origin.release(19, "mm: set the VM_MAYBE_GUARD flag on guard region install")),
    /**
     * Sticky VMA flags (VM_MAYBE_GUARD) neither prevent a merge nor are lost by one; off: flags must
     * match for VMAs to merge (before 6.19).
     */
    STICKY_FLAGS("sticky_flags", Origin.release(19, "mm: implement sticky VMA flags")),
    /**
     * VM_MAYBE_GUARD is in VM_COPY_ON_FORK, so fork copies the page tables (and guard markers) of
     * such VMAs; off: the earlier rule, copying only for anon_vma, uffd-wp and PFN maps (before 6.19).
     */
    COPY_ON_FORK_GUARD("copy_on_fork_guard",
            Origin.release(19, "mm: introduce copy-on-fork VMAs and make VM_MAYBE_GUARD one")),
    /**
     * pagemap sets PM_FILE on the pages of a PMD leaf whose folio is not anonymous, which among
     * the modelled leaves is the huge zero page; off (before 6.11): a PMD leaf is never PM_FILE.
     */
    PAGEMAP_PMD_FILE("pagemap_pmd_file", Origin.release(11, "fs/proc/task_mmu: indicate PM_FILE for PMD-mapped file THP")),
    /**
     * pagemap's PM_MMAP_EXCLUSIVE of the pages of a PMD leaf asks the leaf's first page's own
     * mapcount for every page (6.15 with CONFIG_PAGE_MAPCOUNT, as the hosts' 6.18.y, measured; and
     * before 6.11); off (6.11 to 6.14): each page's own, a PMD mapping of its folio included.
     * The folio-wide rule of CONFIG_NO_PAGE_MAPCOUNT kernels is not modelled.
     */
    PAGEMAP_FOLIO_EXCLUSIVE("pagemap_folio_exclusive", Origin.release(15,
            "fs/proc/task_mmu: remove per-page mapcount dependency for PM_MMAP_EXCLUSIVE (CONFIG_NO_PAGE_MAPCOUNT)")),
    /**
     * x86-64 access_ok() bounds a user range by USER_PTR_MAX; off (6.4 to 6.11): a range only has
     * to end below 2^63, so PAGEMAP_SCAN accepts an end past TASK_SIZE_MAX and walks up to it.
     */
    USER_PTR_MAX("user_ptr_max", Origin.release(12, "x86: fix user address masking non-canonical speculation issue")),
    /**
     * USER_PTR_MAX is TASK_SIZE_MAX, so a range may end there; off (6.12 as released): one byte
     * below it. Backported to 6.12.y: every Debian 6.12 from 6.12.100 on has it (measured).
     */
    ACCESS_OK_END("access_ok_end", Origin.release(13, "x86: fix off-by-one in access_ok()").backportedTo(Map.of(12, 100))),
    /**
     * PAGEMAP_SCAN reports a pte_none entry in an existing PTE table as PAGE_IS_WRITTEN in every
     * VMA, as its WRITTEN-only fast path already did; off: only in uffd-wp VMAs.
     */
    PTE_NONE_WRITTEN("pte_none_written", Origin.stableFix(Map.of(12, 107))),
    /** PAGEMAP_SCAN reports a PMD hole in a uffd-wp VMA as PAGE_IS_WRITTEN; off: category 0. */
    PMD_HOLE_WRITTEN("pmd_hole_written", Origin.stableFix(Map.of(12, 107))),
    /**
     * A read fault on untouched private anonymous memory maps the shared zero page; off: it
     * allocates a page, as on hosts booted with {@code pvm_no_zero_page=1}. Follows
     * {@link HostProfile#zeroPage()} unless set explicitly.
     */
    ZERO_PAGE("zero_page", HostProfile::zeroPage);

    /**
     * Where a behaviour comes from.
     *
     * @param kind      RELEASE, STABLE_FIX or HOST
     * @param minor     for a release, N of mainline v6.N; unused otherwise
     * @param subject   for a release, the subject of the commit that introduced the behaviour (the
     *                  switch table of src/site/markdown/semantics.md quotes it)
     * @param backports the stable series (N of 6.N.y) known to carry the change as a backport (all
     *                  of a stable fix's, or a release change that went back to older series), each
     *                  with the first point release measured to have it (Debian's packages: a fix
     *                  first seen in 6.12.107 was absent from 6.12.101, and Debian has no 6.12.102 to
     *                  6.12.106); empty otherwise
     */
    public record Origin(Kind kind, int minor, String subject, Map<Integer, Integer> backports) {
        public Origin {
            backports = Map.copyOf(backports);
        }
        /** The kinds of origin. */
        public enum Kind {
            /** In mainline since release 6.{@code minor}. */
            RELEASE,
            /** A 2026 stable fix the hosts' 6.18.y kernel carries; in no profiled mainline release. */
            STABLE_FIX,
            /** A property of the host, not of a release. */
            HOST
        }

        static final Origin HOST = new Origin(Kind.HOST, 0, null, Map.of());

        static Origin release(int minor, String subject) {
            return new Origin(Kind.RELEASE, minor, subject, Map.of());
        }

        static Origin stableFix(Map<Integer, Integer> backports) {
            return new Origin(Kind.STABLE_FIX, 0, null, backports);
        }

        /** This origin, also backported to the stable series given (6.N.y to its first point release measured). */
        Origin backportedTo(Map<Integer, Integer> series) {
            return new Origin(kind, minor, subject, series);
        }

        /**
         * Whether stable release 6.{@code minor}.{@code point} carries this change as a backport (a
         * stable fix, or a release change that went back to an older series).
         */
        public boolean inStable(int minor, int point) {
            Integer first = backports.get(minor);
            return first != null && point >= first;
        }
    }

    public final String scenarioName;
    public final Origin origin;
    /** For a host switch, its state on a host; null otherwise. */
    private final Predicate<HostProfile> hostDefault;

    Semantic(String scenarioName, Origin origin) {
        this.scenarioName = scenarioName;
        this.origin = origin;
        this.hostDefault = null;
    }

    Semantic(String scenarioName, Predicate<HostProfile> hostDefault) {
        this.scenarioName = scenarioName;
        this.origin = Origin.HOST;
        this.hostDefault = hostDefault;
    }

    /** Whether the switch follows the host profile rather than a kernel release. */
    public boolean followsHost() {
        return origin.kind() == Origin.Kind.HOST;
    }

    /** For a host switch, its state on the given host when nothing set it explicitly. */
    boolean hostDefault(HostProfile host) {
        return hostDefault.test(host);
    }

    public static Semantic byName(String name) {
        for (Semantic s : values()) if (s.scenarioName.equals(name)) return s;
        return null;
    }
}
