package dev.mmsim.scenarios.run;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.KernelProfile;
import dev.mmsim.core.SemanticChoice;
import dev.mmsim.core.Semantics;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.SetStmt;
import dev.mmsim.scenarios.lang.Step;

import java.io.IOException;

/**
 * Replays one scenario on one backend, deciding first whether it can run there. The simulator
 * runs everything it models, under the semantics of the scenario's {@code profile} line, else of
 * the kernel under test ({@link KernelTarget}: its release picks the profile,
 * {@link ReleaseProfile}), with the {@link SemanticChoice} of the command line on top. The kernel
 * backend skips a scenario with simulator-only statements ({@code set}), one whose own profile is
 * not the kernel's, and one whose {@code requires} names a feature the kernel lacks. The command
 * line's --profile, --set and --semantic-class make a scenario simulator-only too, unless the
 * kernel was named with --kernel: then they are the prototype compared with it (semantics.md,
 * "the reviewer's loop").
 */
public final class Runner {
    private final long arena;
    private final int timeoutSeconds;
    private final SemanticChoice choice;
    private final KernelTarget target;
    /** The kernel was named with --kernel: the command line's switches are a prototype to check against it. */
    private final boolean explicitKernel;

    /** The swap file the kernel backend sets up for a scenario that requires swap: 64 MiB. */
    static final long SWAP_PAGES = 16384;

    /**
     * The hugetlb pool a scenario that requires hugetlb gets, in 2 MiB pages (32 MiB): the kernel
     * backend grows the host's pool by this much for the scenario, the simulator models a pool of
     * this size. Without {@code requires hugetlb} the simulated pool is empty, as on a host with
     * {@code nr_hugepages} 0.
     */
    public static final long HUGETLB_PAGES = 16;

    public Runner(long arena, int timeoutSeconds) {
        this(arena, timeoutSeconds, SemanticChoice.NONE);
    }

    public Runner(long arena, int timeoutSeconds, SemanticChoice choice) {
        this(arena, timeoutSeconds, choice, KernelTarget.host(), false);
    }

    /**
     * A runner that checks against {@code target}; {@code explicitKernel}: the user named it with
     * {@code --kernel}, so that {@code --set} and {@code --semantic-class} are compared with it
     * instead of making every scenario simulator-only (the reviewer's loop: semantics.md).
     */
    public Runner(long arena, int timeoutSeconds, SemanticChoice choice, KernelTarget target, boolean explicitKernel) {
        this.arena = arena;
        this.timeoutSeconds = timeoutSeconds;
        this.choice = choice;
        this.target = target;
        this.explicitKernel = explicitKernel;
    }

    /** The kernel this runner checks against. */
    public KernelTarget target() {
        return target;
    }

    /**
     * The profile a scenario without a {@code profile} line gets: the one the kernel under test
     * picks (its release, {@link ReleaseProfile}), or {@code newest} where it cannot be probed.
     */
    public KernelProfile baseProfile() {
        try {
            return target.profile();
        } catch (AgentBuild.Unavailable e) {
            return KernelProfile.newest();
        }
    }

    /** The host profile to simulate: the kernel under test's probe, else upstream. */
    public HostProfile host() {
        try {
            return target.probe().host();
        } catch (AgentBuild.Unavailable e) {
            return HostProfile.UPSTREAM;
        }
    }

    /** The semantics the simulator starts the scenario with on {@code host}. */
    private Semantics semantics(Scenario scenario, HostProfile host) {
        return choice.semantics(profileOf(scenario), host);
    }

    /** The scenario's own profile line, else the kernel's. */
    private String profileOf(Scenario scenario) {
        return hasOwnProfile(scenario) ? scenario.profile() : baseProfile().name();
    }

    /** Whether the scenario names its profile (a {@code profile} line, {@code newest} included). */
    private static boolean hasOwnProfile(Scenario scenario) {
        return scenario.steps().stream().anyMatch(s -> s.stmt() instanceof dev.mmsim.scenarios.lang.ProfileStmt);
    }

