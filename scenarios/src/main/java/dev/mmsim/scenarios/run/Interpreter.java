package dev.mmsim.scenarios.run;

import dev.mmsim.core.Geometry;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.NotModelledException;
import dev.mmsim.proc.PmScanArg;
import dev.mmsim.proc.ScanResult;
import dev.mmsim.proc.TraceEvent;
import dev.mmsim.scenarios.lang.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a parsed {@link Scenario} on a {@link Backend} and records a {@link Transcript}.
 *
 * <p>Object map: the interpreter owns a {@link Layout} (mapping names to addresses, and back for
 * rendering) and a table of file ids; for each step it resolves addresses, makes the backend call,
 * renders the raw result with {@link Render} and checks the step's expectation. The core loop in
 * one sentence: every statement becomes one backend call and one transcript line, identical in
 * form for the simulator and the kernel.
 */
public final class Interpreter {
    /** MREMAP_* flags (include/uapi/linux/mman.h). */
    static final int MREMAP_MAYMOVE = 1;
    static final int MREMAP_FIXED = 2;
    static final int MREMAP_DONTUNMAP = 4;
    /** UFFD_FEATURE_WP_UNPOPULATED | UFFD_FEATURE_WP_ASYNC (include/uapi/linux/userfaultfd.h). */
    static final long UFFD_FEATURES_ASYNC = (1L << 13) | (1L << 15);
    /** UFFD_FEATURE_SIGBUS (include/uapi/linux/userfaultfd.h). */
    static final long UFFD_FEATURE_SIGBUS = 1L << 7;
    /** UFFD_FEATURE_EVENT_FORK and UFFD_FEATURE_EVENT_REMAP. */
    static final long UFFD_FEATURE_EVENT_FORK = 1L << 1, UFFD_FEATURE_EVENT_REMAP = 1L << 2;

    private final Scenario scenario;
    private final Backend backend;
    private final Layout layout;
    private final Map<String, Integer> fileIds = new HashMap<>();
    /**
     * The kernel agent's own limits (agent.h): past them a statement is refused on both backends
     * alike, so that a limit of the agent never shows as a kernel result.
     */
    static final int MAX_FILES = 256;
    static final int MAX_IOVECS = 65536;
    static final int MAX_CHILDREN = 64;
    /** The longest uffd_copy: the agent maps a zero-filled source as long as the range. */
    static final long MAX_COPY_SOURCE = 1L << 40;
    static final int MAX_CHILD_NAME = 255;

    /** Forks so far (the agent's limit is per process; counting them all is the simple bound). */
    private int forks;

    /** What the scenario may have populated, against the kernel backend's memory cap. */
    private final MemoryBudget memory = new MemoryBudget();

    /** Files whose {@code file} statement was refused (EFBIG): a later use is unbound. */
    private final Map<String, String> refusedFiles = new HashMap<>();

    /**
     * The largest {@code file} either backend creates: the kernel backend's agent writes the file's
     * zeros page by page, so a larger one would fill the disk. Both backends answer a larger size
     * with EFBIG, the errno write() gives past RLIMIT_FSIZE, without creating anything.
     */
    public static final long MAX_FILE_SIZE = 1L << 30;
    private final Map<String, Backend> children = new HashMap<>();
    private final Transcript transcript;
    /** Whether the scenario's {@code =>} expectations are checked (they hold for the kernel it was written for). */
    private final boolean checkExpectations;
    /** The structured result of the statement being executed, where its text alone does not say it all. */
    private java.util.Map<String, Object> detail;

    /** The scenario's time limit in seconds (0: none), and when it runs out (System.nanoTime()). */
    private int timeLimitSeconds;
    private long deadline;
    /** Told after every statement (teaching views), or null. */
    private final Observer observer;
    /** The current statement's scan and walk callbacks, for the observer. */
    private ScanResult lastScan;
    private List<TraceEvent> lastTrace = List.of();

