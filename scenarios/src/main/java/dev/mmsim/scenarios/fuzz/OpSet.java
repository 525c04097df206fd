package dev.mmsim.scenarios.fuzz;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.lang.ScenarioSyntaxException;
import dev.mmsim.scenarios.run.Outcome;
import dev.mmsim.scenarios.run.Runner;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which moves the generator may draw. By default only those the simulator models: a scenario with
 * one it does not model ends "unsupported" on the simulator and tests nothing. Which ones those are
 * is found by running each move's probe on the simulator, so the set grows by itself as the
 * simulator does. With every move ({@link #all()}), such scenarios are generated too and counted as
 * unsupported.
 */
public final class OpSet {
    /** What each probe runs after: one private anonymous mapping. */
    static final String PROBE_PROLOGUE = "mmap P 32p rw private anon";

    private final Set<String> enabled;
    private final List<String> unmodelled;

    private OpSet(Set<String> enabled, List<String> unmodelled) {
        this.enabled = Set.copyOf(enabled);
        this.unmodelled = List.copyOf(unmodelled);
    }

    /** Every move, modelled or not. */
    public static OpSet all() {
        Set<String> names = new LinkedHashSet<>();
        for (Move m : Moves.all(g -> { })) names.add(m.name());
        return new OpSet(names, List.of());
    }

    /** The moves the simulator of runner models on host. */
    public static OpSet modelled(Runner runner, HostProfile host) {
        Set<String> names = new LinkedHashSet<>();
        List<String> unmodelled = new ArrayList<>();
        for (Move m : Moves.all(g -> { })) {
            if (modelled(m, runner, host)) names.add(m.name());
            else unmodelled.add(m.name());
        }
        return new OpSet(names, unmodelled);
    }

    /** Whether the generator may draw m. */
    boolean enabled(Move m) {
        return enabled.contains(m.name());
    }

    /** The moves left out because the simulator does not model them, in table order. */
    public List<String> unmodelled() {
        return unmodelled;
    }

    private static boolean modelled(Move m, Runner runner, HostProfile host) {
        if (m.probe().isEmpty()) return true;
        String text = "scenario probe\n" + PROBE_PROLOGUE + "\n" + String.join("\n", m.probe()) + "\n";
        Scenario probe;
        try {
            probe = ScenarioParser.parse("probe of " + m.name(), text);
        } catch (ScenarioSyntaxException e) {
            throw new IllegalStateException("bad probe in the move table: " + e.getMessage(), e);
        }
        return runner.sim(probe, host).outcome().kind() != Outcome.Kind.UNSUPPORTED;
    }
}
