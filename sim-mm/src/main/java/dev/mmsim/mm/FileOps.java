package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.VmFlag;

/**
 * Operations on the objects behind file and shmem mappings: ftruncate() (truncate_setsize() and
 * truncate_pagecache(), mm/truncate.c; shmem_setattr(), mm/shmem.c), hole punching
 * (shmem_fallocate() / truncate_pagecache_range()), memfd seals (memfd_add_seals(), mm/memfd.c)
 * and reopening a file read-only. Removing pages from the page cache first unmaps them from every
 * address space that maps the object (unmap_mapping_range()); guard markers stay.
 */
public final class FileOps {
    private FileOps() {}

    /** F_SEAL_* (include/uapi/linux/fcntl.h). */
    public static final int F_SEAL_SEAL = 1;
    public static final int F_SEAL_SHRINK = 2;
    public static final int F_SEAL_GROW = 4;
    public static final int F_SEAL_WRITE = 8;
    public static final int F_SEAL_FUTURE_WRITE = 16;

    /** do_truncate(): a shrink unmaps and drops the pages past the new end (private copies too). */
    public static int truncate(MappedFile file, long newSize, FrameTable frames) {
        if (newSize < 0) return Errno.EINVAL.neg();
        if (file.readOnly) return Errno.EINVAL.neg();
        long old = file.size();
        if (newSize < old && (file.seals & F_SEAL_SHRINK) != 0) return Errno.EPERM.neg();
        if (newSize > old && (file.seals & F_SEAL_GROW) != 0) return Errno.EPERM.neg();
        file.setSize(newSize);
        if (newSize < old) {
            long holeBegin = pageAlign(newSize) >>> PAGE_SHIFT;
            unmapMappingRange(file, holeBegin, Long.MAX_VALUE, true);
            file.dropPages(holeBegin, Long.MAX_VALUE, frames);
            if ((newSize & ~PAGE_MASK) != 0) file.zeroTail(newSize >>> PAGE_SHIFT, (int) (newSize & ~PAGE_MASK));
        }
        return 0;
    }

    /**
     * vfs_fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE) through an open file (readOnly: it
     * lacks FMODE_WRITE): the pages of [offset, offset+len) are unmapped and dropped. A
     * write-sealed memfd refuses (EPERM).
     */
    public static int punchHole(MappedFile file, boolean readOnly, long offset, long len, FrameTable frames) {
        if (readOnly) return Errno.EBADF.neg();
        if ((file.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0) return Errno.EPERM.neg();
        long first = pageAlign(offset) >>> PAGE_SHIFT;
        long end = (offset + len) >>> PAGE_SHIFT;
        if (first >= end) return 0;
        // shmem_fallocate() and truncate_pagecache_range() (a disk file system's punch hole) both
        // unmap without even_cows: private copies of the punched pages stay (measured on 6.18, ext4)
        unmapMappingRange(file, first, end, false);
        file.dropPages(first, end, frames);
        return 0;
    }

    /**
     * memfd_add_seals(): only a memfd can be sealed; F_SEAL_SEAL forbids more seals; a write seal
     * needs that no shared writable mapping exists (EBUSY).
     */
    public static int addSeals(MappedFile file, int seals) {
        if (!file.memfd) return Errno.EINVAL.neg();
        if ((seals & ~(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) != 0)
            return Errno.EINVAL.neg();
        if (file.readOnly) return Errno.EPERM.neg();
        if ((file.seals & F_SEAL_SEAL) != 0) return Errno.EPERM.neg();
        if ((seals & F_SEAL_WRITE) != 0 && (file.seals & F_SEAL_WRITE) == 0 && writablyMapped(file))
            return Errno.EBUSY.neg();
        file.seals |= seals;
        return 0;
    }

    /** Reopens the object read-only or read-write; a memfd has no path to reopen. */
    public static int reopen(MappedFile file, boolean readOnly) {
        if (file.memfd) return Errno.EINVAL.neg();
        file.readOnly = readOnly;
        return 0;
    }

    /** mapping_writably_mapped(): some VMA maps the object shared and may write it. */
    static boolean writablyMapped(MappedFile file) {
        long mask = VmFlag.VM_SHARED.mask() | VmFlag.VM_MAYWRITE.mask();
        for (Mm mm : file.mappers()) {
            for (Vma v : mm.vmas()) if (v.file() == file && (v.flags() & mask) == mask) return true;
        }
        return false;
    }

    /**
     * unmap_mapping_range(): zaps, in every VMA of every address space mapping the object, the
     * entries for page indexes [first, end). With evenCows the private anonymous copies of those
     * pages go too (truncation); markers always stay.
     */
    static void unmapMappingRange(MappedFile file, long first, long end, boolean evenCows) {
        for (Mm mm : file.mappers()) {
            for (Vma v : mm.vmas()) {
                if (v.file() != file) continue;
                long vmaFirst = v.pgoff();
                long vmaEnd = v.pgoff() + v.pages();
                long from = Math.max(first, vmaFirst);
                long to = Math.min(end, vmaEnd);
                if (from >= to) continue;
                long start = v.start() + ((from - v.pgoff()) << PAGE_SHIFT);
                long stop = v.start() + ((to - v.pgoff()) << PAGE_SHIFT);
                Memory.zapMappingRange(mm, v, start, stop, evenCows);
            }
        }
    }
}