    /**
     * Told after each statement what it did, for views that draw the state statement by statement
     * ({@code replay --html}). With an observer every scan of the process's own pagemap collects
     * its walk callbacks, {@code trace} or not (only {@code trace scan} prints them).
     */
    public interface Observer {
        /**
         * @param line   the transcript line just recorded
         * @param target the backend (process) the statement ran on
         * @param layout the names of the mappings, to render addresses
         * @param scan   the statement's PAGEMAP_SCAN result, or null when it made none
         * @param trace  the walker callbacks of that scan (empty on a backend that cannot trace)
         */
        void afterStatement(Transcript.Line line, Backend target, Layout layout, ScanResult scan, List<TraceEvent> trace);
    }

    private Interpreter(Scenario scenario, Backend backend, long arena, boolean checkExpectations, Observer observer) {
        this.scenario = scenario;
        this.backend = backend;
        this.checkExpectations = checkExpectations;
        this.observer = observer;
        this.layout = new Layout(arena);
        this.transcript = new Transcript(scenario.name(), scenario.file(), backend.name());
    }

    /** Replays the scenario; the caller owns (and closes) the backend. */
    public static Transcript replay(Scenario scenario, Backend backend, long arena) {
        return replay(scenario, backend, arena, true);
    }

    /**
     * Replays the scenario, checking its expectations only when {@code checkExpectations}: a
     * scenario's {@code =>} results are those of the kernel it was written for, and a kernel under
     * test of another profile may rightly print others (the two backends are still compared).
     */
    public static Transcript replay(Scenario scenario, Backend backend, long arena, boolean checkExpectations) {
        return replay(scenario, backend, arena, checkExpectations, 0, null);
    }

    /** As {@link #replay(Scenario, Backend, long, boolean)}, telling {@code observer} (may be null) after each statement. */
    public static Transcript replay(Scenario scenario, Backend backend, long arena, boolean checkExpectations,
                                    Observer observer) {
        return replay(scenario, backend, arena, checkExpectations, 0, observer);
    }

    /** As {@link #replay(Scenario, Backend, long, boolean)}, within a time limit (below). */
    public static Transcript replay(Scenario scenario, Backend backend, long arena, boolean checkExpectations,
                                    int timeLimitSeconds) {
        return replay(scenario, backend, arena, checkExpectations, timeLimitSeconds, null);
    }

    /**
     * Replays the scenario within a time limit of {@code timeLimitSeconds} (0: none), telling
     * {@code observer} (may be null) after each statement. The kernel backend's agent is killed at
     * the limit (its supervisor's timer, the Java watchdog behind it); the simulator, which cannot
     * be interrupted in the middle of a statement, is checked after each one. Either way the
     * transcript ends there, with a {@code timeout} outcome naming the statement.
     */
    public static Transcript replay(Scenario scenario, Backend backend, long arena, boolean checkExpectations,
                                    int timeLimitSeconds, Observer observer) {
        Interpreter in = new Interpreter(scenario, backend, arena, checkExpectations, observer);
        in.timeLimitSeconds = timeLimitSeconds;
        in.deadline = System.nanoTime() + timeLimitSeconds * 1_000_000_000L;
        in.run();
        return in.transcript;
    }

    /** A transcript for a scenario the backend did not run at all. */
    public static Transcript notRun(Scenario scenario, String backend, Outcome outcome) {
        Transcript t = new Transcript(scenario.name(), scenario.file(), backend);
        t.header().add("scenario: " + scenario.name());
        t.header().add("backend: " + backend);
        t.outcome(outcome);
        return t;
    }

