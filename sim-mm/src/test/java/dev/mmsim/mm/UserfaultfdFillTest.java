package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.Errno;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;

import org.junit.jupiter.api.Test;

/**
 * userfaultfd beyond write-protection, as a process without a handler thread drives it:
 * handle_userfault() with UFFD_FEATURE_SIGBUS (fs/userfaultfd.c) and UFFDIO_COPY, ZEROPAGE and
 * CONTINUE (mfill_atomic(), mm/userfaultfd.c). Measured on 6.18 (corpus uffd/fill-*.scn,
 * uffd/sigbus-*.scn).
 */
class UserfaultfdFillTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;
    static final long SIGBUS_FEATURE = UffdCtx.UFFD_FEATURE_SIGBUS;

    Mm mm = new Mm(Semantics.newest(HostProfile.parse("zero_page=off,thp=madvise")));

    static long page(long n) {
        return BASE + n * PAGE_SIZE;
    }

    @Test
    void aMissingFaultRaisesSigbusAfterItsPageTableIsAllocated() {
        assertThat(Mmap.doMmap(mm, page(0), 8 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(Userfaultfd.register(mm, page(0), 8 * PAGE_SIZE, Userfaultfd.MODE_MISSING, SIGBUS_FEATURE)).isZero();
        assertThat(Memory.handleMmFault(mm, page(0), false)).isEqualTo(Memory.FaultResult.SIGBUS);
        assertThat(mm.pageTables().pteTable(page(0))).isNotNull();
        assertThat(mm.vmaLookup(page(0)).anonVma()).isNotNull();
    }

    @Test
    void aCopyFillsUntilTheFirstEntryInUseAndTakesMarkersForEmpty() {
        assertThat(Mmap.doMmap(mm, page(0), 8 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
        assertThat(Userfaultfd.register(mm, page(0), 8 * PAGE_SIZE, Userfaultfd.MODE_MISSING, 0)).isZero();
        assertThat(Userfaultfd.mfill(mm, page(0), 2 * PAGE_SIZE, Userfaultfd.Mfill.COPY, false)).isZero();
        assertThat(Userfaultfd.mfill(mm, page(0), 2 * PAGE_SIZE, Userfaultfd.Mfill.COPY, false)).isEqualTo(Errno.EEXIST.neg());
        assertThat(Userfaultfd.mfill(mm, page(1), 2 * PAGE_SIZE, Userfaultfd.Mfill.COPY, false)).isEqualTo(Errno.EEXIST.neg());
        assertThat(Userfaultfd.mfill(mm, page(3), 2 * PAGE_SIZE, Userfaultfd.Mfill.ZEROPAGE, false)).isZero();
        assertThat(Userfaultfd.mfill(mm, page(2), 2 * PAGE_SIZE, Userfaultfd.Mfill.COPY, false)).isEqualTo(Errno.EAGAIN.neg());
        // a guard marker is overwritten by a copy (pte_none_mostly()), not by the zero page (pte_none())
        assertThat(MadviseOps.doMadvise(mm, page(6), PAGE_SIZE, Madvise.GUARD_INSTALL)).isZero();
        assertThat(Userfaultfd.mfill(mm, page(6), PAGE_SIZE, Userfaultfd.Mfill.ZEROPAGE, false)).isEqualTo(Errno.EEXIST.neg());
        assertThat(Userfaultfd.mfill(mm, page(6), PAGE_SIZE, Userfaultfd.Mfill.COPY, false)).isZero();
        assertThat(PteBits.pteWrite(mm.pageTables().pte(page(6)))).isTrue();
        // the range must lie in one registered VMA; a continue wants shmem
        assertThat(Userfaultfd.mfill(mm, page(7), 2 * PAGE_SIZE, Userfaultfd.Mfill.COPY, false)).isEqualTo(Errno.ENOENT.neg());
        assertThat(Userfaultfd.mfill(mm, page(7), PAGE_SIZE, Userfaultfd.Mfill.CONTINUE, false)).isEqualTo(Errno.EINVAL.neg());
        assertThat(Userfaultfd.mfill(mm, page(7), PAGE_SIZE, Userfaultfd.Mfill.COPY, true)).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void aContinueMapsTheCachedPageAndNothingElse() {
        MappedFile m = MappedFile.memfd("m", 4 * PAGE_SIZE);
        int shared = MapFlag.MAP_SHARED | MapFlag.MAP_FIXED_NOREPLACE;
        assertThat(Mmap.doMmap(mm, page(0), 8 * PAGE_SIZE, RW, shared, m, 0)).isZero();
        assertThat(Mmap.doMmap(mm, page(16), 8 * PAGE_SIZE, RW, shared, m, 0)).isZero();
        Memory.handleMmFault(mm, page(17), true);
        assertThat(Userfaultfd.register(mm, page(0), 8 * PAGE_SIZE, Userfaultfd.MODE_MINOR, SIGBUS_FEATURE)).isZero();
        assertThat(Memory.handleMmFault(mm, page(1), false)).isEqualTo(Memory.FaultResult.SIGBUS);
        assertThat(Userfaultfd.mfill(mm, page(0), PAGE_SIZE, Userfaultfd.Mfill.CONTINUE, false)).isEqualTo(Errno.EFAULT.neg());
        assertThat(Userfaultfd.mfill(mm, page(1), PAGE_SIZE, Userfaultfd.Mfill.CONTINUE, false)).isZero();
        assertThat(Userfaultfd.mfill(mm, page(5), PAGE_SIZE, Userfaultfd.Mfill.CONTINUE, false)).isEqualTo(Errno.EINVAL.neg());
        assertThat(Userfaultfd.mfill(mm, page(5), PAGE_SIZE, Userfaultfd.Mfill.COPY, false)).isEqualTo(Errno.EFAULT.neg());
    }
}
