package dev.mmsim.mm;

import static dev.mmsim.core.MapFlag.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.Geometry;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantic;
import dev.mmsim.core.VmFlag;

/**
 * mmap(), modelled on do_mmap() and mmap_region() in mm/mmap.c and mm/vma.c. The simulator is
 * always told where to map: callers pass MAP_FIXED (replace what is there) or
 * MAP_FIXED_NOREPLACE (fail with EEXIST if anything is there), as the scenario language places
 * every mapping itself.
 *
 * <p>Model simplifications: no address search (get_unmapped_area()); MAP_GROWSDOWN throws
 * {@link NotModelledException} until stack VMAs are modelled. MAP_HUGETLB: {@link #doMmapHugetlb}.
 */
public final class Mmap {
    private Mmap() {}

    /**
     * do_mmap(): maps len bytes at addr with the given protection and MAP_* flags, backed by file
     * at page offset pgoff (file null for anonymous memory). Returns 0 or a negative errno.
     */
    public static int doMmap(Mm mm, long addr, long len, int prot, int flags, MappedFile file, long offset) {
        if (len == 0) return Errno.EINVAL.neg();
        len = Geometry.pageAlign(len);
        if (len == 0 || Long.compareUnsigned(len, mm.taskSize()) > 0) return Errno.ENOMEM.neg(); // unsigned: 2^63 and up too
        // do_mmap(): "too many mappings?" is map_count > vm.max_map_count, so one mmap may take
        // the count to the limit plus one
        if (mm.mapCount() > mm.maxMapCount()) return Errno.ENOMEM.neg();
        if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) == 0) return Errno.EINVAL.neg();
        // __get_unmapped_area(): an address (unsigned) past TASK_SIZE - len is ENOMEM, checked
        // before its page alignment (EINVAL)
        if (Long.compareUnsigned(addr, mm.taskSize() - len) > 0) return Errno.ENOMEM.neg();
        if (!Geometry.pageAligned(addr)) return Errno.EINVAL.neg();
        if ((offset & (Geometry.PAGE_SIZE - 1)) != 0) return Errno.EINVAL.neg();
        if ((flags & MAP_GROWSDOWN) != 0) throw new NotModelledException("mmap growsdown");
        if ((flags & MAP_HUGETLB) != 0) return doMmapHugetlb(mm, addr, len, prot, flags);
        int type = flags & MAP_TYPE;
        boolean anon = (flags & MAP_ANONYMOUS) != 0;
        if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE) return Errno.EINVAL.neg();
        if (!anon && file == null) return Errno.EBADF.neg();
        boolean shared = type != MAP_PRIVATE;

        if ((flags & MAP_FIXED_NOREPLACE) != 0 && (flags & MAP_FIXED) == 0) {
            Vma clash = mm.findVma(addr);
            if (clash != null && clash.start() < addr + len) return Errno.EEXIST.neg();
        }

        long vmFlags = calcVmProtBits(prot) | VmFlag.of(VmFlag.VM_MAYREAD, VmFlag.VM_MAYWRITE, VmFlag.VM_MAYEXEC);
        if ((flags & MAP_LOCKED) != 0) vmFlags |= VmFlag.VM_LOCKED.mask();
        long pgoff;
        MappedFile object = anon ? null : file;
        if (shared) {
            if (object != null && object.readOnly && (prot & Prot.PROT_WRITE) != 0) return Errno.EACCES.neg();
            vmFlags |= VmFlag.VM_SHARED.mask() | VmFlag.VM_MAYSHARE.mask();
            // A descriptor without FMODE_WRITE: shared in name only, never writable.
            if (object != null && object.readOnly) vmFlags &= ~(VmFlag.VM_MAYWRITE.mask() | VmFlag.VM_SHARED.mask());
        }
        if (object != null && (object.seals & (FileOps.F_SEAL_WRITE | FileOps.F_SEAL_FUTURE_WRITE)) != 0
                && (vmFlags & VmFlag.VM_SHARED.mask()) != 0) {
            // memfd_check_seals_mmap(): a write-sealed memfd maps shared only read-only, for good.
            if ((vmFlags & VmFlag.VM_WRITE.mask()) != 0) return Errno.EPERM.neg();
            vmFlags &= ~VmFlag.VM_MAYWRITE.mask();
        }
        if (anon && shared) {
            // shmem_zero_setup(): shared anonymous memory is backed by a fresh shmem object.
            object = new MappedFile("dev/zero", len, true);
            pgoff = 0;
        } else if (anon) {
            pgoff = addr >>> Geometry.PAGE_SHIFT;
        } else {
            pgoff = offset >>> Geometry.PAGE_SHIFT;
        }
        if ((flags & MAP_NORESERVE) != 0) vmFlags |= VmFlag.VM_NORESERVE.mask();
        if (accountableMapping(vmFlags)) vmFlags |= VmFlag.VM_ACCOUNT.mask();
        // __mmap_region(): update_ksm_flags() before the merge (anonymous memory, shmem and files
        // with .mmap_prepare, as ext4 and tmpfs have). Semantic ksm_new_vma_merge ("mm: prevent KSM
        // from breaking VMA merging for new VMAs", 6.17): before it, ksm_add_vma() in mmapRegion()
        if (mm.semantics().on(Semantic.KSM_NEW_VMA_MERGE)) vmFlags = Ksm.ksmVmaFlags(mm, vmFlags);

        // __mmap_region(): one iterator for the unmap and the new mapping
        VmaIterator vmi = new VmaIterator(mm, addr);
        if ((flags & MAP_FIXED) != 0) {
            // __mmap_region(): what the new mapping replaces is gathered first; a sealed VMA, or a
            // split the old mapping refuses (inside a huge page of a hugetlb VMA), fails it
            int err = VmaMerge.doVmiMunmap(mm, vmi, addr, len);
            if (err != 0) return unmapError(mm, err);
        }
        mmapRegion(mm, vmi, addr, len, vmFlags, pgoff, object);
        if ((flags & MAP_POPULATE) != 0 || (flags & MAP_LOCKED) != 0) {
            Memory.mmPopulate(mm, addr, addr + len);
        }
        return 0;
    }

    /**
     * An anonymous MAP_HUGETLB mapping, as ksys_mmap_pgoff() sets it up: the length is rounded up
     * to whole huge pages and a hugetlbfs file is made for it (hugetlb_file_setup(), which for a
     * shared mapping reserves the pages of the new inode, ENOMEM when the pool lacks them); the
     * address must be huge page aligned (hugetlb_get_unmapped_area(), EINVAL); then
     * hugetlbfs_file_mmap() marks the VMA VM_HUGETLB | VM_DONTEXPAND and a private mapping takes
     * its reservation (hugetlb_reserve_pages(), ENOMEM). VM_LOCKED is dropped (mmap_region()),
     * but MAP_LOCKED still populates, as MAP_POPULATE does. A hugetlb mapping is not accounted
     * (accountable_mapping()); MAP_NORESERVE gives VM_NORESERVE. MAP_HUGETLB on a file that is
     * not on hugetlbfs is EINVAL; the scenario language has no hugetlbfs files.
     */
    static int doMmapHugetlb(Mm mm, long addr, long len, int prot, int flags) {
        if ((flags & MAP_ANONYMOUS) == 0) return Errno.EINVAL.neg();
        int type = flags & MAP_TYPE;
        if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE) return Errno.EINVAL.neg();
        boolean shared = type != MAP_PRIVATE;
        len = (len + Hugetlb.HPAGE_SIZE - 1) & Hugetlb.HPAGE_MASK;
        if (len == 0 || Long.compareUnsigned(len, mm.taskSize()) > 0) return Errno.ENOMEM.neg(); // unsigned: 2^63 and up too
        MappedFile file = new MappedFile("anon_hugepage", len, false);
        long vmFlags = calcVmProtBits(prot) | VmFlag.of(VmFlag.VM_MAYREAD, VmFlag.VM_MAYWRITE, VmFlag.VM_MAYEXEC);
        if (shared) vmFlags |= VmFlag.VM_SHARED.mask() | VmFlag.VM_MAYSHARE.mask();
        if ((flags & MAP_NORESERVE) != 0) vmFlags |= VmFlag.VM_NORESERVE.mask();
        long pages = len >>> Geometry.PAGE_SHIFT;
        // hugetlb_file_setup(): the new inode's reservation, for a shared mapping
        if (shared && !Hugetlb.hugetlbReservePages(mm, file, 0, pages, vmFlags, null)) return Errno.ENOMEM.neg();
        if ((addr & ~Hugetlb.HPAGE_MASK) != 0) return Errno.EINVAL.neg();
        if (Long.compareUnsigned(addr, mm.taskSize() - len) > 0) return Errno.ENOMEM.neg();
        if ((flags & MAP_FIXED_NOREPLACE) != 0 && (flags & MAP_FIXED) == 0) {
            Vma clash = mm.findVma(addr);
            if (clash != null && clash.start() < addr + len) return Errno.EEXIST.neg();
        }
        vmFlags |= VmFlag.VM_HUGETLB.mask() | VmFlag.VM_DONTEXPAND.mask();
        if ((flags & MAP_FIXED) != 0) {
            int err = VmaMerge.doVmiMunmap(mm, addr, len);
            if (err != 0) return unmapError(mm, err);
        }
        Vma vma = mmapRegion(mm, addr, len, vmFlags, 0, file);
        // hugetlbfs_file_mmap() -> hugetlb_reserve_pages(): a private mapping's own reservation
        if (!shared && !Hugetlb.hugetlbReservePages(mm, file, 0, pages, vmFlags, vma)) {
            mm.remove(vma);
            return Errno.ENOMEM.neg();
        }
        if ((flags & (MAP_POPULATE | MAP_LOCKED)) != 0) Memory.mmPopulate(mm, addr, addr + len);
        return 0;
    }

    /**
     * What mmap_region() makes of a failed unmap of the range MAP_FIXED replaces: the error itself
     * since 6.12; before (semantic MMAP_FIXED_UNMAP_ERROR off) ENOMEM, a sealed VMA's EPERM aside.
     */
    static int unmapError(Mm mm, int err) {
        if (mm.semantics().on(Semantic.MMAP_FIXED_UNMAP_ERROR) || err == Errno.EPERM.neg()) return err;
        return Errno.ENOMEM.neg();
    }

    /** calc_vm_prot_bits(): PROT_* to VM_READ/VM_WRITE/VM_EXEC. */
    public static long calcVmProtBits(int prot) {
        long f = 0;
        if ((prot & Prot.PROT_READ) != 0) f |= VmFlag.VM_READ.mask();
        if ((prot & Prot.PROT_WRITE) != 0) f |= VmFlag.VM_WRITE.mask();
        if ((prot & Prot.PROT_EXEC) != 0) f |= VmFlag.VM_EXEC.mask();
        return f;
    }

    /**
     * accountable_mapping(): private writable mappings without MAP_NORESERVE are charged to the
     * commit limit and carry VM_ACCOUNT (overcommit heuristic mode).
     */
    static boolean accountableMapping(long vmFlags) {
        long mask = VmFlag.of(VmFlag.VM_NORESERVE, VmFlag.VM_SHARED, VmFlag.VM_WRITE);
        return (vmFlags & mask) == VmFlag.VM_WRITE.mask();
    }

    /**
     * mmap_region() / __mmap_region(): merge with neighbours where possible, else insert a new VMA;
     * either way __mmap_complete() marks the result VM_SOFTDIRTY where soft-dirty is configured.
     */
    static Vma mmapRegion(Mm mm, long addr, long len, long vmFlags, long pgoff, MappedFile file) {
        return mmapRegion(mm, new VmaIterator(mm, addr), addr, len, vmFlags, pgoff, file);
    }

    /** mmap_region() with the caller's iterator (left by the unmap of MAP_FIXED, when there was one). */
    static Vma mmapRegion(Mm mm, VmaIterator vmi, long addr, long len, long vmFlags, long pgoff, MappedFile file) {
        VmaMerge.VmaMergeStruct vmg = new VmaMerge.VmaMergeStruct(mm);
        vmg.start = addr;
        vmg.end = addr + len;
        vmg.flags = vmFlags;
        vmg.pgoff = pgoff;
        vmg.file = file;
        vmi.set(addr);
        Vma next = vmi.next();
        vmg.next = next;
        Vma prev = next != null ? mm.prev(next) : mm.last();
        vmg.prev = prev;
        if (file != null) file.addMapper(mm);
        Vma merged = VmaMerge.vmaMergeNewRange(vmg);
        // __mmap_complete(): a locked mapping is counted in mm->locked_vm (special and hugetlb
        // mappings never reach here with VM_LOCKED: their callers drop it)
        if ((vmFlags & VmFlag.VM_LOCKED.mask()) != 0) mm.addLockedVm(len >>> Geometry.PAGE_SHIFT);
        if (merged != null) {
            Uprobes.uprobeMmap(mm, merged);
            SoftDirty.markNewVma(mm, merged);
            return merged;
        }
        Vma vma = new Vma(addr, addr + len, vmFlags, pgoff, file);
        vma.setFileReadOnly(file != null && file.readOnly);
        // __mmap_new_vma(): vma_iter_store_new(), beside next (or prev) where the iterator stands
        vmi.storeNew(vma);
        // Semantic ksm_new_vma_merge off (before 6.17): ksm_add_vma() of the new VMA only, after
        // the merge attempt; a merged mapping kept its neighbour's flags
        if (!mm.semantics().on(Semantic.KSM_NEW_VMA_MERGE)) Ksm.ksmAddVma(mm, vma);
        // __mmap_complete(): uprobe_mmap() of the new VMA, then VM_SOFTDIRTY
        Uprobes.uprobeMmap(mm, vma);
        SoftDirty.markNewVma(mm, vma);
        return vma;
    }

    /**
     * exit_mmap(): the last user of the mm is gone. Every VMA's entries are zapped (unmap_vmas()
     * over the whole address space), the page tables freed (free_pgtables() from
     * FIRST_USER_ADDRESS to USER_PGTABLES_CEILING) and the VMAs removed (remove_vma()). No seal
     * stops it: mseal() guards a live process's mappings, not its exit.
     */
    public static void exitMmap(Mm mm) {
        java.util.List<Vma> all = mm.vmas();
        if (all.isEmpty()) return;
        for (Vma vma : all) Memory.unmapVma(mm, vma);
        mm.pageTables().freePgdRange(all.get(0).start(), all.get(all.size() - 1).end(), 0, 0);
        for (Vma vma : all) mm.remove(vma);
    }
}