    private void run() {
        transcript.header().add("scenario: " + scenario.name());
        transcript.header().add("backend: " + backend.name());
        transcript.header().add("host: " + backend.host().render());
        backend.arena(layout.arena(), layout.arenaEnd());
        for (Step step : scenario.steps()) {
            List<String> notes = new ArrayList<>();
            String result;
            detail = null;
            Backend target = backend;
            lastScan = null;
            lastTrace = List.of();
            try {
                target = step.child() == null ? backend : child(step.child());
                result = execute(step.stmt(), target, notes);
                if (detail == null) detail = Detail.status(result);
            } catch (NotModelledException e) {
                transcript.outcome(Outcome.unsupported(e.what()));
                return;
            } catch (Refused e) {
                transcript.outcome(Outcome.unsupported("line " + step.pos().line() + ": " + e.getMessage()));
                return;
            } catch (Agent.AgentException e) {
                transcript.outcome(e.timeout() ? Outcome.timeout(step.pos().line(), step.render(), timeLimitSeconds)
                        : Outcome.error(e.getMessage()));
                return;
            } catch (UnboundName e) {
                result = e.render();
                detail = e.detail();
            }
            if (timeLimitSeconds > 0 && System.nanoTime() - deadline > 0) {
                transcript.outcome(Outcome.timeout(step.pos().line(), step.render(), timeLimitSeconds));
                return;
            }
            Transcript.Line line = new Transcript.Line(step.pos().line(), step.render(), result, notes, detail);
            transcript.lines().add(line);
            if (observer != null) observer.afterStatement(line, target, layout, lastScan, lastTrace);
            if (checkExpectations && step.expected() != null && !fold(step.expected()).equals(fold(result == null ? "" : result))) {
                transcript.failures().add(step.pos().file() + ":" + step.pos().line() + ": expected "
                        + fold(step.expected()) + ", got " + result);
                transcript.outcome(Outcome.FAILED);
            }
        }
    }

    private Backend child(String name) {
        Backend c = children.get(name);
        if (c == null) throw new UnboundName(name, "its fork failed");
        return c;
    }

    static String fold(String s) {
        return s.trim().replaceAll("\\s+", " ");
    }

