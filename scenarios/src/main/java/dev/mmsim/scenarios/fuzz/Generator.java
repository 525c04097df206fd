package dev.mmsim.scenarios.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The seeded generator of scenarios: the same seed always gives the same scenario. A scenario
 * starts with a mapping, continues with {@value #MIN_STATEMENTS} to {@value #MAX_STATEMENTS}
 * moves drawn by weight among those that apply (a few mappings in the arena, then operations and
 * observations on them, some in forked children), and ends with a last look at the state. Sizes
 * and addresses come from {@link Ranges}.
 *
 * <p>For a coverage-guided campaign ({@link Guidance}) it also mutates a kept case: it appends
 * moves to the case's statements ({@link #extend}), or rewrites one argument of one statement to a
 * boundary value and then appends a few ({@link #tweak}); the result is a new case of its own text,
 * which no seed regenerates ({@link FuzzCase#origin()} says how it was made).
 */
public final class Generator {
    static final int MIN_STATEMENTS = 4;
    static final int MAX_STATEMENTS = 24;
    /** The most moves a mutation appends. */
    static final int MAX_APPENDED = 8;
    /** A kept case this long (before its last look) is only tweaked, not extended further. */
    static final int MAX_EXTENDED = 3 * MAX_STATEMENTS;

    private final long arena;
    private final List<Move> moves;
    private final boolean swap;
    private final Set<String> leaveOut;

    /**
     * A case and the generator's state before its last look, which a mutation continues from.
     *
     * @param fuzzCase the case
     * @param body the state after its statements but before the last look (not to be changed)
     */
    public record Draft(FuzzCase fuzzCase, GenState body) {}

    /** A generator drawing the moves in ops, for mappings in the arena at arena. */
    public Generator(OpSet ops, long arena) {
        this(ops, arena, false);
    }

    /**
     * A generator whose cases page out to swap when swap is set: each case that pages out requires
     * {@code swap} (see {@link FuzzCase#swap()}); the campaign must hold a {@link CampaignSwap}.
     */
    public Generator(OpSet ops, long arena, boolean swap) {
        this(ops, arena, swap, Set.of());
    }

    /**
     * A generator whose cases leave out the statements that need a feature of {@code leaveOut}
     * (what the kernel under test lacks: guard regions on 6.12, PAGEMAP_SCAN on 6.1), so that they
     * run there rather than being skipped; the same seed gives the same case for the same set.
     */
    public Generator(OpSet ops, long arena, boolean swap, Set<String> leaveOut) {
        this.arena = arena;
        this.moves = Moves.all(this::childStatement).stream().filter(ops::enabled).toList();
        this.swap = swap;
        this.leaveOut = Set.copyOf(leaveOut);
    }

    /** Features a generator may leave out when the kernel lacks them (a mapping's hugetlb or swap stay). */
    public static final Set<String> OPTIONAL_FEATURES = Set.of("pagemap_scan", "guard_regions", "uffd_wp_async", "mseal", "ksm",
            "uprobe", "status");

    /** The scenario of this seed. */
    public FuzzCase generate(long seed) {
        return draft(seed).fuzzCase();
    }

    /** The scenario of this seed, with the state a mutation continues from. */
    public Draft draft(long seed) {
        GenState g = new GenState(seed, arena);
        MappingOps.mmap(g, null);
        for (int n = g.between(MIN_STATEMENTS, MAX_STATEMENTS); n > 0; n--) step(g, moves);
        return finish(seed, g, null);
    }

    /**
     * The parent's statements, then 1 to {@value #MAX_APPENDED} moves drawn from seed, then the last
     * look: a case that goes on from where a kept one got to.
     */
    public Draft extend(Draft parent, long seed) {
        GenState g = parent.body().copy(seed);
        int n = g.between(1, MAX_APPENDED);
        for (int i = 0; i < n; i++) step(g, moves);
        return finish(seed, g, origin(parent) + " + " + n + " move" + (n == 1 ? "" : "s"));
    }

    /**
     * The parent's statements with one size or address of one of them set to a boundary value
     * ({@link Ranges#boundarySize}, {@link Ranges#boundaryOffset}), then 0 to 3 more moves and the
     * last look; null when the statement drawn has no argument to change or the result does not
     * parse (the caller draws again or extends).
     */
    public Draft tweak(Draft parent, long seed) {
        GenState g = parent.body().copy(seed);
        if (g.lines.size() < 2) return null;
        int index = g.between(1, g.lines.size() - 1);
        String before = g.lines.get(index);
        String after = Tweak.line(g, before);
        if (after == null || after.equals(before)) return null;
        g.lines.set(index, after);
        int n = g.between(0, 3);
        for (int i = 0; i < n; i++) step(g, moves);
        Draft d = finish(seed, g, origin(parent) + ", statement " + (index + 1) + " as '" + after + "'"
                + (n == 0 ? "" : " + " + n + " move" + (n == 1 ? "" : "s")));
        try {
            d.fuzzCase().scenario();
        } catch (dev.mmsim.scenarios.lang.ScenarioSyntaxException | RuntimeException e) {
            return null;
        }
        return d;
    }

    /**
     * A mutation of parent from seed: mostly extended, sometimes tweaked (or extended if that
     * fails); a parent of {@value #MAX_EXTENDED} statements or more is only tweaked (or, if that
     * fails, the seed's own case is drawn), so that chains of extensions stay short enough to run
     * and shrink quickly.
     */
    public Draft mutate(Draft parent, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ MUTATION_SALT);
        boolean long_ = parent.body().lines.size() >= MAX_EXTENDED;
        if (long_ || rng.nextDouble() < 0.4) {
            Draft t = tweak(parent, seed);
            if (t != null) return t;
        }
        return long_ ? draft(seed) : extend(parent, seed);
    }

    /** Keeps the mutation's own draws apart from the generator's draws from the same seed. */
    static final long MUTATION_SALT = 0x6d75746174696f6eL;

    private static String origin(Draft parent) {
        FuzzCase p = parent.fuzzCase();
        return p.origin() != null ? p.origin() : "seed " + Long.toUnsignedString(p.seed());
    }

    private Draft finish(long seed, GenState body, String origin) {
        GenState end = body.copy(seed);
        Observations.finalLook(end);
        FuzzCase c = new FuzzCase(seed, new ArrayList<>(end.lines), swap, origin).leavingOut(leaveOut);
        return new Draft(c, body);
    }

    private static void step(GenState g, List<Move> from) {
        List<Move> usable = from.stream().filter(m -> m.applicable().test(g)).toList();
        double[] weights = usable.stream().mapToDouble(Move::weight).toArray();
        usable.get(g.choose(weights)).writer().accept(g);
    }

    /** One statement of a move a child may run, in a child chosen at random. */
    private void childStatement(GenState g) {
        List<String> live = g.liveChildren();
        g.child = live.get(g.rng.nextInt(live.size()));
        step(g, moves.stream().filter(Move::inChild).toList());
        g.child = null;
    }
}
