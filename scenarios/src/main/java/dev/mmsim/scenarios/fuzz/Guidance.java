package dev.mmsim.scenarios.fuzz;

import dev.mmsim.scenarios.run.Transcript;

import org.jacoco.core.data.ExecutionDataStore;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Coverage guidance, as syzkaller steers by kcov: each case's run on the simulator is measured
 * (which of JaCoCo's probes in sim-mm and sim-proc it reached, {@link ProbeSource}); a case that
 * reached a probe no earlier case did is kept in the corpus, and a share of the next cases are
 * mutations of kept ones ({@link Generator#mutate}: moves appended, an argument set to a boundary
 * value) rather than new scenarios, so that the cases grow from what reached new code toward what
 * nothing reached yet. A kept case is chosen with a weight of the probes it added.
 *
 * <p>Which case of seed S is a mutation, and of which kept case, is drawn from S; the corpus it
 * draws from depends on the cases run before it, so with one job a campaign is the same every time
 * and with more it depends on their order. A mutated case's text is self-contained (it is what a
 * mismatch file holds). Measuring takes a lock: only one simulator run is measured at a time (the
 * kernel runs are not serialized). A simulator run that is not measured meanwhile (a known gap's
 * counterfactual replay, shrinking, on another worker) may add its probes to the measured one.
 */
public final class Guidance {
    /** Keeps the mutation draw of a seed apart from the generator's draws from it. */
    private static final long SALT = 0x636f7270757321L;

    private final ProbeSource source;
    private final double mutationShare;
    private final CoverageMap seen = new CoverageMap();
    private final List<Entry> corpus = new ArrayList<>();
    private final Object measuring = new Object();
    private long mutated;

    /** A kept case and the probes it added. */
    private record Entry(Generator.Draft draft, int fresh) {}

    /**
     * @param source where the probes are read
     * @param mutationShare the share of cases (0 to 1) that mutate a kept one once the corpus has any
     */
    public Guidance(ProbeSource source, double mutationShare) {
        if (mutationShare < 0 || mutationShare > 1) throw new IllegalArgumentException("share " + mutationShare);
        this.source = source;
        this.mutationShare = mutationShare;
    }

    /** The case of seed: generated from it, or (a share of the time) a mutation of a kept case. */
    public Generator.Draft next(Generator generator, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ SALT);
        boolean mutate = rng.nextDouble() < mutationShare;
        Entry parent = null;
        synchronized (corpus) {
            if (mutate && !corpus.isEmpty()) {
                long total = 0;
                for (Entry e : corpus) total += e.fresh();
                long x = rng.nextLong(total);
                for (Entry e : corpus) {
                    x -= e.fresh();
                    if (x < 0) {
                        parent = e;
                        break;
                    }
                }
            }
        }
        if (parent == null) return generator.draft(seed);
        Generator.Draft d = generator.mutate(parent.draft(), seed);
        if (!d.fuzzCase().fromSeedAlone()) {
            synchronized (corpus) {
                mutated++;
            }
        }
        return d;
    }

    /**
     * Runs the case on the simulator (run), measuring the probes it reaches, and keeps the case
     * when they include a new one; returns the run's transcript.
     */
    public Transcript measure(Generator.Draft draft, Supplier<Transcript> run) {
        Transcript t;
        ExecutionDataStore probes;
        synchronized (measuring) {
            source.reset();
            t = run.get();
            probes = source.take();
        }
        offer(draft, probes);
        return t;
    }

    /** Keeps draft if probes has one that no earlier case reached; returns how many are new. */
    int offer(Generator.Draft draft, ExecutionDataStore probes) {
        int fresh = seen.merge(probes);
        if (fresh > 0) {
            synchronized (corpus) {
                corpus.add(new Entry(draft, fresh));
            }
        }
        return fresh;
    }

    /** How many cases are kept. */
    public int corpusSize() {
        synchronized (corpus) {
            return corpus.size();
        }
    }

    /** The kept cases, oldest first. */
    List<FuzzCase> corpus() {
        synchronized (corpus) {
            return corpus.stream().map(e -> e.draft().fuzzCase()).toList();
        }
    }

    /** How many cases were mutations of kept ones. */
    public long mutated() {
        synchronized (corpus) {
            return mutated;
        }
    }

    /** How many probes the measured runs reached together. */
    public long probesHit() {
        return seen.hit();
    }

    /** What the measured runs reached together, as execution data for a report. */
    public ExecutionDataStore reached() {
        return seen.store();
    }
}
