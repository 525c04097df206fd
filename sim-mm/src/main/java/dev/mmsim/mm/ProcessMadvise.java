package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.PAGE_MASK;
import static dev.mmsim.core.Geometry.TASK_SIZE;
import static dev.mmsim.core.Geometry.pageAligned;

import dev.mmsim.core.Errno;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.Semantic;

/**
 * process_madvise(2) of a process on itself (a pidfd of its own), modelled on mm/madvise.c: the
 * syscall imports the iovec array (import_iovec(), lib/iov_iter.c), checks the advice once, then
 * vector_madvise() applies it range by range with madvise_do_behavior(), stopping at the first
 * range that fails. The result is the number of bytes of the ranges done completely, or, when not
 * even the first range was, that range's error.
 */
public final class ProcessMadvise {
    private ProcessMadvise() {}

    /** UIO_MAXIOV (include/uapi/linux/uio.h): the most iovecs one call may pass. */
    public static final int UIO_MAXIOV = 1024;
    /** MAX_RW_COUNT (include/linux/fs.h): INT_MAX rounded down to a page; longer vectors are cut. */
    public static final long MAX_RW_COUNT = Integer.MAX_VALUE & PAGE_MASK;

    /**
     * The process_madvise() syscall on the caller's own mm, flags 0. {@code starts[i]} and
     * {@code lens[i]} are the iovecs. Returns the bytes advised or a negative errno.
     */
    public static long processMadvise(Mm mm, long[] starts, long[] lens, Madvise behavior) {
        if (starts.length != lens.length) throw new IllegalArgumentException("one length per start");
        long[] cut = importIovec(starts, lens, mm.semantics().on(Semantic.IOVEC_SINGLE_UBUF));
        if (cut.length == 1 && cut[0] < 0) return cut[0];
        // madvise_behavior_valid(): every advice the language names is known to this kernel, except
        // the guard advices under a profile before they existed (semantic GUARD_REGIONS off).
        if ((behavior == Madvise.GUARD_INSTALL || behavior == Madvise.GUARD_REMOVE)
                && !mm.semantics().on(Semantic.GUARD_REGIONS)) return Errno.EINVAL.neg();
        // process_madvise_behavior_valid(): before "mm/madvise: unrestrict process_madvise() for
        // current process" (6.13) only the non-destructive advices, even on the caller itself
        // (semantic PROCESS_MADVISE_SELF).
        if (!mm.semantics().on(Semantic.PROCESS_MADVISE_SELF) && !nonDestructive(behavior)) return Errno.EINVAL.neg();
        return vectorMadvise(mm, starts, cut, behavior);
    }

    /** The advices process_madvise() took from any process before 6.13 (process_madvise_behavior_valid()). */
    static boolean nonDestructive(Madvise behavior) {
        return behavior == Madvise.COLD || behavior == Madvise.PAGEOUT || behavior == Madvise.WILLNEED
                || behavior == Madvise.COLLAPSE;
    }

    /**
     * import_iovec() (__import_iovec(), lib/iov_iter.c): more than UIO_MAXIOV vectors is EINVAL;
     * a vector that does not lie below the top of the user address space (access_ok(): start plus
     * length, without wrapping, at most TASK_SIZE_MAX) is EFAULT; the lengths are then cut so that
     * their sum does not pass MAX_RW_COUNT. Returns the lengths to use, or a one-element array
     * holding the negative errno.
     */
    static long[] importIovec(long[] starts, long[] lens, boolean singleUbuf) {
        if (starts.length > UIO_MAXIOV) return new long[] {Errno.EINVAL.neg()};
        // semantic IOVEC_SINGLE_UBUF (6.4): one vector is imported as a user buffer, cut first;
        // before, it went through the loop below like any other (measured on Debian's 6.1: EFAULT)
        if (starts.length == 1 && singleUbuf) return importUbuf(starts[0], lens[0]);
        long[] cut = new long[lens.length];
        long total = 0;
        for (int i = 0; i < starts.length; i++) {
            long len = lens[i];
            long sum = starts[i] + len;
            if (len < 0 || Long.compareUnsigned(sum, TASK_SIZE) > 0 || Long.compareUnsigned(sum, starts[i]) < 0)
                return new long[] {Errno.EFAULT.neg()};
            if (len > MAX_RW_COUNT - total) len = MAX_RW_COUNT - total;
            cut[i] = len;
            total += len;
        }
        return cut;
    }

    /**
     * __import_iovec_ubuf() and import_ubuf(): a single vector is cut to MAX_RW_COUNT before
     * access_ok() looks at it, so a length reaching past the top of the address space is cut to
     * 2 GiB minus a page and advised, not EFAULT (measured on the hosts' 6.18.y: ENOMEM for
     * lengths up to 2^63 - 1 from an arena mapping followed by a hole).
     */
    static long[] importUbuf(long start, long lenIn) {
        long len = lenIn < 0 || lenIn > MAX_RW_COUNT ? MAX_RW_COUNT : lenIn;
        long sum = start + len;
        if (Long.compareUnsigned(sum, TASK_SIZE) > 0 || Long.compareUnsigned(sum, start) < 0)
            return new long[] {Errno.EFAULT.neg()};
        return new long[] {len};
    }

    /**
     * vector_madvise(): the vector the iterator stands on goes through the checks and the walk of
     * one madvise() call (check_input_range(), madvise_do_behavior(): {@link MadviseOps#doMadvise});
     * the first error ends the loop, and what the earlier vectors did stays done. Advancing past a
     * vector (iov_iter_advance()) also skips the empty vectors after it, so the only empty vector
     * ever checked is a leading one (an unaligned start there is EINVAL), and the loop ends when
     * no bytes are left.
     */
    static long vectorMadvise(Mm mm, long[] starts, long[] lens, Madvise behavior) {
        long total = 0;
        for (long len : lens) total += len;
        long done = 0;
        long ret = 0;
        int i = 0;
        while (done < total) {
            ret = lens[i] == 0
                    ? (pageAligned(starts[i]) ? 0 : Errno.EINVAL.neg())
                    : MadviseOps.doMadvise(mm, starts[i], lens[i], behavior);
            if (ret < 0) break;
            done += lens[i];
            for (i++; i < lens.length && lens[i] == 0; i++) { }
        }
        return done != 0 ? done : ret;
    }
}
