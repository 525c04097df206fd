package dev.mmsim.scenarios.run;

import dev.mmsim.core.Geometry;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.core.Errno;
import dev.mmsim.core.Semantics;
import dev.mmsim.proc.ClearRefs;
import dev.mmsim.mm.FileOps;
import dev.mmsim.mm.Fork;
import dev.mmsim.mm.FrameTable;
import dev.mmsim.mm.MadviseOps;
import dev.mmsim.mm.MappedFile;
import dev.mmsim.mm.Memory;
import dev.mmsim.mm.Mlock;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.Mmap;
import dev.mmsim.mm.Mprotect;
import dev.mmsim.mm.Mremap;
import dev.mmsim.mm.Mseal;
import dev.mmsim.mm.Ksm;
import dev.mmsim.mm.Uprobes;
import dev.mmsim.mm.ProcessMadvise;
import dev.mmsim.mm.Userfaultfd;
import dev.mmsim.mm.VmaMerge;
import dev.mmsim.proc.Pagemap;
import dev.mmsim.proc.PagemapScan;
import dev.mmsim.proc.PmScanArg;
import dev.mmsim.proc.ScanResult;
import dev.mmsim.proc.Smaps;
import dev.mmsim.proc.SmapsEntry;
import dev.mmsim.proc.TraceEvent;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The simulator backend: every call goes to the Java model of one mm. */
public final class SimBackend implements Backend {
    private final Semantics semantics;
    private final Mm mm;
    private final Map<Integer, MappedFile> files;
    private final Map<String, SimBackend> children = new HashMap<>();
    /** Set by {@link #exit()}: the process is a zombie. */
    private boolean exited;
    /** The end of the scenario's arena ({@link #arena(long, long)}); 0 until it is known. */
    private long arenaEnd;

    public SimBackend(Semantics semantics) {
        this(semantics, new Mm(semantics), new HashMap<>());
    }

    private SimBackend(Semantics semantics, Mm mm, Map<Integer, MappedFile> files) {
        this.semantics = semantics;
        this.mm = mm;
        this.files = files;
    }

    /** The simulated mm, for tests and teaching views. */
    public Mm mm() {
        return mm;
    }

    public Semantics semantics() {
        return semantics;
    }

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public HostProfile host() {
        return semantics.host();
    }

    @Override
    public long file(int id, long size) {
        files.put(id, MappedFile.regular("f" + id, size, mm.frames()));
        return 0;
    }

    /** Gives the simulated machine a swap device (the kernel backend sets up a swap file). */
    public void swapOn() {
        mm.frames().swap().enable();
    }

    /**
     * Gives the simulated machine a hugetlb pool of the given number of 2 MiB pages (the kernel
     * backend grows the host's pool by as many for the scenario).
     */
    public void hugetlbPool(long pages) {
        mm.frames().hugetlb().setNrHugePages(pages);
    }

    @Override
    public long memfd(int id, long size) {
        files.put(id, MappedFile.memfd("memfd" + id, size));
        return 0;
    }

    @Override
    public long truncate(int id, long size) {
        return FileOps.truncate(files.get(id), size, mm.frames());
    }

    @Override
    public long seal(int id, int seals) {
        return FileOps.addSeals(files.get(id), seals);
    }

    @Override
    public long reopen(int id, boolean readOnly) {
        return FileOps.reopen(files.get(id), readOnly);
    }

    @Override
    public long mmap(long addr, long len, int prot, int flags, int fileId, long offset) {
        MappedFile f = fileId < 0 ? null : files.get(fileId);
        if (fileId >= 0 && f == null) return Errno.EBADF.neg();
        return Mmap.doMmap(mm, addr, len, prot, flags, f, offset);
    }

    @Override
    public long munmap(long addr, long len) {
        return VmaMerge.doVmiMunmap(mm, addr, len);
    }

    @Override
    public long mprotect(long addr, long len, int prot) {
        return Mprotect.doMprotect(mm, addr, len, prot);
    }