    /** Executes one statement and renders its result; null for header statements. */
    private String execute(Stmt stmt, Backend b, List<String> notes) {
        return switch (stmt) {
            case ScenarioStmt s -> null;
            case MirrorsStmt s -> null;
            case RequiresStmt s -> null;
            case ProfileStmt s -> null;
            case SetStmt s -> {
                if (!(b instanceof SimBackend sim)) throw new IllegalStateException("set on " + b.name());
                sim.semantics().set(s.semantic(), s.on());
                yield "ok";
            }
            case FileStmt s -> {
                agentLimit("file", fileIds.size() >= MAX_FILES, "more than " + MAX_FILES + " files");
                if (s.size().bytes() > MAX_FILE_SIZE) {
                    refusedFiles.put(s.name(), "its file statement failed with EFBIG");
                    yield "EFBIG";
                }
                memory.file(s.size().bytes());
                int id = fileIds.size();
                fileIds.put(s.name(), id);
                yield Render.status(b.file(id, s.size().bytes()));
            }
            case MemfdStmt s -> {
                agentLimit("memfd", fileIds.size() >= MAX_FILES, "more than " + MAX_FILES + " files");

                int id = fileIds.size();
                fileIds.put(s.name(), id);
                yield Render.status(b.memfd(id, s.size().bytes()));
            }
            case TruncateStmt s -> Render.status(b.truncate(fileId(s.file()), s.size().bytes()));
            case SealStmt s -> Render.status(b.seal(fileId(s.file()), s.bits()));
            case ReopenStmt s -> Render.status(b.reopen(fileId(s.file()), s.readOnly()));
            case MmapStmt s -> mmap(s, b);
            case MunmapStmt s -> {
                long start = addr(s.addr());
                long len = s.size().bytes();
                // do_vmi_munmap() refuses (EINVAL) a range past TASK_SIZE
                confine("munmap", start, len, Confine.PAST_TASK_SIZE_REFUSED);
                yield Render.status(b.munmap(start, len));
            }
            case MprotectStmt s -> {
                confine("mprotect", addr(s.addr()), s.size().bytes(), Confine.STOPS_AT_HOLE);
                yield Render.status(b.mprotect(addr(s.addr()), s.size().bytes(), s.prot().bits()));
            }
            case MadviseStmt s -> {
                long start = addr(s.addr());
                long len = s.size().bytes();
                // a range madvise accepts is advised VMA by VMA, past holes: the agent's own VMAs too.
                // Hints (cold, pageout, willneed) harm nothing there, but their result would be
                // that of the agent's VMAs (MADV_COLD fails with EINVAL at its [vvar], a VM_PFNMAP
                // mapping), which the simulator cannot know: they are confined alike.
                confine("madvise", start, len, Confine.ALIGNED_START);
                if (populates(s.advice())) memory.populate("madvise " + s.advice().scenarioName(), len);
                yield Render.status(b.madvise(start, len, s.advice().value));
            }
            case ProcessMadviseStmt s -> {
                agentLimit("process_madvise", s.ranges().size() > MAX_IOVECS, "more than " + MAX_IOVECS + " ranges");
                long[] starts = new long[s.ranges().size()];
                long[] lens = new long[starts.length];
                for (int i = 0; i < starts.length; i++) {
                    starts[i] = addr(s.ranges().get(i).addr());
                    lens[i] = s.ranges().get(i).size().bytes();
                    // import_iovec() refuses (EFAULT) every iovec reaching past TASK_SIZE, before any advice
                    // import_iovec() cuts the lengths to MAX_RW_COUNT in all, then refuses (EFAULT) an
                    // iovec reaching past TASK_SIZE
                    confine("process_madvise", starts[i], Long.compareUnsigned(lens[i], MAX_RW_COUNT) > 0 ? MAX_RW_COUNT : lens[i],
                                Confine.PAST_TASK_SIZE_REFUSED);
                }
                long r = b.processMadvise(starts, lens, s.advice().value);
                if (r >= 0) detail = Detail.bytes(r);
                yield r < 0 ? Render.status(r) : "ok " + new Size(r).render();
            }
            case MlockStmt s -> {
                confine("mlock", addr(s.addr()), s.size().bytes(), Confine.STOPS_AT_HOLE_ANY_START);
                memory.populate("mlock", s.size().bytes());
                yield Render.status(b.mlock(addr(s.addr()), s.size().bytes()));
            }
            case MunlockStmt s -> {
                confine("munlock", addr(s.addr()), s.size().bytes(), Confine.STOPS_AT_HOLE_ANY_START);
                yield Render.status(b.munlock(addr(s.addr()), s.size().bytes()));
            }
            case MsealStmt s -> {
                // mseal() checks the whole range for holes before it seals anything
                confine("mseal", addr(s.addr()), s.size().bytes(), Confine.STOPS_AT_HOLE);
                yield Render.status(b.mseal(addr(s.addr()), s.size().bytes()));
            }
            case UprobeStmt s -> Render.status(b.uprobe(fileId(s.file()), s.offset().bytes()));
            case PrctlStmt s -> Render.status(b.prctlMemoryMerge(s.on()));
            case MremapStmt s -> mremap(s, b);
            case AccessStmt s -> {
                long len = s.size() == null ? Geometry.PAGE_SIZE : s.size().bytes();
                // no system call checks a touch: the agent itself reads or writes, page by page,
                // until the first fault. One that starts in the zone faults at its end at the
                // latest (nothing can be mapped at the arena's end), so only its start must be in it.
                if (len != 0) inZone(s.write() ? "write" : "read", addr(s.addr()), 1);
                memory.populate(s.write() ? "write" : "read", len);
                // a value goes to a page's first bytes: the parser wants a page-aligned ADDR, but a
                // name that a failed mmap left at its unaligned address gets past it
                if (s.value() != null) pageAlignedAt("write ... value", addr(s.addr()));
                Backend.TouchResult r = s.value() == null ? b.touch(s.write(), addr(s.addr()), len)
                        : b.store(addr(s.addr()), len, s.value());
                if (r.signal() != null) detail = Detail.signal(r.signal(), r.address(), layout);
                yield r.signal() == null ? "ok" : r.signal() + " at " + layout.render(r.address());
            }
            case ExitStmt s -> Render.status(b.exit());
            case ForkStmt s -> {
                agentLimit("fork", s.child().length() > MAX_CHILD_NAME, "a child name of more than " + MAX_CHILD_NAME + " characters");
                agentLimit("fork", forks++ >= MAX_CHILDREN, "more than " + MAX_CHILDREN + " forks");
                long r = b.fork(s.child());
                if (r == 0) children.put(s.child(), b.child(s.child()));
                yield Render.status(r);
            }
            case UffdRegisterStmt s -> {
                // validate_range() refuses (EINVAL) a range past TASK_SIZE
                confine("uffd_register", addr(s.addr()), s.size().bytes(), Confine.PAST_TASK_SIZE_REFUSED);
                int modes = 0;
                for (UffdMode m : s.modes()) modes |= m.value;
                yield Render.status(b.uffdRegister(addr(s.addr()), s.size().bytes(), modes,
                        (s.async() ? UFFD_FEATURES_ASYNC : 0) | (s.sigbus() ? UFFD_FEATURE_SIGBUS : 0)
                                | (s.eventFork() ? UFFD_FEATURE_EVENT_FORK : 0) | (s.eventRemap() ? UFFD_FEATURE_EVENT_REMAP : 0)));
            }
            case UffdWpStmt s -> {
                confine("uffd_wp", addr(s.addr()), s.size().bytes(), Confine.PAST_TASK_SIZE_REFUSED);
                yield Render.status(b.uffdWp(addr(s.addr()), s.size().bytes(), s.on()));
            }
            case UffdUnregisterStmt s -> {
                confine("uffd_unregister", addr(s.addr()), s.size().bytes(), Confine.PAST_TASK_SIZE_REFUSED);
                yield Render.status(b.uffdUnregister(addr(s.addr()), s.size().bytes()));
            }
            case UffdCloseStmt s -> Render.status(b.uffdClose());
            case UffdFillStmt s -> {
                // the agent copies from a zero-filled mapping as long as the range, which it must be able to map
                agentLimit(s.keyword(), s.fill() == UffdFillStmt.Fill.COPY
                        && Long.compareUnsigned(s.size().bytes(), MAX_COPY_SOURCE) > 0, "a copy of more than 1 TiB");
                // validate_range() refuses (EINVAL) a range past TASK_SIZE; a copy or zeropage fills it
                confine(s.keyword(), addr(s.addr()), s.size().bytes(), Confine.PAST_TASK_SIZE_REFUSED);
                memory.populate(s.keyword(), s.size().bytes());
                yield Render.status(b.uffdFill(s.fill(), addr(s.addr()), s.size().bytes(), s.wp()));
            }
            case ClearRefsStmt s -> Render.status(b.clearRefs(s.value()));
            case ScanStmt s -> scan(s, b, notes);
            case PagemapStmt s -> {
                long start = addr(s.addr());
                long pages = s.size() == null ? 1 : Math.max(1, s.size().bytes() / Geometry.PAGE_SIZE);
                dev.mmsim.proc.Pagemap.ReadResult r = b.pagemap(start, pages);
                detail = Detail.pagemap(start, r, layout);
                yield Render.pagemap(start, r, layout);
            }
            case ValuesStmt s -> {
                long start = addr(s.addr());
                long bytes = s.size() == null ? Geometry.PAGE_SIZE : s.size().bytes();
                long pages = Math.min(MAX_VALUES_PAGES, Math.max(1, (bytes + Geometry.PAGE_SIZE - 1) / Geometry.PAGE_SIZE));
                pageAlignedAt("values", start);
                // every page is loaded, whatever the ones before it gave: the whole range must be
                // in the zone
                inZone("values", start, pages * Geometry.PAGE_SIZE);
                memory.populate("values", pages * Geometry.PAGE_SIZE);
                List<Backend.ValueRun> runs = b.values(start, pages);
                detail = Detail.values(runs, layout);
                yield Render.values(runs, layout);
            }
            case PagemapRawStmt s -> {
                // the kernel writes what it reads to bufat: a buffer of the agent's would be overwritten
                // (pagemap_read() copies out 4 KiB at a time: access_ok() checks one chunk at a time)
                if (s.bufAt() != null) buffer("pagemap_raw bufat", addr(s.bufAt()), s.count(), 4096);
                dev.mmsim.proc.Pagemap.ReadResult r = s.bufAt() == null
                        ? b.pagemapRaw(s.offset(), s.count()) : b.pagemapRaw(s.offset(), s.count(), addr(s.bufAt()));
                detail = Detail.pagemapRaw(s.offset(), r, layout);
                yield Render.pagemapRaw(s.offset(), r, layout);
            }
            case SmapsStmt s -> {
                List<dev.mmsim.proc.SmapsEntry> entries = smapsRange(s.addr(), s.size(), b);
                detail = Detail.smaps(entries, layout, true);
                yield Render.smaps(entries, layout);
            }
            case StatusStmt s -> {
                // a child's own memory (the agent's code and buffers, as fork copied them) has no
                // baseline to count from: the counters compare in the scenario's process only
                if (b != backend) throw new Refused("status in a child: the counters compare in the scenario's own process only, refused on both backends");
                dev.mmsim.proc.TaskMem.Counters c = b.status();
                detail = Detail.status(c);
                yield Render.status(c);
            }
            case MapsStmt s -> {
                List<dev.mmsim.proc.SmapsEntry> entries = smapsRange(s.addr(), s.size(), b);
                detail = Detail.smaps(entries, layout, false);
                yield Render.maps(entries, layout);
            }
        };
    }

