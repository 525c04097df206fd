package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.Errno;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** process_madvise() on the caller's own mm: vector_madvise() and import_iovec() (mm/madvise.c, lib/iov_iter.c). */
class ProcessMadviseTest {
    static final long BASE = 0x100000000000L;
    static final int RW = Prot.PROT_READ | Prot.PROT_WRITE;
    static final int ANON = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));

    static long page(long n) {
        return BASE + n * PAGE_SIZE;
    }

    @BeforeEach
    void eightWrittenPages() {
        assertThat(Mmap.doMmap(mm, page(0), 8 * PAGE_SIZE, RW, ANON, null, 0)).isZero();
        for (int i = 0; i < 8; i++) Memory.handleMmFault(mm, page(i), true);
    }

    long call(Madvise advice, long... startLenPairs) {
        long[] starts = new long[startLenPairs.length / 2];
        long[] lens = new long[starts.length];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = startLenPairs[2 * i];
            lens[i] = startLenPairs[2 * i + 1];
        }
        return ProcessMadvise.processMadvise(mm, starts, lens, advice);
    }

    boolean present(long n) {
        return PteBits.pteP(mm.pageTables().pte(page(n)));
    }

    @Test
    void returnsTheBytesOfEveryRangeAsGiven() {
        assertThat(call(Madvise.DONTNEED, page(0), PAGE_SIZE, page(4), 100)).isEqualTo(PAGE_SIZE + 100);
        assertThat(present(0)).isFalse();
        assertThat(present(4)).isFalse();
        assertThat(present(1)).isTrue();
    }

    @Test
    void aFailingLaterRangeKeepsTheBytesBeforeIt() {
        // the second range runs past the mapping: ENOMEM, after advising its mapped part
        assertThat(call(Madvise.DONTNEED, page(0), PAGE_SIZE, page(6), 4 * PAGE_SIZE)).isEqualTo(PAGE_SIZE);
        assertThat(present(7)).isFalse();
        assertThat(call(Madvise.DONTNEED, page(6), 4 * PAGE_SIZE, page(1), PAGE_SIZE)).isEqualTo(Errno.ENOMEM.neg());
        assertThat(present(1)).isTrue();
    }

    @Test
    void onlyALeadingEmptyVectorIsCheckedForAlignment() {
        assertThat(call(Madvise.DONTNEED, page(0) + 16, 0, page(1), PAGE_SIZE)).isEqualTo(Errno.EINVAL.neg());
        assertThat(present(1)).isTrue();
        assertThat(call(Madvise.DONTNEED, page(1), PAGE_SIZE, page(0) + 16, 0, page(2), PAGE_SIZE))
                .isEqualTo(2 * PAGE_SIZE);
        assertThat(call(Madvise.DONTNEED, page(0) + 16, 0)).isZero();
        assertThat(call(Madvise.DONTNEED)).isZero();
    }

    @Test
    void aVectorPastTheUserAddressSpaceFaultsBeforeAnyIsAdvised() {
        assertThat(call(Madvise.DONTNEED, page(0), PAGE_SIZE, BASE, TASK_SIZE - BASE + 1))
                .isEqualTo(Errno.EFAULT.neg());
        assertThat(present(0)).isTrue();
        assertThat(call(Madvise.COLD, page(0), PAGE_SIZE, BASE, TASK_SIZE - BASE)).isEqualTo(PAGE_SIZE);
    }

    @Test
    void moreThanUioMaxiovVectorsIsEinval() {
        long[] pairs = new long[2 * (ProcessMadvise.UIO_MAXIOV + 1)];
        for (int i = 0; i < pairs.length; i += 2) {
            pairs[i] = page(0);
            pairs[i + 1] = PAGE_SIZE;
        }
        assertThat(call(Madvise.COLD, pairs)).isEqualTo(Errno.EINVAL.neg());
        long[] max = java.util.Arrays.copyOf(pairs, 2 * ProcessMadvise.UIO_MAXIOV);
        assertThat(call(Madvise.COLD, max)).isEqualTo(ProcessMadvise.UIO_MAXIOV * PAGE_SIZE);
    }

    @Test
    void theLengthsAreCutToMaxRwCount() {
        assertThat(Mmap.doMmap(mm, page(16), 1L << 31, Prot.PROT_NONE, ANON | MapFlag.MAP_NORESERVE, null, 0))
                .isZero();
        assertThat(call(Madvise.COLD, page(16), 1L << 31, page(0), PAGE_SIZE)).isEqualTo(ProcessMadvise.MAX_RW_COUNT);
    }

    @Test
    void guardsGoInEveryRange() {
        assertThat(call(Madvise.GUARD_INSTALL, page(0), PAGE_SIZE, page(7), PAGE_SIZE)).isEqualTo(2 * PAGE_SIZE);
        assertThat(PteBits.isGuardMarker(mm.pageTables().pte(page(0)))).isTrue();
        assertThat(PteBits.isGuardMarker(mm.pageTables().pte(page(7)))).isTrue();
        assertThat(present(1)).isTrue();
    }

    /**
     * process_madvise_behavior_valid() before "mm/madvise: unrestrict process_madvise() for current
     * process" (6.13): only the non-destructive advices, on the caller's own mm too, EINVAL for the
     * rest, checked after the iovecs were imported (an EFAULT vector still wins).
     */
    @Test
    void before613OnlyNonDestructiveAdviceIsTaken() {
        mm.semantics().set(dev.mmsim.core.Semantic.PROCESS_MADVISE_SELF, false);
        assertThat(call(Madvise.DONTNEED, page(0), PAGE_SIZE)).isEqualTo(Errno.EINVAL.neg());
        assertThat(present(0)).isTrue();
        assertThat(call(Madvise.COLD, page(0), PAGE_SIZE)).isEqualTo(PAGE_SIZE);
        assertThat(call(Madvise.DONTNEED, TASK_SIZE, PAGE_SIZE)).isEqualTo(Errno.EFAULT.neg());
    }
}