    @Override
    public long madvise(long addr, long len, int advice) {
        Madvise behavior = null;
        for (Madvise m : Madvise.values()) if (m.value == advice) behavior = m;
        if (behavior == null) return Errno.EINVAL.neg();
        return MadviseOps.doMadvise(mm, addr, len, behavior);
    }

    @Override
    public long processMadvise(long[] starts, long[] lens, int advice) {
        Madvise behavior = null;
        for (Madvise m : Madvise.values()) if (m.value == advice) behavior = m;
        if (behavior == null) return Errno.EINVAL.neg();
        return ProcessMadvise.processMadvise(mm, starts, lens, behavior);
    }

    @Override
    public long mlock(long addr, long len) {
        return Mlock.doMlock(mm, addr, len);
    }

    @Override
    public long munlock(long addr, long len) {
        return Mlock.doMunlock(mm, addr, len);
    }

    @Override
    public long mseal(long addr, long len) {
        return Mseal.doMseal(mm, addr, len, 0);
    }

    @Override
    public long uprobe(int id, long offset) {
        return Uprobes.register(mm, files.get(id), offset);
    }

    @Override
    public long prctlMemoryMerge(boolean on) {
        return Ksm.prctlSetMemoryMerge(mm, on ? 1 : 0);
    }

    @Override
    public long mremap(long addr, long oldLen, long newLen, int flags, long newAddr) {
        return Mremap.doMremap(mm, addr, oldLen, newLen, flags, newAddr);
    }

    @Override
    public TouchResult touch(boolean write, long addr, long len) {
        // As the agent's touch_pages(): unsigned addresses, so a length reaching past 2^63 touches
        // pages until the first fault (at the latest the end of the mapping), not none.
        long end = addr + len;
        for (long a = addr; Long.compareUnsigned(a, end) < 0; ) {
            Memory.FaultResult r = Memory.handleMmFault(mm, a, write);
            if (r != Memory.FaultResult.OK) return new TouchResult(r.name(), a);
            long next = (a & Geometry.PAGE_MASK) + Geometry.PAGE_SIZE;
            if (Long.compareUnsigned(next, a) < 0) break;
            a = next;
        }
        return TouchResult.OK;
    }

    @Override
    public TouchResult store(long addr, long len, long value) {
        long end = addr + len;
        for (long a = addr; Long.compareUnsigned(a, end) < 0; a += Geometry.PAGE_SIZE) {
            Memory.FaultResult r = Memory.storeValue(mm, a, value);
            if (r != Memory.FaultResult.OK) return new TouchResult(r.name(), a);
            if (a + Geometry.PAGE_SIZE < a) break;
        }
        return TouchResult.OK;
    }

