package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.PAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.Errno;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.KernelProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** System-call rules of releases before the hosts' kernel, measured on Debian's 6.1 and 6.12. */
class OlderSyscallRulesTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS;

    static Mm release(int minor) {
        return new Mm(new Semantics(KernelProfile.linux(minor), HostProfile.UPSTREAM));
    }

    @Test
    @DisplayName("userfaultfd_api(): before 6.7 UFFD_FEATURE_WP_ASYNC is unknown, EINVAL, and no context stays")
    void wpAsyncIsUnknownBefore67() {
        long async = UffdCtx.UFFD_FEATURE_WP_ASYNC | UffdCtx.UFFD_FEATURE_WP_UNPOPULATED;
        for (int minor : new int[] {1, 6, 7, 12}) {
            Mm mm = release(minor);
            assertThat(Mmap.doMmap(mm, BASE, 4 * PAGE_SIZE, RW, ANON | MapFlag.MAP_FIXED_NOREPLACE, null, 0)).isZero();
            int r = Userfaultfd.register(mm, BASE, 4 * PAGE_SIZE, Userfaultfd.MODE_WP, async);
            assertThat(r).as("linux-6.%d", minor).isEqualTo(minor < 7 ? Errno.EINVAL.neg() : 0);
            assertThat(mm.uffd == null).isEqualTo(minor < 7);
        }
    }

    @Test
    @DisplayName("mmap_region(): before 6.12 a MAP_FIXED over part of a huge page fails with ENOMEM, not the split's EINVAL")
    void mapFixedUnmapFailureWasEnomem() {
        for (int minor : new int[] {1, 11, 12}) {
            Mm mm = release(minor);
            mm.frames().hugetlb().setNrHugePages(2);
            int huge = ANON | MapFlag.MAP_HUGETLB | MapFlag.MAP_FIXED_NOREPLACE;
            assertThat(Mmap.doMmap(mm, BASE, Hugetlb.HPAGE_SIZE, RW, huge, null, 0)).isZero();
            int r = Mmap.doMmap(mm, BASE + PAGE_SIZE, PAGE_SIZE, RW, ANON | MapFlag.MAP_FIXED, null, 0);
            assertThat(r).as("linux-6.%d", minor).isEqualTo(minor < 12 ? Errno.ENOMEM.neg() : Errno.EINVAL.neg());
            assertThat(mm.vmaLookup(BASE).end() - mm.vmaLookup(BASE).start()).isEqualTo(Hugetlb.HPAGE_SIZE);
        }
    }

    @Test
    @DisplayName("do_huge_pmd_wp_page(): before 6.13 a write to the huge zero page splits it and copies one base page")
    void hugeZeroWriteBefore613SplitsIt() {
        for (int minor : new int[] {12, 13}) {
            Mm mm = release(minor);     // UPSTREAM has the zero page
            assertThat(Mmap.doMmap(mm, BASE, 1024 * PAGE_SIZE, RW, ANON | MapFlag.MAP_FIXED_NOREPLACE, null, 0)).isZero();
            assertThat(MadviseOps.doMadvise(mm, BASE, 512 * PAGE_SIZE, dev.mmsim.core.Madvise.HUGEPAGE)).isZero();
            Memory.handleMmFault(mm, BASE, false);
            assertThat(mm.frames().isHugeZeroPfn(PteBits.ptePfn(mm.pageTables().pmdLeaf(BASE).entry))).isTrue();
            Memory.handleMmFault(mm, BASE + PAGE_SIZE, true);
            if (minor < 13) {
                assertThat(mm.pageTables().pmdLeaf(BASE)).isNull();
                assertThat(FrameTable.isZeroPfn(PteBits.ptePfn(mm.pageTables().pte(BASE)))).isTrue();
                long written = mm.pageTables().pte(BASE + PAGE_SIZE);
                assertThat(PteBits.pteP(written) && !FrameTable.isZeroPfn(PteBits.ptePfn(written))).isTrue();
            } else {
                assertThat(mm.frames().isHugeZeroPfn(PteBits.ptePfn(mm.pageTables().pmdLeaf(BASE).entry))).isFalse();
            }
        }
    }

    @Test
    @DisplayName("mseal(2) arrived in 6.10: ENOSYS before it")
    void msealIsEnosysBefore610() {
        for (int minor : new int[] {1, 9, 10}) {
            Mm mm = release(minor);
            assertThat(Mmap.doMmap(mm, BASE, PAGE_SIZE, RW, ANON | MapFlag.MAP_FIXED_NOREPLACE, null, 0)).isZero();
            assertThat(Mseal.doMseal(mm, BASE, PAGE_SIZE, 0)).as("linux-6.%d", minor)
                    .isEqualTo(minor < 10 ? Errno.ENOSYS.neg() : 0);
        }
    }

    @Test
    @DisplayName("import_iovec(): before 6.4 one vector past TASK_SIZE is EFAULT; since, it is cut to MAX_RW_COUNT first")
    void oneIovecPastTaskSize() {
        for (int minor : new int[] {1, 4}) {
            Mm mm = release(minor);
            assertThat(Mmap.doMmap(mm, BASE, 4 * PAGE_SIZE, RW, ANON | MapFlag.MAP_FIXED_NOREPLACE, null, 0)).isZero();
            long r = ProcessMadvise.processMadvise(mm, new long[] {BASE}, new long[] {0x7ffffffffffff000L},
                    dev.mmsim.core.Madvise.COLD);
            if (minor < 4) assertThat(r).isEqualTo(Errno.EFAULT.neg());
            else assertThat(r).isNotEqualTo(Errno.EFAULT.neg());
        }
    }

    @Test
    @DisplayName("mprotect_fixup(): before 6.7 an unfaulted private VMA made read-only keeps VM_ACCOUNT")
    void mprotectKeepsTheChargeBefore67() {
        for (int minor : new int[] {6, 7}) {
            Mm mm = release(minor);
            assertThat(Mmap.doMmap(mm, BASE, 2 * PAGE_SIZE, RW, ANON | MapFlag.MAP_FIXED_NOREPLACE, null, 0)).isZero();
            assertThat(Mprotect.doMprotect(mm, BASE, 2 * PAGE_SIZE, Prot.PROT_READ)).isZero();
            assertThat(mm.vmaLookup(BASE).has(dev.mmsim.core.VmFlag.VM_ACCOUNT)).as("linux-6.%d", minor).isEqualTo(minor < 7);
        }
    }

    @Test
    @DisplayName("madvise_walk_vmas(): before 6.10 MADV_POPULATE_WRITE answers a hole's ENOMEM only after the VMAs' own errors")
    void populateOfARangeStartingInAHole() {
        for (int minor : new int[] {9, 10}) {
            Mm mm = release(minor);
            assertThat(Mmap.doMmap(mm, BASE + PAGE_SIZE, PAGE_SIZE, Prot.PROT_READ, ANON | MapFlag.MAP_FIXED_NOREPLACE, null, 0))
                    .isZero();
            // a read-only VMA refuses POPULATE_WRITE: EINVAL, once the walk reaches it
            assertThat(MadviseOps.doMadvise(mm, BASE, 2 * PAGE_SIZE, dev.mmsim.core.Madvise.POPULATE_WRITE))
                    .as("linux-6.%d", minor).isEqualTo(minor < 10 ? Errno.EINVAL.neg() : Errno.ENOMEM.neg());
        }
    }
}