    /**
     * Whether the scenario's expectations apply. They are the results of the kernel the corpus was
     * written on, this host's: a kernel in a VM (another release, the zero page, soft-dirty) may
     * rightly print others, and so may this host's kernel when its release picks another profile
     * than {@code newest}, unless the scenario names its own. Where they do not apply the transcript
     * header says so; the two backends are compared all the same.
     */
    private boolean expectationsApply(Scenario scenario) {
        if (!target.onThisHost()) return false;
        return hasOwnProfile(scenario) || baseProfile().name().equals(KernelProfile.NEWEST);
    }

    private Transcript replay(Scenario scenario, Backend backend) {
        return replay(scenario, backend, null);
    }

    private Transcript replay(Scenario scenario, Backend backend, Interpreter.Observer observer) {
        boolean check = expectationsApply(scenario);
        Transcript t = Interpreter.replay(scenario, backend, arena, check, timeoutSeconds, observer);
        if (!check) t.header().add("expectations: not checked (written for this host's kernel; checking against "
                + target.label() + ", " + baseProfile().name() + ")");
        return t;
    }

    /**
     * The semantics the scenario itself asks for: its own profile line, else the kernel's; the
     * command line's --profile, --set and --semantic-class are the prototype being compared.
     */
    private Semantics ownSemantics(Scenario scenario, HostProfile host) {
        return SemanticChoice.NONE.semantics(profileOf(scenario), host);
    }

    /**
     * Replays on the simulator following the given host profile. Semantics other than
     * {@code newest} are named in a {@code # semantics:} header line. A scenario that
     * {@code requires soft_dirty} runs on the host with CONFIG_MEM_SOFT_DIRTY (the header then says
     * {@code soft_dirty=on}), as one that requires swap gets a swap device: the simulator models
     * the feature even where the host lacks it.
     */
    public Transcript sim(Scenario scenario, HostProfile host) {
        return sim(scenario, host, null);
    }

    /** As {@link #sim(Scenario, HostProfile)}, telling {@code observer} (may be null) after each statement. */
    public Transcript sim(Scenario scenario, HostProfile host, Interpreter.Observer observer) {
        if (scenario.requires().contains("soft_dirty") && !host.softDirty()) host = host.withSoftDirty(true);
        Semantics semantics = semantics(scenario, host);
        String described = semantics.isExactly(KernelProfile.newest()) ? null : semantics.describe();
        try (SimBackend sim = new SimBackend(semantics)) {
            if (host.swap() || scenario.requires().contains("swap")) sim.swapOn();
            if (scenario.requires().contains("hugetlb")) sim.hugetlbPool(HUGETLB_PAGES);
            Transcript t = replay(scenario, sim, observer);
            if (described != null) t.header().add("semantics: " + described);
            return t;
        }
    }

    /** Replays on the real kernel once, or returns a skipped transcript saying why not. */
    Transcript kernelOnce(Scenario scenario) {
        return kernelOnce(scenario, null);
    }

