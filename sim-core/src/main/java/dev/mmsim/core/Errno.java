package dev.mmsim.core;

/**
 * The errno values mmsim can return, with their x86-64 Linux numbers
 * (include/uapi/asm-generic/errno-base.h, errno.h). Simulated operations return them negated,
 * as kernel functions do.
 */
public enum Errno {
    EPERM(1), ENOENT(2), ESRCH(3), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), ENOEXEC(8), EBADF(9),
    ECHILD(10), EAGAIN(11), ENOMEM(12), EACCES(13), EFAULT(14), EBUSY(16), EEXIST(17), ENODEV(19),
    ENOTDIR(20), EISDIR(21), EINVAL(22), ENFILE(23), EMFILE(24), ENOTTY(25), ETXTBSY(26), EFBIG(27),
    ENOSPC(28), ESPIPE(29), EROFS(30), EPIPE(32), ERANGE(34), EDEADLK(35), ENOSYS(38),
    EPROTO(71), EOVERFLOW(75), EOPNOTSUPP(95), EHWPOISON(133);

    public final int number;

    Errno(int number) {
        this.number = number;
    }

    /** The negated value a kernel function returns. */
    public int neg() {
        return -number;
    }

    public static Errno byNumber(int n) {
        for (Errno e : values()) if (e.number == n) return e;
        return null;
    }

    public static Errno byName(String name) {
        for (Errno e : values()) if (e.name().equals(name)) return e;
        return null;
    }

    /** Name for a negative return value, e.g. -22 gives "EINVAL"; unknown ones as "errno N". */
    public static String nameOf(long negative) {
        Errno e = byNumber((int) -negative);
        return e != null ? e.name() : "errno " + (-negative);
    }
}
