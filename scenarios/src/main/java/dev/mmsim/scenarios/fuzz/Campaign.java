package dev.mmsim.scenarios.fuzz;

import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioSyntaxException;
import dev.mmsim.scenarios.run.Comparison;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A differential fuzzing campaign: scenarios {@code seed}, {@code seed+1}, ... generated and
 * compared on the simulator and the kernel by {@code jobs} workers, each with its own
 * {@link DifferentialRunner}, until {@code count} scenarios ran or the time is up. A mismatch that
 * {@link KnownGaps} explain is counted under the gap that explained it. The first scenario to show
 * an unexplained mismatch (without the statements of any gap that explained part of it) is
 * replayed once more (a mismatch that does not reproduce is reported as such), shrunk to a minimal
 * scenario with the same {@link Signature} that no known gap explains either, and written to
 * {@code out}; later scenarios with the same signature are only counted.
 */
public final class Campaign {
    /**
     * What to run.
     *
     * @param seed the first seed
     * @param count how many scenarios at most
     * @param jobs how many workers
     * @param time how long at most (workers start no scenario after it), or null for no limit
     * @param out where minimal scenarios are written
     * @param regenerate the command line that regenerates a seed's scenario, with {@code SEED} in it
     */
    public record Settings(long seed, long count, int jobs, Duration time, Path out, String regenerate) {}

    private final Settings settings;
    private final Generator generator;
    private final KnownGaps gaps;
    private final Supplier<DifferentialRunner> runners;
    private final Guidance guidance;
    private final CampaignStats stats = new CampaignStats();
    private final Set<Signature> claimed = ConcurrentHashMap.newKeySet();
    private final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());

    public Campaign(Settings settings, Generator generator, KnownGaps gaps, Supplier<DifferentialRunner> runners) {
        this(settings, generator, gaps, runners, null);
    }

    /**
     * A campaign measuring each case's simulator run with guidance (null: none), which keeps the
     * cases that reach new code and has a share of the cases mutate them.
     */
    public Campaign(Settings settings, Generator generator, KnownGaps gaps, Supplier<DifferentialRunner> runners,
            Guidance guidance) {
        this.settings = settings;
        this.generator = generator;
        this.gaps = gaps;
        this.runners = runners;
        this.guidance = guidance;
    }

    /** The campaign's guidance, or null. */
    public Guidance guidance() {
        return guidance;
    }

    /** The counts, live while the campaign runs. */
    public CampaignStats stats() {
        return stats;
    }

    /** The unexplained mismatches found, shrunk, in the order they were found. */
    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    /** Runs the campaign on settings.jobs() threads and returns when all are done. */
    public void run() throws InterruptedException {
        AtomicLong next = new AtomicLong();
        long deadline = settings.time() == null ? Long.MAX_VALUE : System.nanoTime() + settings.time().toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(settings.jobs());
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int j = 0; j < settings.jobs(); j++) workers.add(pool.submit(() -> work(next, deadline)));
            for (Future<?> w : workers) w.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a fuzzing worker failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private void work(AtomicLong next, long deadline) {
        try (DifferentialRunner runner = runners.get()) {
            for (long i = next.getAndIncrement(); i < settings.count() && System.nanoTime() < deadline;
                    i = next.getAndIncrement()) {
                long seed = settings.seed() + i;
                try {
                    if (guidance == null) {
                        FuzzCase c = generator.generate(seed);
                        record(runner, c, runner.compare(scenario(c)));
                    } else {
                        Generator.Draft d = guidance.next(generator, seed);
                        Scenario s = scenario(d.fuzzCase());
                        record(runner, d.fuzzCase(), runner.compare(s, guidance.measure(d, () -> runner.simulate(s))));
                    }
                } catch (RuntimeException e) {
                    stats.error(seed, "internal error: " + e);
                }
            }
        }
    }

    private void record(DifferentialRunner runner, FuzzCase c, Comparison comparison) {
        switch (comparison.verdict()) {
            case AGREE -> stats.agreed();
            // counted by reason, wherever in the case: "line 12: madvise reaches outside ..." as "madvise reaches ..."
            case UNSUPPORTED -> stats.unsupported(comparison.sim().outcome().reason().replaceFirst("^line \\d+: ", ""));
            case SKIPPED -> stats.skipped(comparison.kernel().outcome().reason());
            case ERROR, TIMEOUT -> stats.error(c.seed(), comparison.explain());
            case DIFFER -> mismatch(runner, Mismatch.of(c, comparison));
        }
    }

    private void mismatch(DifferentialRunner runner, Mismatch m) {
        KnownGaps.Explanation e = gaps.explain(runner, m);
        if (e.rest() == null) {
            stats.explained(e.gaps().get(0).name());
            return;
        }
        stats.unexplained(e.rest().signature());
        if (claimed.add(e.rest().signature())) findings.add(shrink(runner, e.rest(), e.gaps()));
    }

    /** Confirms the mismatch, shrinks it and writes the minimal scenario. */
    private Finding shrink(DifferentialRunner runner, Mismatch m, List<KnownGap> explainedFirst) {
        Signature signature = m.signature();
        boolean reproducible = shows(runner, m.fuzzCase(), signature);
        FuzzCase minimal = reproducible
                ? new Shrinker(c -> stillUnexplained(runner, c, signature)).shrink(m.fuzzCase()) : m.fuzzCase();
        Comparison c = reproducible ? runner.compare(scenario(minimal)) : m.comparison();
        String regenerate = settings.regenerate().replace("SEED", Long.toUnsignedString(minimal.seed()));
        try {
            Path file = MismatchFile.write(settings.out(), minimal, c, reproducible, regenerate, explainedFirst,
                    m.fuzzCase());
            return new Finding(signature, minimal.seed(), minimal, reproducible, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the case differs with this signature, and no known gap explains that. */
    private boolean stillUnexplained(DifferentialRunner runner, FuzzCase c, Signature signature) {
        Comparison again = runner.compare(scenario(c));
        if (again.verdict() != Comparison.Verdict.DIFFER || !Signature.of(again).equals(signature)) return false;
        Mismatch rest = gaps.explain(runner, Mismatch.of(c, again)).rest();
        return rest != null && rest.signature().equals(signature);
    }

    /** Whether the case still differs with this signature. */
    static boolean shows(DifferentialRunner runner, FuzzCase c, Signature signature) {
        Comparison again = runner.compare(scenario(c));
        return again.verdict() == Comparison.Verdict.DIFFER && Signature.of(again).equals(signature);
    }

    /** The parsed scenario; generated and shrunk cases always parse. */
    static Scenario scenario(FuzzCase c) {
        try {
            return c.scenario();
        } catch (ScenarioSyntaxException e) {
            throw new IllegalStateException("a fuzz case does not parse:\n" + c.text() + e.getMessage(), e);
        }
    }
}