    /** As {@link #kernelOnce(Scenario)}, telling {@code observer} (may be null) after each statement. */
    Transcript kernelOnce(Scenario scenario, Interpreter.Observer observer) {
        for (Step step : scenario.steps()) {
            if (step.stmt() instanceof SetStmt) {
                return Interpreter.notRun(scenario, "kernel", Outcome.skipped("simulator-only statement (set)"));
            }
        }
        HostProbe probe;
        KernelProfile kernelProfile;
        try {
            probe = target.probe();
            kernelProfile = target.profile();
        } catch (AgentBuild.Unavailable e) {
            return Interpreter.notRun(scenario, "kernel", Outcome.skipped("kernel backend unavailable: " + e.getMessage()));
        }
        Semantics semantics = explicitKernel ? ownSemantics(scenario, probe.host()) : semantics(scenario, probe.host());
        if (!semantics.isExactly(kernelProfile)) {
            return Interpreter.notRun(scenario, "kernel",
                    Outcome.skipped("simulator-only semantics (" + semantics.describe() + ")"));
        }
        String missing = probe.missing(scenario.requires());
        if (missing != null) return Interpreter.notRun(scenario, "kernel", Outcome.skipped("missing " + missing));
        // swap and the hugetlb pool are the whole host's: a scenario that uses them has it to itself
        boolean exclusive = scenario.requires().contains("swap") || scenario.requires().contains("hugetlb");
        try (HostLock.Hold turn = target.onThisHost() ? HostLock.hold(exclusive) : null;
             KernelBackend kernel = new KernelBackend(target.agent(timeoutSeconds), probe.host(), kernelProfile)) {
            if (scenario.requires().contains("swap")) {
                long r = kernel.swapOn(SWAP_PAGES);
                if (r < 0) return Interpreter.notRun(scenario, "kernel", Outcome.skipped("missing swap (swap_on: "
                        + dev.mmsim.core.Errno.nameOf(r) + ")"));
            }
            if (scenario.requires().contains("hugetlb")) {
                long r = kernel.hugetlbOn(HUGETLB_PAGES, arena, arena + Layout.ARENA_SIZE);
                if (r < 0) return Interpreter.notRun(scenario, "kernel", Outcome.skipped("missing hugetlb (hugetlb_on: "
                        + dev.mmsim.core.Errno.nameOf(r) + ")"));
            }
            boolean thp = mayHaveThp(scenario);
            long before = thp ? kernel.khugepagedCollapsed() : -1;
            Transcript t = replay(scenario, kernel, observer);
            // (after an error or a timeout the agent is gone: nothing more to ask it)
            if (before >= 0 && t.outcome().kind() != Outcome.Kind.ERROR && t.outcome().kind() != Outcome.Kind.TIMEOUT
                    && kernel.khugepagedCollapsed() != before)
                t.header().add(KHUGEPAGED_MOVED);
            return t;
        } catch (IOException | AgentBuild.Unavailable | Agent.AgentException e) {
            return Interpreter.notRun(scenario, "kernel", Outcome.error("agent: " + e.getMessage()));
        }
    }

    /** How many times a THP scenario is replayed on the kernel when khugepaged collapsed pages meanwhile. */
    static final int KHUGEPAGED_ATTEMPTS = 3;

    /** The header line of an attempt during which khugepaged collapsed pages on the kernel under test. */
    static final String KHUGEPAGED_MOVED = "khugepaged: collapsed pages during this attempt";

    /**
     * Replays on the real kernel, keeping khugepaged out of the result. khugepaged (scan every
     * 10 s on the hosts, and at once when the first address space asks for THPs) may collapse a
     * scenario's PTE-mapped 2 MiB range behind its back, which no simulator can predict. Changing
     * its sysfs knobs would change the machine for every concurrent user and need restoring on
     * every exit path; instead the replay is checked: when khugepaged's pages_collapsed counter
     * (the agent's {@code khugepaged}, read on the kernel under test, this host's or a VM's) moved
     * while a scenario that can have THPs ran, the scenario is replayed again (a collapse elsewhere
     * on the machine only costs a replay), up to {@link #KHUGEPAGED_ATTEMPTS} times; if every
     * attempt saw a collapse, the transcript keeps its {@code # khugepaged:} header line.
     */
    public Transcript kernel(Scenario scenario) {
        return kernel(scenario, () -> null);
    }

    /**
     * As {@link #kernel(Scenario)}, telling an observer after each statement: a fresh one from
     * {@code observers} for each attempt, so that the last one watched the transcript returned.
     */
    public Transcript kernel(Scenario scenario, java.util.function.Supplier<Interpreter.Observer> observers) {
        Transcript t = kernelOnce(scenario, observers.get());
        for (int attempt = 1; attempt < KHUGEPAGED_ATTEMPTS && t.header().contains(KHUGEPAGED_MOVED); attempt++) {
            t = kernelOnce(scenario, observers.get());
        }
        return t;
    }

    /**
     * Whether THPs can appear in the scenario: it asks for them (madvise hugepage or collapse,
     * requires thp), or the host maps them everywhere (thp=always).
     */
    boolean mayHaveThp(Scenario scenario) {
        if (scenario.requires().contains("thp")) return true;
        for (Step step : scenario.steps()) {
            if (step.stmt() instanceof dev.mmsim.scenarios.lang.MadviseStmt m
                    && (m.advice() == dev.mmsim.core.Madvise.HUGEPAGE || m.advice() == dev.mmsim.core.Madvise.COLLAPSE))
                return true;
        }
        try {
            return "always".equals(target.probe().host().thp());
        } catch (AgentBuild.Unavailable e) {
            return false;
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