    /** Whether an advice fills the range with pages (populate, collapse into huge pages). */
    private static boolean populates(dev.mmsim.core.Madvise advice) {
        return advice == dev.mmsim.core.Madvise.POPULATE_READ || advice == dev.mmsim.core.Madvise.POPULATE_WRITE
                || advice == dev.mmsim.core.Madvise.COLLAPSE;
    }

    /** What a system call checks before it touches memory (see {@link #confine}). */
    private enum Confine {
        /** It refuses (EINVAL) a start that is not page-aligned. */
        ALIGNED_START,
        /**
         * It refuses an unaligned start and stops at the first hole (ENOMEM): one that starts in the
         * zone meets a hole at its end at the latest (nothing can be mapped at the arena's end).
         */
        STOPS_AT_HOLE,
        /** It rounds the start down to its page and stops at the first hole. */
        STOPS_AT_HOLE_ANY_START,
        /** It refuses an unaligned start, and a range reaching past TASK_SIZE. */
        PAST_TASK_SIZE_REFUSED
    }

    /**
     * Confinement: refuses, on both backends alike, a statement that the kernel would apply to
     * memory outside the {@linkplain Layout#zoneStart() zone} around the arena. Out there the
     * kernel backend's process has mappings of its own (its code, heap, stack, libraries), which a
     * munmap, a madvise(MADV_DONTNEED) or an mprotect would destroy. Ranges the kernel refuses before
     * it touches anything stay allowed, so argument-validation probes still run: an empty range, an
     * unaligned start where the call wants an aligned one, a range that wraps past 2^64 (every call
     * here refuses it), a start at or above TASK_SIZE (nothing can be mapped there), and for some
     * calls any range reaching past TASK_SIZE.
     */
    private void confine(String what, long start, long len, Confine rule) {
        if (len == 0) return;
        if (rule != Confine.STOPS_AT_HOLE_ANY_START && !Geometry.pageAligned(start)) return;
        long first = start & -Geometry.PAGE_SIZE;
        long span = Geometry.pageAlign(len + (start - first));
        long end = first + span;
        if (span == 0 || Long.compareUnsigned(end, first) < 0 || Long.compareUnsigned(len + (start - first), len) < 0) return;
        if (Long.compareUnsigned(first, Geometry.TASK_SIZE) >= 0) return;
        if (rule == Confine.PAST_TASK_SIZE_REFUSED && Long.compareUnsigned(end, Geometry.TASK_SIZE) > 0) return;
        inZone(what, first, rule == Confine.STOPS_AT_HOLE || rule == Confine.STOPS_AT_HOLE_ANY_START ? 1 : span);
    }

