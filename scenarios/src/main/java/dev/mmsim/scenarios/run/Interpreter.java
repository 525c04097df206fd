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

    private final Scenario scenario;
    private final Backend backend;
    private final Layout layout;
    private final Map<String, Integer> fileIds = new HashMap<>();
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
        return replay(scenario, backend, arena, checkExpectations, null);
    }

    /** As {@link #replay(Scenario, Backend, long, boolean)}, telling {@code observer} (may be null) after each statement. */
    public static Transcript replay(Scenario scenario, Backend backend, long arena, boolean checkExpectations,
            Observer observer) {
        Interpreter in = new Interpreter(scenario, backend, arena, checkExpectations, observer);
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
            Backend target = backend;
            lastScan = null;
            lastTrace = List.of();
            try {
                target = step.child() == null ? backend : child(step.child());
                result = execute(step.stmt(), target, notes);
            } catch (NotModelledException e) {
                transcript.outcome(Outcome.unsupported(e.what()));
                return;
            } catch (Agent.AgentException e) {
                transcript.outcome(Outcome.error(e.getMessage()));
                return;
            } catch (UnboundName e) {
                result = e.render();
            }
            Transcript.Line line = new Transcript.Line(step.pos().line(), step.render(), result, notes);
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
                if (s.size().bytes() > MAX_FILE_SIZE) {
                    refusedFiles.put(s.name(), "its file statement failed with EFBIG");
                    yield "EFBIG";
                }
                int id = fileIds.size();
                fileIds.put(s.name(), id);
                yield Render.status(b.file(id, s.size().bytes()));
            }
            case MemfdStmt s -> {
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
                // do_vmi_munmap() refuses (EINVAL) a range past TASK_SIZE; one it accepts must stay
                // in the arena, or the kernel would unmap the agent's own memory
                if (Long.compareUnsigned(start, Geometry.TASK_SIZE) <= 0 && Long.compareUnsigned(len, Geometry.TASK_SIZE - start) <= 0)
                    insideArena("munmap", start, Geometry.pageAlign(len));
                yield Render.status(b.munmap(start, len));
            }
            case MprotectStmt s -> Render.status(b.mprotect(addr(s.addr()), s.size().bytes(), s.prot().bits()));
            case MadviseStmt s -> {
                long start = addr(s.addr());
                long len = s.size().bytes();
                // check_input_range() refuses (EINVAL) only a wrap past 2^64; a range it accepts is
                // advised VMA by VMA, and must stay in the arena, or the agent's own VMAs would be
                if (Geometry.pageAligned(start) && Long.compareUnsigned(start + Geometry.pageAlign(len), start) >= 0)
                    insideArena("madvise", start, Geometry.pageAlign(len));
                yield Render.status(b.madvise(start, len, s.advice().value));
            }
            case ProcessMadviseStmt s -> {
                long[] starts = new long[s.ranges().size()];
                long[] lens = new long[starts.length];
                for (int i = 0; i < starts.length; i++) {
                    starts[i] = addr(s.ranges().get(i).addr());
                    lens[i] = s.ranges().get(i).size().bytes();
                }
                long r = b.processMadvise(starts, lens, s.advice().value);
                yield r < 0 ? Render.status(r) : "ok " + new Size(r).render();
            }
            case MlockStmt s -> Render.status(b.mlock(addr(s.addr()), s.size().bytes()));
            case MunlockStmt s -> Render.status(b.munlock(addr(s.addr()), s.size().bytes()));
            case MsealStmt s -> Render.status(b.mseal(addr(s.addr()), s.size().bytes()));
            case UprobeStmt s -> Render.status(b.uprobe(fileId(s.file()), s.offset().bytes()));
            case PrctlStmt s -> Render.status(b.prctlMemoryMerge(s.on()));
            case MremapStmt s -> mremap(s, b);
            case AccessStmt s -> {
                long len = s.size() == null ? Geometry.PAGE_SIZE : s.size().bytes();
                Backend.TouchResult r = b.touch(s.write(), addr(s.addr()), len);
                yield r.signal() == null ? "ok" : r.signal() + " at " + layout.render(r.address());
            }
            case ExitStmt s -> Render.status(b.exit());
            case ForkStmt s -> {
                long r = b.fork(s.child());
                if (r == 0) children.put(s.child(), b.child(s.child()));
                yield Render.status(r);
            }
            case UffdRegisterStmt s -> {
                int modes = 0;
                for (UffdMode m : s.modes()) modes |= m.value;
                yield Render.status(b.uffdRegister(addr(s.addr()), s.size().bytes(), modes,
                        s.async() ? UFFD_FEATURES_ASYNC : 0));
            }
            case UffdWpStmt s -> Render.status(b.uffdWp(addr(s.addr()), s.size().bytes(), s.on()));
            case UffdUnregisterStmt s -> Render.status(b.uffdUnregister(addr(s.addr()), s.size().bytes()));
            case UffdCloseStmt s -> Render.status(b.uffdClose());
            case ClearRefsStmt s -> Render.status(b.clearRefs(s.value()));
            case ScanStmt s -> scan(s, b, notes);
            case PagemapStmt s -> {
                long start = addr(s.addr());
                long pages = s.size() == null ? 1 : Math.max(1, s.size().bytes() / Geometry.PAGE_SIZE);
                yield Render.pagemap(start, b.pagemap(start, pages), layout);
            }
            case PagemapRawStmt s -> Render.pagemapRaw(s.offset(), s.bufAt() == null
                    ? b.pagemapRaw(s.offset(), s.count()) : b.pagemapRaw(s.offset(), s.count(), addr(s.bufAt())), layout);
            case SmapsStmt s -> Render.smaps(smapsRange(s.addr(), s.size(), b), layout);
            case MapsStmt s -> Render.maps(smapsRange(s.addr(), s.size(), b), layout);
        };
    }

    /**
     * Refuses, on both backends alike, a statement that the kernel would apply to a range reaching
     * past the arena's end: there the kernel backend's process has mappings of
     * its own (its stack, its code), which a madvise(MADV_DONTNEED) or a munmap would destroy.
     */
    private void insideArena(String what, long start, long len) {
        long end = start + len;
        if (len == 0) return;
        if (Long.compareUnsigned(end, layout.arenaEnd()) > 0)
            throw new NotModelledException(what + " past the arena's end, where the kernel backend has mappings of its own");
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
        long start = s.at() != null ? addr(s.at()) : layout.place(align);
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
        // MAP_FIXED replaces whatever is mapped there: a range the kernel accepts (below TASK_SIZE,
        // __get_unmapped_area()) must stay in the arena
        if ((flags & MapFlag.MAP_FIXED) != 0 && Long.compareUnsigned(Geometry.pageAlign(len), Geometry.TASK_SIZE) <= 0
                && Long.compareUnsigned(start, Geometry.TASK_SIZE - Geometry.pageAlign(len)) <= 0)
            insideArena("mmap fixed", start, Geometry.pageAlign(len));
        layout.bind(s.name(), start, len);
        return Render.status(b.mmap(start, len, s.prot().bits(), flags, fileId, off));
    }

    private String mremap(MremapStmt s, Backend b) {
        long old = addr(s.addr());
        int flags = (s.maymove() ? MREMAP_MAYMOVE : 0) | (s.fixed() != null ? MREMAP_FIXED : 0)
                | (s.dontunmap() ? MREMAP_DONTUNMAP : 0);
        long target = s.fixed() != null ? addr(s.fixed()) : 0;
        // mremap_to() unmaps the new range first: one the kernel accepts must stay in the arena
        long newLen = Geometry.pageAlign(s.newSize().bytes());
        if (s.fixed() != null && Long.compareUnsigned(newLen, Geometry.TASK_SIZE) <= 0
                && Long.compareUnsigned(target, Geometry.TASK_SIZE - newLen) <= 0)
            insideArena("mremap fixed", target, newLen);
        long r = b.mremap(old, s.oldSize().bytes(), s.newSize().bytes(), flags, target);
        if (r < 0 && r > -4096) {
            if (s.as() != null) layout.unbound(s.as(), "its mremap failed with " + Render.status(r));
            return Render.status(r);
        }
        if (s.as() != null) layout.bind(s.as(), r, s.newSize().bytes());
        return r == old ? "ok" : "ok at " + layout.render(r);
    }

    private String scan(ScanStmt s, Backend b, List<String> notes) {
        long start = addr(s.addr());
        long end = start + s.size().bytes();
        if (s.rawStart() != null) start = addr(s.rawStart());
        if (s.rawEnd() != null) end = addr(s.rawEnd());
        long size = s.rawSize() != null ? s.rawSize() : dev.mmsim.core.ScanFlag.PM_SCAN_ARG_SIZE;
        long vec = s.vecAt() != null ? addr(s.vecAt()) : s.vecNull() ? 0 : 1;
        PmScanArg arg = new PmScanArg(size, s.flags(), start, end, 0, vec, s.vec(), s.max(),
                s.inverted(), s.mask(), s.anyof(), s.returnMask());
        List<TraceEvent> events = new ArrayList<>();
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
        return Render.scan(r, layout);
    }

    private List<dev.mmsim.proc.SmapsEntry> smapsRange(Addr a, Size size, Backend b) {
        if (a == null) return b.smaps(layout.arena(), layout.arenaEnd());
        long start = addr(a);
        return b.smaps(start, start + size.bytes());
    }
}
