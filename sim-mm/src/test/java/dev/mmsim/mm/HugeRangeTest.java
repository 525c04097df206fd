package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mmsim.core.Errno;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import dev.mmsim.core.VmFlag;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lengths and addresses near 2^63: the kernel's unsigned arithmetic accepts ranges whose end a
 * Java long sees as negative. Each call must answer at once, as measured on the hosts' 6.18.y
 * (corpus ops/extreme-values), walking VMAs and holes rather than pages.
 */
class HugeRangeTest {
    static final long BASE = 0x100000000000L;
    static final long HUGE = 0x7ffffffffffff000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
    static final Duration PROMPTLY = Duration.ofSeconds(5);

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));

    @BeforeEach
    void fourWrittenPages() {
        assertThat(Mmap.doMmap(mm, BASE, 4 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
        for (int i = 0; i < 4; i++) Memory.handleMmFault(mm, BASE + i * PAGE_SIZE, true);
    }

    boolean present(int n) {
        return PteBits.pteP(mm.pageTables().pte(BASE + n * PAGE_SIZE));
    }

    @Test
    void madviseWalksVmasNotPagesPastTaskSize() {
        // check_input_range() accepts the range; madvise_walk_vmas() installs the guards in A and
        // answers ENOMEM for the hole above it
        assertTimeoutPreemptively(PROMPTLY, () ->
                assertThat(MadviseOps.doMadvise(mm, BASE + 3 * PAGE_SIZE, HUGE, Madvise.GUARD_INSTALL))
                        .isEqualTo(Errno.ENOMEM.neg()));
        assertThat(PteBits.isGuardMarker(mm.pageTables().pte(BASE + 3 * PAGE_SIZE))).isTrue();
        assertTimeoutPreemptively(PROMPTLY, () ->
                assertThat(MadviseOps.doMadvise(mm, BASE, HUGE, Madvise.DONTNEED)).isEqualTo(Errno.ENOMEM.neg()));
        assertThat(present(0)).isFalse();
        // a length that wraps past 2^64 is EINVAL (check_input_range())
        assertThat(MadviseOps.doMadvise(mm, BASE, -PAGE_SIZE, Madvise.DONTNEED)).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void mprotectAndMlockChangeUpToTheHole() {
        // do_mprotect_pkey(): A changes, the hole above it is ENOMEM
        assertThat(Mprotect.doMprotect(mm, BASE + 2 * PAGE_SIZE, HUGE, Prot.PROT_READ)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(mm.findVma(BASE + 2 * PAGE_SIZE).has(VmFlag.VM_WRITE)).isFalse();
        assertThat(mm.findVma(BASE).has(VmFlag.VM_WRITE)).isTrue();
        // apply_vma_lock_flags(): ENOMEM, not EINVAL (no wrap in unsigned arithmetic)
        assertThat(Mlock.doMunlock(mm, BASE, HUGE)).isEqualTo(Errno.ENOMEM.neg());
        // do_mseal(): the hole past the mapping is ENOMEM, nothing sealed
        assertThat(Mseal.doMseal(mm, BASE, HUGE, 0)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(Mseal.vmaIsSealed(mm.findVma(BASE))).isFalse();
    }

    @Test
    void mmapPastTaskSizeIsEnomemBeforeAlignment() {
        // __get_unmapped_area(): addresses a signed long sees as negative are past TASK_SIZE
        assertThat(Mmap.doMmap(mm, BASE + 0x7fffffffffff0000L, PAGE_SIZE, RW, ANON, null, 0)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(Mmap.doMmap(mm, BASE - 0x7ffffffffffff000L, PAGE_SIZE, RW, ANON, null, 0)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(Mmap.doMmap(mm, BASE - 0x7fffffffffffffffL, PAGE_SIZE, RW, ANON, null, 0)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(Mmap.doMmap(mm, BASE, HUGE, RW, ANON, null, 0)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(mm.vmas()).hasSize(1);
    }

    @Test
    void mremapToAHugeLengthIsEinval() {
        // check_mremap_params(): a new length past TASK_SIZE
        assertThat(Mremap.doMremap(mm, BASE, PAGE_SIZE, HUGE, 0, 0)).isEqualTo(Errno.EINVAL.neg());
        assertThat(Mremap.doMremap(mm, BASE, PAGE_SIZE, Long.MAX_VALUE, Mremap.MREMAP_MAYMOVE, 0)).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void oneIovecIsCutBeforeAccessOk() {
        // __import_iovec_ubuf(): cut to MAX_RW_COUNT, then access_ok(): advised, then ENOMEM
        long r = ProcessMadvise.processMadvise(mm, new long[] {BASE}, new long[] {HUGE}, Madvise.DONTNEED);
        assertThat(r).isEqualTo(Errno.ENOMEM.neg());
        assertThat(present(0)).isFalse();
        // two iovecs: __import_iovec() checks each with access_ok() first: EFAULT
        r = ProcessMadvise.processMadvise(mm, new long[] {BASE, BASE}, new long[] {PAGE_SIZE, HUGE}, Madvise.DONTNEED);
        assertThat(r).isEqualTo(Errno.EFAULT.neg());
    }
}