    /**
     * Refuses a buffer the kernel would write to outside the zone. EFAULT probes stay allowed: a
     * buffer whose first {@code checkedAtOnce} bytes reach TASK_SIZE (access_ok() fails before a
     * byte is written), and one below mmap_min_addr (64 KiB), where nothing is ever mapped.
     */
    private void buffer(String what, long start, long len, long checkedAtOnce) {
        if (len == 0 || Long.compareUnsigned(start, Geometry.TASK_SIZE) >= 0) return;
        long first = Math.min(len, checkedAtOnce);
        if (Long.compareUnsigned(first, Geometry.TASK_SIZE - start) > 0) return;
        if (Long.compareUnsigned(len, MMAP_MIN_ADDR) <= 0 && Long.compareUnsigned(start, MMAP_MIN_ADDR - len) <= 0) return;
        inZone(what, start, len);
    }

    /** The most pages one {@code values} loads, as many as a {@code pagemap} reads. */
    static final long MAX_VALUES_PAGES = 2097152;

    /** The most bytes one read, write or iovec array covers (include/linux/fs.h). */
    private static final long MAX_RW_COUNT = 0x7ffff000L;

    /** The default vm.mmap_min_addr: nothing is mapped below it. */
    private static final long MMAP_MIN_ADDR = 0x10000;

