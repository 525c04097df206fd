package dev.mmsim.scenarios.bench;

import dev.mmsim.core.Geometry;
import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Madvise;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.PageCategory;
import dev.mmsim.proc.PmScanArg;
import dev.mmsim.scenarios.run.Agent;
import dev.mmsim.scenarios.run.AgentBuild;
import dev.mmsim.scenarios.run.HostProbe;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.lang.ScenarioSyntaxException;
import dev.mmsim.scenarios.run.Corpus;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * {@code mmsim bench}: the simulator and this host's kernel side by side on the same layouts.
 * Every workload builds its layout through {@link BenchTarget} on a fresh simulated mm and in the
 * agent's address space, measures, and tears the layout down again:
 * <ul>
 * <li>(a) PAGEMAP_SCAN returning every category over 1 GiB of populated anonymous memory;
 * <li>(b) the same scan over 64 GiB reserved with MAP_NORESERVE, one populated page per 2 MiB;
 * <li>(c) a guard scan (category_mask PAGE_IS_GUARD) over 1 TiB reserved, with 4096 guard regions
 *     of 1 to 8 pages scattered over it;
 * <li>(d) the {@link OpMix} of mmap, mprotect and madvise calls;
 * <li>(e) the simulator's retained heap per populated PTE at 16 M PTEs ({@link HeapFootprint});
 * <li>(f) populating the 1 GiB of (a) with MADV_POPULATE_WRITE after MADV_DONTNEED;
 * <li>(g) the simulator alone: the whole built-in corpus replayed, warm (every scenario parsed
 *     once, then replayed as {@code mmsim replay} replays it).
 * </ul>
 * Each timed workload first runs one probing repetition, then its warm-up repetitions (at least
 * the minimum count, and enough of them to last the minimum warm-up time, so that the JIT has
 * compiled the simulator's paths even where one repetition takes a millisecond), then its timed
 * ones; the table shows medians and the spread. {@code scale} multiplies every size, so a test can run the whole bench in
 * moments. The two sides' results (regions returned, walk_end, VMAs left) are compared, so a
 * table row always times the same work on both sides.
 */
public final class Bench {
    private Bench() {}

    /**
     * @param scale          multiplies every size (1 = the sizes above)
     * @param warmup         the least number of untimed repetitions before the timed ones
     * @param warmupSeconds  the least time those repetitions take, on each side
     * @param reps           timed repetitions
     * @param kernel         run the kernel side (when the agent is available)
     * @param timeoutSeconds the agent's time limit for the whole run
     */
    public record Options(double scale, int warmup, double warmupSeconds, int reps, boolean kernel, int timeoutSeconds) {}

    /** Sizes of the workloads at one scale; every length is a multiple of 2 MiB. */
    public record Sizes(long populated, long sparse, long guarded, int guardRegions, int ops, long heapPtes) {
        static Sizes of(double scale) {
            long guarded = pmds(gib(1024) * scale);
            int regions = (int) Math.max(1, Math.min(Math.round(4096 * scale), guarded / GUARD_SLOT_MIN));
            return new Sizes(pmds(gib(1) * scale), pmds(gib(64) * scale), guarded, regions,
                    (int) Math.max(100, Math.round(200_000 * scale)),
                    Math.max(Geometry.PTRS_PER_TABLE, Math.round(16 * (1 << 20) * scale / 512) * 512));
        }

        private static long gib(long n) {
            return n << 30;
        }

        /** Rounded to whole 2 MiB blocks, at least one. */
        private static long pmds(double bytes) {
            return Math.max(1, Math.round(bytes / Geometry.PMD_SIZE)) * Geometry.PMD_SIZE;
        }
    }

    /** Where every layout is mapped, on both sides: the scenario arena, 1 TiB aligned. */
    static final long BASE = Layout.DEFAULT_ARENA;
    /** The op mix's region: 16384 pages. */
    static final long OP_REGION = 64L << 20;
    /** Seed of the op mix and of the guard-region placement. */
    static final long SEED = 0x6d6d73696dL;
    /** Each guard region gets a slot of at least this many bytes (32 pages) to itself. */
    private static final long GUARD_SLOT_MIN = 32 * Geometry.PAGE_SIZE;
    private static final double NS_PER_MS = 1e6;
    /** The most warm-up repetitions (the agent's limit). */
    private static final int MAX_WARMUP = 1000;

    /** What one side did in one workload: its raw samples and a summary of its result to compare. */
    private record Outcome(long[] samples, String result) {}

    /** One workload on one side: build the layout, probe, warm up, time, tear down. */
    @FunctionalInterface
    private interface Workload {
        Outcome run(BenchTarget target, Repetitions r);
    }

    /** How often a workload repeats: the warm-up policy of {@link Options} and the timed count. */
    private record Repetitions(int minWarmup, double minWarmupSeconds, int timed) {
        /** Warm-up repetitions, given how long one (probing) repetition took. */
        int warmupAfter(long probeNanos) {
            double byTime = Math.ceil(minWarmupSeconds * 1e9 / Math.max(1, probeNanos));
            return (int) Math.min(MAX_WARMUP, Math.max(minWarmup, byTime));
        }
    }

    /** Judges a row's target from the two measurements; null when it cannot be judged. */
    @FunctionalInterface
    private interface Judge {
        Boolean met(Stat sim, Stat kernel);
    }

    /**
     * Runs every workload and returns the table. progress receives one line per step (for stderr).
     * The kernel side is skipped, with the reason in the report, when the agent is unavailable.
     */
    public static BenchReport run(Options o, Consumer<String> progress) {
        Sizes s = Sizes.of(o.scale());
        String load = loadAverage();
        Session session = new Session(o, progress);
        try {
            Judge denseTarget = (sim, kernel) -> kernel == null ? null : sim.median() <= 0.1 * kernel.median();
            Judge scanTarget = (sim, kernel) -> kernel == null ? null : sim.median() <= 0.5 * kernel.median();
            session.timed("a", "PAGEMAP_SCAN all categories, " + size(s.populated()) + " populated anon", "ms",
                    NS_PER_MS, "sim/kernel <= 0.1", denseTarget,
                    scanLayout(s.populated(), MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS, Geometry.PAGE_SIZE,
                            List.of(), allCategories(s.populated(), 1)));
            session.timed("b", "PAGEMAP_SCAN all categories, " + size(s.sparse()) + " reserved, 1 page per 2 MiB",
                    "ms", NS_PER_MS, "sim/kernel <= 0.5", scanTarget,
                    scanLayout(s.sparse(), OpMix.MAP_FLAGS, Geometry.PMD_SIZE, List.of(),
                            allCategories(s.sparse(), 2 * (s.sparse() / Geometry.PMD_SIZE) + 1)));
            List<long[]> guards = guardRegions(s.guarded(), s.guardRegions());
            session.timed("c", "PAGEMAP_SCAN mask guard, " + size(s.guarded()) + " reserved, " + s.guardRegions()
                    + " guard regions", "ms", NS_PER_MS, "sim/kernel <= 0.5", scanTarget,
                    scanLayout(s.guarded(), OpMix.MAP_FLAGS, 0, guards,
                            allCategories(s.guarded(), 2L * guards.size() + 1)
                                    .withMasks(0, PageCategory.PAGE_IS_GUARD.mask(), 0, PageCategory.PM_SCAN_CATEGORIES)));
            session.timed("d", "op mix: mmap/mprotect/madvise, " + s.ops() + " ops in " + size(OP_REGION), "ns/op",
                    s.ops(), "sim >= 10x kernel ops/s", (sim, kernel) -> kernel == null ? null : sim.median() * 10 <= kernel.median(),
                    opMix(s.ops()));
            session.heap("e", s.heapPtes());
            session.timed("f", "MADV_POPULATE_WRITE " + size(s.populated()) + " anon after MADV_DONTNEED", "ms",
                    NS_PER_MS, null, (sim, kernel) -> null, faultIn(s.populated()));
            session.corpus("g");
        } finally {
            session.closeKernel();
        }
        return new BenchReport(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), session.host.render(),
                Runtime.getRuntime().availableProcessors(), load, Runtime.version().toString(), o, s, session.kernelNote,
                List.copyOf(session.rows));
    }

    /** The state of one bench run: the host, the agent while it works, and the rows so far. */
    private static final class Session {
        final Options options;
        final Consumer<String> progress;
        final Repetitions repetitions;
        final List<Row> rows = new ArrayList<>();
        HostProfile host = HostProfile.UPSTREAM;
        AgentTarget kernel;
        /** The bench's turn on this host's kernel (shared: it uses neither swap nor the pool). */
        dev.mmsim.scenarios.run.HostLock.Hold hostTurn;
        /** Why the kernel side is not run (any more), or null. */
        String kernelNote;

        Session(Options options, Consumer<String> progress) {
            this.options = options;
            this.progress = progress;
            this.repetitions = new Repetitions(options.warmup(), options.warmupSeconds(), options.reps());
            if (!options.kernel()) {
                kernelNote = "not run (--sim-only)";
                return;
            }
            try {
                host = HostProbe.get().host();
                java.nio.file.Path binary = AgentBuild.agent();
                hostTurn = dev.mmsim.scenarios.run.HostLock.hold(false);
                kernel = new AgentTarget(Agent.local(binary, options.timeoutSeconds()));
            } catch (AgentBuild.Unavailable | IOException e) {
                kernelNote = "kernel backend unavailable: " + e.getMessage();
            }
        }

        /** Runs a timed workload on both sides and adds its row; samples are divided by divisor. */
        void timed(String id, String title, String unit, double divisor, String target, Judge judge, Workload w) {
            progress.accept(id + ": " + title + " (sim)");
            Outcome sim;
            try (SimTarget t = new SimTarget(host)) {
                sim = w.run(t, repetitions);
            }
            Outcome k = null;
            String note = kernelNote;
            if (kernel != null) {
                progress.accept(id + ": " + title + " (kernel)");
                try {
                    k = w.run(kernel, repetitions);
                } catch (BenchTarget.BenchException e) {
                    note = e.getMessage();
                } catch (Agent.AgentException e) {
                    kernelNote = note = "agent failed: " + e.getMessage();
                    closeKernel();
                }
            }
            List<String> notes = new ArrayList<>();
            if (k == null) notes.add("sim: " + sim.result());
            else if (k.result().equals(sim.result())) notes.add("both: " + sim.result());
            else notes.add("RESULTS DIFFER: sim " + sim.result() + "; kernel " + k.result());
            Stat simStat = Stat.of(sim.samples(), divisor);
            Stat kernelStat = k == null ? null : Stat.of(k.samples(), divisor);
            if (unit.equals("ns/op")) {
                notes.add(String.format("throughput: sim %.2f M ops/s", 1e3 / simStat.median())
                        + (kernelStat == null ? "" : String.format(", kernel %.2f M ops/s", 1e3 / kernelStat.median())));
            }
            rows.add(new Row(id, title, unit, simStat, kernelStat, k == null ? note : null, target,
                    judge.met(simStat, kernelStat), List.copyOf(notes)));
        }

        /** Row (e): the simulator's heap per populated PTE; the kernel has no counterpart measurement. */
        void heap(String id, long ptes) {
            String title = "sim heap per populated PTE, " + ptes + " PTEs";
            progress.accept(id + ": " + title);
            HeapFootprint.Result h = HeapFootprint.measure(host, BASE, ptes);
            List<String> notes = List.of(
                    String.format("retained heap (used heap after System.gc(), delta): %d bytes", h.retainedBytes()),
                    String.format("PTE-table entries (counted, %d tables x 4096 B): %.2f B/PTE",
                            h.pteEntryBytes() / 4096, h.pteEntryBytesPerPte()),
                    String.format("frame table, VMA, mm and array headers (difference): %.2f B/PTE",
                            h.bytesPerPte() - h.pteEntryBytesPerPte()));
            rows.add(new Row(id, title, "B/PTE", Stat.single(h.bytesPerPte()), null, "no kernel counterpart", "<= 10",
                    h.bytesPerPte() <= 10, notes));
        }

        /**
         * Row (g): the whole corpus replayed on the simulator, warm. Not scaled; the kernel side
         * has no counterpart here (its replay is dominated by the agent's round trips).
         */
        void corpus(String id) {
            List<Scenario> scenarios = new ArrayList<>();
            try {
                for (Path f : Corpus.files(List.of(Corpus.builtin()))) scenarios.add(ScenarioParser.parse(f));
            } catch (IOException | ScenarioSyntaxException e) {
                rows.add(new Row(id, "whole corpus replayed on the simulator, warm", "ms", Stat.single(0), null,
                        "not run: " + e.getMessage(), "< 1 s", null, List.of()));
                return;
            }
            String title = "whole corpus (" + scenarios.size() + " scenarios) replayed on the simulator, warm";
            progress.accept(id + ": " + title);
            Runner runner = new Runner(Layout.DEFAULT_ARENA, options.timeoutSeconds());
            int[] passed = new int[1];
            long probe = replayCorpus(runner, scenarios, passed);
            int warmup = repetitions.warmupAfter(probe);
            for (int i = 0; i < warmup; i++) replayCorpus(runner, scenarios, passed);
            System.gc();
            long[] nanos = new long[repetitions.timed()];
            for (int i = 0; i < nanos.length; i++) nanos[i] = replayCorpus(runner, scenarios, passed);
            Stat stat = Stat.of(nanos, NS_PER_MS);
            rows.add(new Row(id, title, "ms", stat, null, "no kernel counterpart", "< 1 s", stat.median() < 1000,
                    List.of("sim: " + passed[0] + " of " + scenarios.size() + " scenarios passed")));
        }

        /** One replay of every scenario; passed receives how many passed. Returns the nanoseconds it took. */
        private long replayCorpus(Runner runner, List<Scenario> scenarios, int[] passed) {
            int ok = 0;
            long t0 = System.nanoTime();
            for (Scenario sc : scenarios) {
                if (runner.sim(sc, host).outcome().kind() == dev.mmsim.scenarios.run.Outcome.Kind.PASSED) ok++;
            }
            long t = System.nanoTime() - t0;
            passed[0] = ok;
            return t;
        }

        void closeKernel() {
            if (kernel != null) kernel.close();
            kernel = null;
            if (hostTurn != null) hostTurn.close();
            hostTurn = null;
        }
    }

    /** A PAGEMAP_SCAN argument over [BASE, BASE + len) returning every category into vecLen regions. */
    private static PmScanArg allCategories(long len, long vecLen) {
        return PmScanArg.of(BASE, BASE + len, vecLen);
    }

    /**
     * A scan workload: map len bytes at BASE with flags, populate one page per stride (0: none),
     * install the guard regions ({address, length} pairs), then time the scan.
     */
    private static Workload scanLayout(long len, int flags, long stride, List<long[]> guards, PmScanArg scan) {
        return (t, r) -> {
            t.mmap(BASE, len, flags);
            if (stride > 0) t.populate(BASE, len, stride);
            for (long[] g : guards) t.madvise(g[0], g[1], Madvise.GUARD_INSTALL);
            long probe = t.timeScan(scan, 0, 1).nanos()[0];
            BenchTarget.ScanTiming st = t.timeScan(scan, r.warmupAfter(probe), r.timed());
            t.munmap(BASE, len);
            String walkEnd = st.walkEnd() == scan.end() ? "end" : String.format("0x%x", st.walkEnd());
            return new Outcome(st.nanos(), st.ret() + " regions, walk_end " + walkEnd);
        };
    }

    /** Workload (d): the op mix; its result is how many calls succeeded and the VMAs left. */
    private static Workload opMix(int ops) {
        return (t, r) -> {
            long probe = t.timeOps(BASE, OP_REGION, SEED, ops, 0, 1).nanos()[0];
            BenchTarget.OpsTiming ot = t.timeOps(BASE, OP_REGION, SEED, ops, r.warmupAfter(probe), r.timed());
            int vmas = t.vmaCount(BASE, BASE + OP_REGION);
            t.munmap(BASE, OP_REGION);
            return new Outcome(ot.nanos(), ot.succeeded() + " of " + ops + " calls returned 0, " + vmas
                    + " VMAs left");
        };
    }

    /** Workload (f): drop every page of a populated mapping, then time populating it again. */
    private static Workload faultIn(long len) {
        return (t, r) -> {
            t.mmap(BASE, len, MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS);
            int warmup = r.warmupAfter(t.populate(BASE, len, Geometry.PAGE_SIZE));
            long[] nanos = new long[r.timed()];
            for (int i = 0; i < warmup + r.timed(); i++) {
                t.madvise(BASE, len, Madvise.DONTNEED);
                long ns = t.populate(BASE, len, Geometry.PAGE_SIZE);
                if (i >= warmup) nanos[i - warmup] = ns;
            }
            t.munmap(BASE, len);
            return new Outcome(nanos, (len >>> Geometry.PAGE_SHIFT) + " pages populated");
        };
    }

    /**
     * count guard regions of 1 to 8 pages over [BASE, BASE + len): region i lies at a seeded
     * random page of the i-th of count equal slots, so regions never touch each other.
     */
    static List<long[]> guardRegions(long len, int count) {
        SplittableRandom random = new SplittableRandom(SEED);
        long slotPages = (len / count) >>> Geometry.PAGE_SHIFT;
        List<long[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long pages = 1 + random.nextInt(8);
            long page = i * slotPages + random.nextLong(slotPages - pages);
            out.add(new long[] {BASE + (page << Geometry.PAGE_SHIFT), pages << Geometry.PAGE_SHIFT});
        }
        return out;
    }

    /** "1 GiB", "64 GiB", "1 TiB", "10.2 GiB": the largest binary unit, one decimal when not whole. */
    static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (u < units.length - 1 && bytes >= 1L << (10 * (u + 1))) u++;
        long unit = 1L << (10 * u);
        return bytes % unit == 0 ? bytes / unit + " " + units[u]
                : String.format(Locale.ROOT, "%.1f %s", (double) bytes / unit, units[u]);
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg, or null where there is none. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f.length >= 3 ? f[0] + " " + f[1] + " " + f[2] : null;
        } catch (IOException e) {
            return null;
        }
    }
}
