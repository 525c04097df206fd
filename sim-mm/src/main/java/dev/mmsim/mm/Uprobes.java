package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static dev.mmsim.mm.PteBits.*;

import dev.mmsim.core.Errno;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.VmFlag;

/**
 * Uprobes as far as they change an address space, modelled on kernel/events/uprobes.c: a uprobe
 * on (file, offset) registered for this process (a perf event on the uprobe PMU, for the calling
 * task only) puts a breakpoint into every valid VMA mapping that offset (register_for_each_vma()),
 * and into each such VMA mmap() or a VMA split or merge makes later (uprobe_mmap(), called from
 * vma_complete() and __mmap_region(), but not for the VMA copy_vma() merges a moving mremap()
 * into: skip_vma_uprobe). install_breakpoint() writes the opcode into an exclusive anonymous copy
 * of the file page, mapped read-only in its place; where the page already is anonymous the
 * opcode goes into it, and nothing changes that the views show.
 *
 * <p>A child made by fork() is not traced (the perf event is not inherited); it keeps the copies
 * fork gave it. Model simplifications: uprobes on shmem files are not modelled; a uprobe cannot be
 * unregistered (the scenario language has no statement for it).
 */
public final class Uprobes {
    private Uprobes() {}

    /** One registered uprobe: the file and the byte offset of the probed instruction. */
    record Uprobe(MappedFile file, long offset) {}

    /**
     * uprobe_register() through perf_event_open(): an offset past the end of the file is EINVAL;
     * otherwise breakpoints go into this mm's VMAs that map it. The first one to go in reads the
     * probed instruction from the file (prepare_uprobe(), copy_insn()): at the end of the file
     * there is no page to read, and the registration fails with EIO, nothing installed (measured
     * on 6.18: found by the coverage-guided fuzzer); a guard marker where the breakpoint would go
     * fails it with EFAULT. Returns 0 or a negative errno.
     */
    public static int register(Mm mm, MappedFile file, long offset) {
        if (file.shmem()) throw new NotModelledException("uprobe on a shmem file");
        if (offset < 0 || offset > file.size()) return Errno.EINVAL.neg();
        for (Vma vma : mm.vmas()) {
            long vaddr = offsetToVaddr(vma, offset);
            if (vma.file() != file || !validVma(vma, true) || vaddr < vma.start() || vaddr >= vma.end()) continue;
            if ((offset >>> PAGE_SHIFT) >= file.sizePages()) return Errno.EIO.neg();
            // uprobe_write_opcode(): get_user_pages_remote() faults on a guard marker (EFAULT), and
            // the registration is undone (measured on 6.18: found by the coverage-guided fuzzer)
            if (isGuardMarker(mm.pageTables().pte(vaddr & PAGE_MASK))) return Errno.EFAULT.neg();
        }
        Uprobe u = new Uprobe(file, offset);
        mm.uprobes.add(u);
        for (Vma vma : mm.vmas()) {
            if (vma.file() == file && validVma(vma, true)) installIfMapped(mm, vma, u);
        }
        return 0;
    }

    /**
     * valid_vma(): a private mapping of a file that may become executable; when registering, not
     * writable.
     */
    static boolean validVma(Vma vma, boolean isRegister) {
        long flags = VmFlag.of(VmFlag.VM_HUGETLB, VmFlag.VM_MAYEXEC, VmFlag.VM_MAYSHARE);
        if (isRegister) flags |= VmFlag.VM_WRITE.mask();
        return vma.file() != null && (vma.flags() & flags) == VmFlag.VM_MAYEXEC.mask();
    }

    /** uprobe_mmap(): breakpoints for every uprobe of this mm on the part of the file the VMA maps. */
    static void uprobeMmap(Mm mm, Vma vma) {
        if (mm.uprobes.isEmpty() || !validVma(vma, true)) return;
        for (Uprobe u : mm.uprobes) if (u.file == vma.file()) installIfMapped(mm, vma, u);
    }

    /** offset_to_vaddr(): where the VMA maps a byte offset of its file (inside it or not). */
    private static long offsetToVaddr(Vma vma, long offset) {
        return vma.start() + offset - (vma.pgoff() << PAGE_SHIFT);
    }

    /** The breakpoint, when the VMA maps the probed offset. */
    private static void installIfMapped(Mm mm, Vma vma, Uprobe u) {
        long vaddr = offsetToVaddr(vma, u.offset);
        if (vaddr < vma.start() || vaddr >= vma.end()) return;
        installBreakpoint(mm, vma, vaddr);
    }

    /**
     * install_breakpoint() / uprobe_write_opcode(): an anonymous page already there takes the
     * opcode; a file page, mapped or not, is replaced by an exclusive anonymous copy, read-only
     * (the VMA gets its anon_vma). Measured: no fault-around maps the neighbouring pages. A page
     * the file does not reach, or a guard marker, makes the write fail and nothing changes.
     */
    static void installBreakpoint(Mm mm, Vma vma, long opcodeAddr) {
        long vaddr = opcodeAddr & PAGE_MASK;
        FrameTable frames = mm.frames();
        long pte = mm.pageTables().pte(vaddr);
        if (pteP(pte) && frames.isAnon(ptePfn(pte))) {
            frames.setValue(ptePfn(pte), withOpcode(frames.value(ptePfn(pte)), opcodeAddr));
            return;
        }
        if (!pteNone(pte) && !pteP(pte)) {
            if (isGuardMarker(pte)) return;
            throw new NotModelledException("uprobe breakpoint over a swap entry or uffd-wp marker");
        }
        if (vma.linearPageIndex(vaddr) >= vma.file().sizePages()) return;
        Memory.anonVmaPrepare(mm, vma);
        if (pteP(pte)) frames.unmap(ptePfn(pte));
        int pfn = frames.alloc(FrameTable.ANON);
        // __uprobe_write(): the copy holds the file page's contents, and the opcode
        frames.setValue(pfn, withOpcode(vma.file().value(vma.linearPageIndex(vaddr)), opcodeAddr));
        frames.map(pfn);
        mm.pageTables().setPte(vaddr, mkPresent(pfn, false, true, false));
    }

    /** x86's breakpoint instruction, int3 (UPROBE_SWBP_INSN). */
    private static final long UPROBE_SWBP_INSN = 0xcc;

    /** A page's value with the breakpoint written at opcodeAddr, when that is one of its first 8 bytes. */
    private static long withOpcode(long value, long opcodeAddr) {
        int at = (int) (opcodeAddr & ~PAGE_MASK);
        if (at >= Long.BYTES || value < 0) return value;
        return (value & ~(0xffL << (8 * at))) | (UPROBE_SWBP_INSN << (8 * at));
    }
}