    /** Refuses [start, start + len) unless it lies in the zone, without wrapping. */
    private void inZone(String what, long start, long len) {
        long end = start + len;
        if (len == 0) return;
        if (Long.compareUnsigned(start, layout.zoneStart()) < 0 || Long.compareUnsigned(end, start) < 0
                || Long.compareUnsigned(end, layout.arenaEnd()) > 0)
            throw new Refused(what + " reaches outside [" + "0x" + Long.toHexString(layout.zoneStart()) + ", " + "0x" + Long.toHexString(layout.arenaEnd())
                    + "), where the kernel backend's process has mappings of its own: refused on both backends");
    }

    /** A statement neither backend runs (confinement, the agent's limits); the scenario ends there. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** Refuses, on both backends, a page-wide statement at an address that is not page-aligned. */
    private void pageAlignedAt(String what, long address) {
        if (!Geometry.pageAligned(address))
            throw new Refused(what + " at " + layout.render(address) + ", which is not page-aligned: refused on both backends");
    }

    private static void agentLimit(String what, boolean past, String limit) {
        if (past) throw new Refused(what + ": " + limit + " is past a limit of the kernel agent: refused on both backends");
    }

    private int fileId(String name) {
        String why = refusedFiles.get(name);
        if (why != null) throw new UnboundName(name, why);
        return fileIds.get(name);
    }

    private long addr(Addr a) {
        return layout.resolve(a);
    }

    private String mmap(MmapStmt s, Backend b) {
        long len = s.size().bytes();
        long align = s.align() == null ? Geometry.PAGE_SIZE : s.align().bytes();
        long start;
        try {
            start = s.at() != null ? addr(s.at()) : layout.place(align);
        } catch (UnboundName e) {
            layout.unbound(s.name(), "its address names " + s.at().base() + ", which names nothing");
            throw e;
        }
        int flags = 0;
        for (MmapFlag f : s.flags()) flags |= f.value;
        if (s.file() == null) flags |= MapFlag.MAP_ANONYMOUS;
        if ((flags & MapFlag.MAP_FIXED) == 0) flags |= MapFlag.MAP_FIXED_NOREPLACE;
        int fileId;
        try {
            fileId = s.file() == null ? -1 : fileId(s.file());
        } catch (UnboundName e) {
            layout.unbound(s.name(), "its file " + s.file() + " does not exist");
            throw e;
        }
        long off = s.off() == null ? 0 : s.off().bytes();
        // MAP_FIXED replaces whatever is mapped there; __get_unmapped_area() refuses (ENOMEM) a
        // range past TASK_SIZE. MAP_FIXED_NOREPLACE never replaces: a clash is EEXIST.
        if ((flags & MapFlag.MAP_FIXED) != 0) confine("mmap fixed", start, len, Confine.PAST_TASK_SIZE_REFUSED);
        memory.map(len);
        if ((flags & (MapFlag.MAP_POPULATE | MapFlag.MAP_LOCKED)) != 0) memory.populate("mmap populate", len);
        layout.bind(s.name(), start, len);
        return Render.status(b.mmap(start, len, s.prot().bits(), flags, fileId, off));
    }

