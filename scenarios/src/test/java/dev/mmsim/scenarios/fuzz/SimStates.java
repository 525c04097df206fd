package dev.mmsim.scenarios.fuzz;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Semantics;
import dev.mmsim.mm.Mm;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.Step;
import dev.mmsim.scenarios.run.Interpreter;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.SimBackend;

import java.util.ArrayList;
import java.util.List;

/** The simulated mm after each statement of a fuzz case, for property tests: one replay per prefix. */
final class SimStates {
    /**
     * The state after one statement.
     *
     * @param step the statement just run
     * @param mm the parent's mm after it
     */
    record State(Step step, Mm mm) {}

    private SimStates() {}

    /** The states after each operation or observation of the case, in order. */
    static List<State> after(FuzzCase c, HostProfile host) {
        Scenario full = Campaign.scenario(c);
        List<State> states = new ArrayList<>();
        for (int k = 1; k <= full.steps().size(); k++) {
            Step last = full.steps().get(k - 1);
            if (!StatementShape.isOperationOrObservation(last.render())) continue;
            Scenario prefix = new Scenario(null, full.name(), null, full.requires(), full.profile(),
                    full.steps().subList(0, k));
            try (SimBackend sim = new SimBackend(Semantics.newest(host))) {
                Interpreter.replay(prefix, sim, Layout.DEFAULT_ARENA);
                states.add(new State(last, sim.mm()));
            }
        }
        return states;
    }
}