    @Override
    public List<ValueRun> values(long addr, long npages) {
        List<ValueRun> runs = new java.util.ArrayList<>();
        for (long i = 0; i < npages; i++) {
            long a = addr + i * Geometry.PAGE_SIZE;
            Memory.Load l = Memory.loadValue(mm, a);
            String signal = l.fault() == Memory.FaultResult.OK ? null : l.fault().name();
            if (signal == null && l.value() < 0)
                throw new NotModelledException("values of a page the kernel wrote into (scan vecat, pagemap_raw bufat): "
                        + "the simulator does not keep what it wrote");
            ValueRun last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && java.util.Objects.equals(last.signal(), signal) && (signal != null || last.value() == l.value()))
                runs.set(runs.size() - 1, new ValueRun(last.start(), a + Geometry.PAGE_SIZE, signal, last.value()));
            else runs.add(new ValueRun(a, a + Geometry.PAGE_SIZE, signal, signal == null ? l.value() : 0));
        }
        return runs;
    }

    @Override
    public void arena(long start, long end) {
        arenaEnd = end;
    }

    @Override
    public ScanResult scan(PmScanArg arg, Consumer<TraceEvent> trace) {
        // "all" means the modelled kernel's own categories (semantics SCAN_GUARD, SCAN_SOFT_DIRTY).
        return withinArena(arg, PagemapScan.doPagemapCmd(mm, dev.mmsim.core.ScanFlag.PAGEMAP_SCAN,
                arg.withAllAs(PagemapScan.pmScanCategories(mm)), null, mm, trace, null));
    }

    /**
     * The result of a scan, unless pagemap_scan_get_args() accepted it (walk_end written) over a
     * range that reaches past the arena's end: up there the kernel backend's process has mappings
     * of its own (its stack, the mappings the kernel places top-down such as the agent's buffers,
     * a position-independent agent's image), which the kernel walks and the simulator does not
     * have, so the statement is not modelled. Below the arena the simulator, like the corpus (the
     * selftest's scan at 0x10000000), takes the address space to be empty. A rejected scan walks
     * nothing and stands.
     */
    private ScanResult withinArena(PmScanArg arg, ScanResult r) {
        if (arenaEnd == 0 || (r.ret() < 0 && r.walkEnd() == 0)) return r;
        long end = (arg.end() + Geometry.PAGE_SIZE - 1) & Geometry.PAGE_MASK;
        if (Long.compareUnsigned(end, arenaEnd) > 0) {
            throw new NotModelledException("scan past the arena's end (the kernel walks the agent's own mappings there)");
        }
        return r;
    }

    /**
     * Requests do_vfs_ioctl() (fs/ioctl.c) handles before the file's own ioctl: FIONCLEX, FIOCLEX,
     * FIONBIO, FIONREAD, FIOASYNC, FIOQSIZE, FIGETBSZ, FIFREEZE, FITHAW, FS_IOC_FIEMAP, FICLONE,
     * FICLONERANGE, FIDEDUPERANGE, FS_IOC_GETFLAGS, FS_IOC_SETFLAGS, FS_IOC_FSGETXATTR,
     * FS_IOC_FSSETXATTR (x86-64 values).
     */
    static final java.util.Set<Long> GENERIC_IOCTLS = java.util.Set.of(0x5450L, 0x5451L, 0x5421L, 0x541bL,
            0x5452L, 0x5460L, 0x2L, 0xc0045877L, 0xc0045878L, 0xc020660bL, 0x40049409L, 0x4020940dL,
            0xc0189436L, 0x80086601L, 0x40086602L, 0x801c581fL, 0x401c5820L);

    /**
     * PAGEMAP_SCAN elsewhere: on a file that is not a pagemap the VFS finds no such ioctl
     * (vfs_ioctl(), fs/ioctl.c: ENOTTY); on a child's /proc/PID/pagemap, whose open fails with
     * ESRCH once the child has exited (pagemap_open() and proc_mem_open(), fs/proc: no mm); the
     * vector, when given as an address, lives in this process's mm. Another request on the pagemap
     * file is EINVAL, and before 6.7 (semantic PAGEMAP_SCAN off) every request on it is ENOTTY
     * ({@link PagemapScan#pagemapIoctl}), before its argument is read.
     */
    @Override
    public ScanResult scanVia(PmScanArg arg, ScanVia via) {
        boolean otherRequest = via.cmd() != null && via.cmd() != dev.mmsim.core.ScanFlag.PAGEMAP_SCAN;
        // do_vfs_ioctl() answers its own requests (FIOCLEX, FIONBIO, FIGETBSZ, ...) for any file;
        // the simulator models only what reaches the file's ioctl
        if (otherRequest && GENERIC_IOCTLS.contains(via.cmd())) {
            throw new NotModelledException("scan cmd " + Long.toHexString(via.cmd()));
        }
        if (via.onFile() >= 0) {
            if (!files.containsKey(via.onFile())) return new ScanResult(Errno.EBADF.neg(), 0, List.of());
            return new ScanResult(Errno.ENOTTY.neg(), 0, List.of());
        }
        SimBackend target = via.of() == null ? this : children.get(via.of());
        if (target == null || target.exited) return new ScanResult(Errno.ESRCH.neg(), 0, List.of());
        // do_pagemap_cmd(), fs/proc/task_mmu.c (sim-proc): the request, then the argument
        return withinArena(arg, PagemapScan.doPagemapCmd(target.mm,
                otherRequest ? via.cmd() : dev.mmsim.core.ScanFlag.PAGEMAP_SCAN,
                arg.withAllAs(PagemapScan.pmScanCategories(target.mm)), via.argAt(), mm, null, via.vecAt() ? mm : null));
    }

    /** do_exit() of a child: exit_mmap() unmaps everything; the zombie keeps no mm. */
    @Override
    public long exit() {
        dev.mmsim.mm.Mmap.exitMmap(mm);
        exited = true;
        return 0;
    }

    @Override
    public Pagemap.ReadResult pagemap(long addr, long npages) {
        return Pagemap.entries(mm, addr, Math.min(npages, PAGEMAP_MAX_PAGES));
    }

    @Override
    public Pagemap.ReadResult pagemapRaw(long offset, long count) {
        return Pagemap.pagemapRead(mm, offset, Math.min(count, PAGEMAP_MAX_BYTES));
    }

    @Override
    public Pagemap.ReadResult pagemapRaw(long offset, long count, long buf) {
        return Pagemap.pread(mm, offset, Math.min(count, PAGEMAP_MAX_BYTES), mm, buf);
    }

    /**
     * The agent's read cap (MAX_READ_BYTES, PROTOCOL.md): {@code pagemap} reads at most 2097152
     * entries and {@code pagemap_raw} at most 16 MiB per statement, so the simulator reads as much
     * (pagemap_read() itself goes on in PAGEMAP_WALK_SIZE chunks as long as the count lasts).
     */
    public static final long PAGEMAP_MAX_BYTES = 16L << 20;
    public static final long PAGEMAP_MAX_PAGES = PAGEMAP_MAX_BYTES / 8;

    @Override
    public List<SmapsEntry> smaps(long lo, long hi) {
        return Smaps.smaps(mm, lo, hi);
    }

    @Override
    public long uffdFill(dev.mmsim.scenarios.lang.UffdFillStmt.Fill fill, long addr, long len, boolean wp) {
        if (mm.uffd() == null) return Errno.EBADF.neg();
        return dev.mmsim.mm.Userfaultfd.mfill(mm, addr, len, dev.mmsim.mm.Userfaultfd.Mfill.valueOf(fill.name()), wp);
    }

    @Override
    public dev.mmsim.proc.TaskMem.Counters status() {
        return dev.mmsim.proc.TaskMem.taskMem(mm);
    }

    /** fork(): the child gets a copy of this mm (dup_mmap()) and shares the open files. */
    @Override
    public long fork(String child) {
        SimBackend c = new SimBackend(semantics, Fork.dupMmap(mm), files);
        c.arenaEnd = arenaEnd;
        children.put(child, c);
        return 0;
    }

    @Override
    public Backend child(String name) {
        return children.get(name);
    }

    @Override
    public long uffdRegister(long addr, long len, int modes, long features) {
        return Userfaultfd.register(mm, addr, len, modes, features);
    }

    @Override
    public long uffdUnregister(long addr, long len) {
        if (mm.uffd() == null) return Errno.EBADF.neg();
        return Userfaultfd.unregister(mm, addr, len);
    }

    @Override
    public long uffdClose() {
        return Userfaultfd.close(mm);
    }

    @Override
    public long uffdWp(long addr, long len, boolean on) {
        if (mm.uffd() == null) return Errno.EBADF.neg();
        return Userfaultfd.writeprotect(mm, addr, len, on);
    }

    @Override
    public long clearRefs(int value) {
        return ClearRefs.clearRefsWrite(mm, value);
    }

    /** Frames are shared with nobody yet; exposed for tests. */
    public FrameTable frames() {
        return mm.frames();
    }

    @Override
    public void close() {
    }
}