    private String mremap(MremapStmt s, Backend b) {
        long old = addr(s.addr());
        int flags = (s.maymove() ? MREMAP_MAYMOVE : 0) | (s.fixed() != null ? MREMAP_FIXED : 0)
                | (s.dontunmap() ? MREMAP_DONTUNMAP : 0);
        long target = s.fixed() != null ? addr(s.fixed()) : 0;
        // the old range is moved, or its tail unmapped by a shrink (do_vmi_munmap(), which refuses
        // a range past TASK_SIZE); mremap_to() unmaps the new range first, and refuses (EINVAL) one
        // past TASK_SIZE
        confine("mremap", old, s.oldSize().bytes(), Confine.PAST_TASK_SIZE_REFUSED);
        if (s.fixed() != null) confine("mremap fixed", target, s.newSize().bytes(), Confine.PAST_TASK_SIZE_REFUSED);
        // (a new length past TASK_SIZE is refused: EINVAL, or ENOMEM before 6.15; nothing grows)
        if (Long.compareUnsigned(s.newSize().bytes(), s.oldSize().bytes()) > 0
                && Long.compareUnsigned(s.newSize().bytes(), Geometry.TASK_SIZE) <= 0) {
            memory.map(s.newSize().bytes() - s.oldSize().bytes());
            memory.populate("mremap", s.newSize().bytes() - s.oldSize().bytes());   // a locked VMA's new part is faulted in
        }
        long r = b.mremap(old, s.oldSize().bytes(), s.newSize().bytes(), flags, target);
        if (r < 0 && r > -4096) {
            if (s.as() != null) layout.unbound(s.as(), "its mremap failed with " + Render.status(r));
            return Render.status(r);
        }
        if (s.as() != null) layout.bind(s.as(), r, s.newSize().bytes());
        detail = Detail.mremap(r, r != old, layout);
        return r == old ? "ok" : "ok at " + layout.render(r);
    }

    private String scan(ScanStmt s, Backend b, List<String> notes) {
        long start = addr(s.addr());
        long end = start + s.size().bytes();
        if (s.rawStart() != null) start = addr(s.rawStart());
        if (s.rawEnd() != null) end = addr(s.rawEnd());
        long size = s.rawSize() != null ? s.rawSize() : dev.mmsim.core.ScanFlag.PM_SCAN_ARG_SIZE;
        long vec = s.vecAt() != null ? addr(s.vecAt()) : s.vecNull() ? 0 : PmScanArg.BACKEND_VEC;
        PmScanArg arg = new PmScanArg(size, s.flags(), start, end, 0, vec, s.vec(), s.max(),
                s.inverted(), s.mask(), s.anyof(), s.returnMask());
        List<TraceEvent> events = new ArrayList<>();
        // the kernel writes the regions to vecat, and walk_end to the argument at argat
        // pagemap_scan_get_args() checks the whole vector with access_ok() before the walk, which
        // then writes at most one region a page of the range
        long vecBytes = Math.min(s.vec(), Geometry.TASK_SIZE / 24) * 24;
        long written = Math.min(vecBytes, Math.min(Long.divideUnsigned(end - start, Geometry.PAGE_SIZE) + 1, Geometry.TASK_SIZE / 24) * 24);
        if (s.vecAt() != null) buffer("scan vecat", vec, written, vecBytes);
        if (s.argAt() != null)
            buffer("scan argat", addr(s.argAt()), dev.mmsim.core.ScanFlag.PM_SCAN_ARG_SIZE, dev.mmsim.core.ScanFlag.PM_SCAN_ARG_SIZE);
        Backend.ScanVia via = new Backend.ScanVia(s.of(), s.on() == null ? -1 : fileId(s.on()),
                s.vecAt() != null, s.argAt() == null ? null : addr(s.argAt()), s.cmd());
        ScanResult r = via.equals(Backend.ScanVia.SELF) ? b.scan(arg, s.trace() || observer != null ? events::add : null)
                : b.scanVia(arg, via);
        lastScan = r;
        lastTrace = events;
        if (s.trace()) for (TraceEvent e : events) {
            notes.add(e.callback() + " " + layout.render(e.start()) + ".." + layout.render(e.end())
                    + (e.callback().equals("pte_hole") ? " depth=" + e.depth() : "")
                    + (e.why().isEmpty() ? "" : ": " + e.why()));
        }
        detail = Detail.scan(r, layout);
        return Render.scan(r, layout);
    }

    private List<dev.mmsim.proc.SmapsEntry> smapsRange(Addr a, Size size, Backend b) {
        if (a == null) return b.smaps(layout.arena(), layout.arenaEnd());
        long start = addr(a);
        return b.smaps(start, start + size.bytes());
    }
}
