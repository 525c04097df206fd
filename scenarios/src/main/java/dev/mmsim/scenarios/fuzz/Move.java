package dev.mmsim.scenarios.fuzz;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One kind of statement the generator can write, such as {@code madvise guard_install} or
 * {@code mremap (move)}.
 *
 * @param name what it writes, for reports
 * @param weight how often it is drawn, relative to the other moves
 * @param probe the lines that show whether the simulator models it (run after
 *     {@link OpSet#PROBE_PROLOGUE}); empty for the statements every simulator runs
 * @param inChild whether a forked child may run it
 * @param applicable whether it can be written in the current state
 * @param writer writes it
 */
record Move(String name, double weight, List<String> probe, boolean inChild, Predicate<GenState> applicable,
        Consumer<GenState> writer) {
    /** Copies the probe. */
    Move {
        probe = List.copyOf(probe);
    }

    /** This move, applicable only where it was and also condition holds. */
    Move when(Predicate<GenState> condition) {
        return new Move(name, weight, probe, inChild, applicable.and(condition), writer);
    }

    /** A move that needs at least one region to aim at. */
    static Move onRegions(String name, double weight, List<String> probe, boolean inChild, Consumer<GenState> writer) {
        return new Move(name, weight, probe, inChild, g -> !g.regions.isEmpty(), writer);
    }
}
