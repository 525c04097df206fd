package dev.mmsim.proc;

import dev.mmsim.core.PageCategory;
import dev.mmsim.core.ScanFlag;

/**
 * struct pm_scan_arg (include/uapi/linux/fs.h): the argument of the PAGEMAP_SCAN ioctl.
 * {@code vec} is a user pointer: 0 means NULL; any other value stands for a writable buffer of
 * {@code vecLen} page_region entries.
 */
public record PmScanArg(long size, long flags, long start, long end, long walkEnd, long vec, long vecLen,
                        long maxPages, long categoryInverted, long categoryMask, long categoryAnyofMask,
                        long returnMask) {

    /**
     * Where both backends keep the result vector they provide themselves (a scan without
     * {@code vecat} or {@code vecnull}): the kernel backend's agent maps it at this address (4 GiB,
     * below every scenario's mappings and its own), so that access_ok() of the vector, which depends
     * on its address, gives the same answer on both.
     */
    public static final long BACKEND_VEC = 0x100000000L;

    /** A well-formed argument over [start, end) with a buffer of vecLen entries and every category returned. */
    public static PmScanArg of(long start, long end, long vecLen) {
        return new PmScanArg(ScanFlag.PM_SCAN_ARG_SIZE, 0, start, end, 0, vecLen == 0 ? 0 : BACKEND_VEC, vecLen, 0, 0, 0, 0,
                PageCategory.PM_SCAN_CATEGORIES);
    }

    public PmScanArg withMasks(long inverted, long mask, long anyof, long ret) {
        return new PmScanArg(size, flags, start, end, walkEnd, vec, vecLen, maxPages, inverted, mask, anyof, ret);
    }

    /**
     * Each mask that names every category mmsim knows ({@link PageCategory#PM_SCAN_CATEGORIES})
     * replaced by {@code categories}: what "all" means to a program built for an older kernel.
     */
    public PmScanArg withAllAs(long categories) {
        return withMasks(allAs(categoryInverted, categories), allAs(categoryMask, categories),
                allAs(categoryAnyofMask, categories), allAs(returnMask, categories));
    }

    private static long allAs(long mask, long categories) {
        return mask == PageCategory.PM_SCAN_CATEGORIES ? categories : mask;
    }
}
