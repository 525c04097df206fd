package dev.mmsim.scenarios.fuzz;

import java.util.List;
import java.util.Set;

/**
 * The seeded generator of scenarios: the same seed always gives the same scenario. A scenario
 * starts with a mapping, continues with {@value #MIN_STATEMENTS} to {@value #MAX_STATEMENTS}
 * moves drawn by weight among those that apply (a few mappings in the arena, then operations and
 * observations on them, some in forked children), and ends with a last look at the state. Sizes
 * and addresses come from {@link Ranges}.
 */
public final class Generator {
    static final int MIN_STATEMENTS = 4;
    static final int MAX_STATEMENTS = 24;

    private final long arena;
    private final List<Move> moves;
    private final boolean swap;
    private final Set<String> leaveOut;

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
    public static final Set<String> OPTIONAL_FEATURES = Set.of("pagemap_scan", "guard_regions", "uffd_wp_async");

    /** The scenario of this seed. */
    public FuzzCase generate(long seed) {
        GenState g = new GenState(seed, arena);
        MappingOps.mmap(g, null);
        for (int n = g.between(MIN_STATEMENTS, MAX_STATEMENTS); n > 0; n--) step(g, moves);
        Observations.finalLook(g);
        return new FuzzCase(seed, g.lines, swap).leavingOut(leaveOut);
    }

    private static void step(GenState g, List<Move> from) {
        List<Move> usable = from.stream().filter(m -> m.applicable().test(g)).toList();
        double[] weights = usable.stream().mapToDouble(Move::weight).toArray();
        usable.get(g.choose(weights)).writer().accept(g);
    }

    /** One statement of a move a child may run, in a child chosen at random. */
    private void childStatement(GenState g) {
        g.child = g.children.get(g.rng.nextInt(g.children.size()));
        step(g, moves.stream().filter(Move::inChild).toList());
        g.child = null;
    }
}
