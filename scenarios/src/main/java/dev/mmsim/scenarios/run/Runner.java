package dev.mmsim.scenarios.run;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.Semantics;
import dev.mmsim.scenarios.lang.ProfileStmt;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.SetStmt;
import dev.mmsim.scenarios.lang.Step;

import java.io.IOException;

/**
 * Replays one scenario on one backend, deciding first whether it can run there: the kernel
 * backend skips scenarios with simulator-only statements and those whose {@code requires} names a
 * feature the host lacks; the simulator runs everything it models.
 */
public final class Runner {
    private final long arena;
    private final int timeoutSeconds;

    public Runner(long arena, int timeoutSeconds) {
        this.arena = arena;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Profiles whose semantics the simulator models today. */
    static boolean profileModelled(String profile) {
        return profile.equals(ProfileStmt.NEWEST) || profile.equals("linux-6.18") || profile.equals("linux-6.19");
    }

    /** Replays on the simulator following the given host profile. */
    public Transcript sim(Scenario scenario, HostProfile host) {
        if (!profileModelled(scenario.profile())) {
            return Interpreter.notRun(scenario, "sim", Outcome.unsupported("profile " + scenario.profile()));
        }
        try (SimBackend sim = new SimBackend(Semantics.newest(host))) {
            return Interpreter.replay(scenario, sim, arena);
        }
    }

    /** Replays on the real kernel, or returns a skipped transcript saying why not. */
    public Transcript kernel(Scenario scenario) {
        for (Step step : scenario.steps()) {
            if (step.stmt() instanceof SetStmt) {
                return Interpreter.notRun(scenario, "kernel", Outcome.skipped("simulator-only statement (set)"));
            }
        }
        HostProbe probe;
        try {
            probe = HostProbe.get();
        } catch (AgentBuild.Unavailable e) {
            return Interpreter.notRun(scenario, "kernel", Outcome.skipped("kernel backend unavailable: " + e.getMessage()));
        }
        String missing = probe.missing(scenario.requires());
        if (missing != null) return Interpreter.notRun(scenario, "kernel", Outcome.skipped("missing " + missing));
        try (KernelBackend kernel = new KernelBackend(probe, timeoutSeconds)) {
            return Interpreter.replay(scenario, kernel, arena);
        } catch (IOException | AgentBuild.Unavailable e) {
            return Interpreter.notRun(scenario, "kernel", Outcome.error("agent: " + e.getMessage()));
        }
    }

    /** The host profile to simulate: the probed one when the kernel backend works, else upstream. */
    public static HostProfile defaultHost() {
        try {
            return HostProbe.get().host();
        } catch (AgentBuild.Unavailable e) {
            return HostProfile.UPSTREAM;
        }
    }
}
