package dev.mmsim.scenarios.run;

import dev.mmsim.core.HostProfile;
import dev.mmsim.proc.Pagemap;
import dev.mmsim.proc.PmScanArg;
import dev.mmsim.proc.ScanResult;
import dev.mmsim.proc.SmapsEntry;
import dev.mmsim.proc.TraceEvent;

import java.util.List;
import java.util.function.Consumer;

/**
 * One execution of one scenario, on the simulator or on the real kernel. The interpreter resolves
 * names to addresses and calls these methods with raw values, as a C program would make syscalls;
 * results come back raw (0 or a negative errno, regions, pagemap words, smaps entries) and are
 * rendered by {@link Render} for both backends alike.
 *
 * <p>A method the backend cannot carry out throws {@link dev.mmsim.core.NotModelledException};
 * the scenario then counts as unsupported.
 */
public interface Backend extends AutoCloseable {
    /** "sim" or "kernel". */
    String name();

    /** The host profile this run follows (sim) or measured (kernel). */
    HostProfile host();

    /** Creates file number id with size zero bytes. */
    long file(int id, long size);

    /** Creates file number id as a memfd of size bytes (no pages yet). */
    long memfd(int id, long size);

    /** ftruncate() of file number id. */
    long truncate(int id, long size);

    /** fcntl(F_ADD_SEALS) with F_SEAL_* bits. */
    long seal(int id, int seals);

    /** Reopens file number id read-only or read-write. */
    long reopen(int id, boolean readOnly);

    /** mmap() with kernel PROT_* and MAP_* values; fileId -1 for anonymous memory. */
    long mmap(long addr, long len, int prot, int flags, int fileId, long offset);

    long munmap(long addr, long len);

    long mprotect(long addr, long len, int prot);

    long madvise(long addr, long len, int advice);

    /**
     * process_madvise() of the process on itself (a pidfd of its own, flags 0), one iovec per
     * (starts[i], lens[i]); returns the bytes advised or a negative errno.
     */
    long processMadvise(long[] starts, long[] lens, int advice);

    long mlock(long addr, long len);

    long munlock(long addr, long len);

    /** mseal(addr, len, 0). */
    long mseal(long addr, long len);

    /** A uprobe on file number id at byte offset, for this process, kept to the end. */
    long uprobe(int id, long offset);

    /** prctl(PR_SET_MEMORY_MERGE, on ? 1 : 0). */
    long prctlMemoryMerge(boolean on);

    /** mremap(); returns the new address, or a negative errno. */
    long mremap(long addr, long oldLen, long newLen, int flags, long newAddr);

    /** What a touch did: completed, or the signal and the address of the access that raised it. */
    record TouchResult(String signal, long address) {
        public static final TouchResult OK = new TouchResult(null, 0);
    }

    /** Touches the first byte of each page of [addr, addr+len), reading or writing. */
    TouchResult touch(boolean write, long addr, long len);

    /**
     * Stores value as the first 8 bytes of each page of [addr, addr+len) (addr page-aligned), in
     * order, stopping at the first store that faults.
     */
    TouchResult store(long addr, long len, long value);

    /**
     * A run of consecutive pages whose load gave the same outcome: a signal, or (signal null) the
     * value, the page's first 8 bytes as an unsigned 64-bit number.
     */
    record ValueRun(long start, long end, String signal, long value) {}

    /** Loads the first 8 bytes of each of npages pages from addr (page-aligned), every page: the runs. */
    List<ValueRun> values(long addr, long npages);

    /**
     * The scenario's arena, [start, end): every mapping a scenario makes lies in it. Outside it the
     * kernel backend's process has mappings of its own (the agent's code, stack, buffers) that the
     * simulator does not have.
     */
    default void arena(long start, long end) {}

    /** PAGEMAP_SCAN; trace, when not null and supported, receives the walker callbacks. */
    ScanResult scan(PmScanArg arg, Consumer<TraceEvent> trace);

    /**
     * Where a scan goes besides the process's own pagemap with a buffer of its own: the main
     * process opens child {@code of}'s /proc/PID/pagemap (null: its own); the ioctl goes to the
     * descriptor of file number {@code onFile} instead (-1: none); {@code vecAt} says the arg's vec
     * field is a user address of the calling process rather than a buffer the backend provides;
     * {@code argAt}, when not null, is the ioctl's argument pointer in place of the struct;
     * {@code cmd}, when not null, the ioctl's request number in place of PAGEMAP_SCAN.
     */
    record ScanVia(String of, int onFile, boolean vecAt, Long argAt, Long cmd) {
        public static final ScanVia SELF = new ScanVia(null, -1, false, null, null);
    }

    /** PAGEMAP_SCAN as {@code via} says. */
    default ScanResult scanVia(PmScanArg arg, ScanVia via) {
        if (via.equals(ScanVia.SELF)) return scan(arg, (Consumer<TraceEvent>) null);
        throw new dev.mmsim.core.NotModelledException("scan " + via);
    }

    /** The child exits and is not reaped: a zombie, its address space gone. */
    default long exit() {
        throw new dev.mmsim.core.NotModelledException("exit");
    }

    /** /proc/self/pagemap words for npages pages from addr. */
    Pagemap.ReadResult pagemap(long addr, long npages);

    /** A raw pread of /proc/self/pagemap. */
    Pagemap.ReadResult pagemapRaw(long offset, long count);

    /** A raw pread of /proc/self/pagemap into the user buffer at address buf. */
    default Pagemap.ReadResult pagemapRaw(long offset, long count, long buf) {
        throw new dev.mmsim.core.NotModelledException("pagemap_raw bufat");
    }

    /** smaps entries of the VMAs overlapping [lo, hi). */
    List<SmapsEntry> smaps(long lo, long hi);

    /**
     * The memory counters of /proc/pid/status (task_mem()), counted from the start of the
     * scenario: on the kernel, the values now minus those the agent read when the scenario
     * began, with its own memory held steady.
     */
    dev.mmsim.proc.TaskMem.Counters status();

    /**
     * UFFDIO_COPY (of zeroes), UFFDIO_ZEROPAGE or UFFDIO_CONTINUE over [addr, addr+len): 0, or a
     * negative errno (EAGAIN when only some pages were filled; EBADF when no userfaultfd is open).
     */
    long uffdFill(dev.mmsim.scenarios.lang.UffdFillStmt.Fill fill, long addr, long len, boolean wp);

    /** fork(): the child is then addressed with {@link #child}. */
    long fork(String child);

    /** The backend view of a forked child. */
    Backend child(String name);

    long uffdRegister(long addr, long len, int modes, long features);

    long uffdWp(long addr, long len, boolean on);

    /** UFFDIO_UNREGISTER. */
    long uffdUnregister(long addr, long len);

    /** Closes the process's userfaultfd (its registrations go with it). */
    long uffdClose();

    long clearRefs(int value);

    @Override
    void close();
}
