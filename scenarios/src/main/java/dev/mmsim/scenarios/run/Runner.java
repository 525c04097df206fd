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
 * runs everything it models, under the semantics of the scenario's {@code profile} (or the
 * {@link SemanticChoice} of the command line). The kernel backend skips a scenario with
 * simulator-only statements ({@code set}), one whose semantics are not those of the host, and one
 * whose {@code requires} names a feature the host lacks.
 *
 * <p>The host's semantics are taken to be {@code newest} on the probed host profile: that is
 * what {@code mmsim check} verifies on the corpus, and the release switches that the probe cannot
 * measure (sticky flags, the fork rule, the 2026 stable fixes) leave no other bundle the kernel
 * backend could vouch for. So every {@code linux-6.N} profile, any {@code --set} that changes a
 * switch and any {@code --semantic-class} make a scenario simulator-only.
 */
public final class Runner {
    private final long arena;
    private final int timeoutSeconds;
    private final SemanticChoice choice;

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
        this.arena = arena;
        this.timeoutSeconds = timeoutSeconds;
        this.choice = choice;
    }

    /** The semantics the simulator starts the scenario with on {@code host}. */
    private Semantics semantics(Scenario scenario, HostProfile host) {
        return choice.semantics(scenario.profile(), host);
    }

    /**
     * Replays on the simulator following the given host profile. Semantics other than
     * {@code newest} are named in a {@code # semantics:} header line. A scenario that
     * {@code requires soft_dirty} runs on the host with CONFIG_MEM_SOFT_DIRTY (the header then says
     * {@code soft_dirty=on}), as one that requires swap gets a swap device: the simulator models
     * the feature even where the host lacks it.
     */
    public Transcript sim(Scenario scenario, HostProfile host) {
        if (scenario.requires().contains("soft_dirty") && !host.softDirty()) host = host.withSoftDirty(true);
        Semantics semantics = semantics(scenario, host);
        String described = semantics.isExactly(KernelProfile.newest()) ? null : semantics.describe();
        try (SimBackend sim = new SimBackend(semantics)) {
            if (host.swap() || scenario.requires().contains("swap")) sim.swapOn();
            if (scenario.requires().contains("hugetlb")) sim.hugetlbPool(HUGETLB_PAGES);
            Transcript t = Interpreter.replay(scenario, sim, arena);
            if (described != null) t.header().add("semantics: " + described);
            return t;
        }
    }

    /** Replays on the real kernel once, or returns a skipped transcript saying why not. */
    Transcript kernelOnce(Scenario scenario) {
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
        Semantics semantics = semantics(scenario, probe.host());
        if (!semantics.isExactly(KernelProfile.newest())) {
            return Interpreter.notRun(scenario, "kernel",
                    Outcome.skipped("simulator-only semantics (" + semantics.describe() + ")"));
        }
        String missing = probe.missing(scenario.requires());
        if (missing != null) return Interpreter.notRun(scenario, "kernel", Outcome.skipped("missing " + missing));
        try (KernelBackend kernel = new KernelBackend(probe, timeoutSeconds)) {
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
            return Interpreter.replay(scenario, kernel, arena);
        } catch (IOException | AgentBuild.Unavailable e) {
            return Interpreter.notRun(scenario, "kernel", Outcome.error("agent: " + e.getMessage()));
        }
    }

    /** How many times a THP scenario is replayed on the kernel when khugepaged collapsed pages meanwhile. */
    static final int KHUGEPAGED_ATTEMPTS = 3;

    /** khugepaged's count of collapsed ranges, which only khugepaged itself (not MADV_COLLAPSE) raises. */
    static final java.nio.file.Path PAGES_COLLAPSED =
            java.nio.file.Path.of("/sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed");

    /**
     * Replays on the real kernel, keeping khugepaged out of the result. khugepaged (scan every
     * 10 s on the hosts, and at once when the first address space asks for THPs) may collapse a
     * scenario's PTE-mapped 2 MiB range behind its back, which no simulator can predict. Changing
     * its sysfs knobs would change the machine for every concurrent user and need restoring on
     * every exit path; instead the replay is checked: when khugepaged's pages_collapsed counter moved
     * while a scenario that can have THPs ran, the scenario is replayed again (a collapse elsewhere
     * on the machine only costs a replay), up to {@link #KHUGEPAGED_ATTEMPTS} times; if every
     * attempt saw a collapse, the transcript says so in a {@code # khugepaged:} header line.
     */
    public Transcript kernel(Scenario scenario) {
        if (!mayHaveThp(scenario)) return kernelOnce(scenario);
        Transcript t = null;
        for (int attempt = 0; attempt < KHUGEPAGED_ATTEMPTS; attempt++) {
            long before = khugepagedCollapsed();
            t = kernelOnce(scenario);
            if (before < 0 || khugepagedCollapsed() == before) return t;
        }
        t.header().add("khugepaged: collapsed pages during each of " + KHUGEPAGED_ATTEMPTS + " attempts");
        return t;
    }

    /**
     * Whether THPs can appear in the scenario: it asks for them (madvise hugepage or collapse,
     * requires thp), or the host maps them everywhere (thp=always).
     */
    static boolean mayHaveThp(Scenario scenario) {
        if (scenario.requires().contains("thp")) return true;
        for (Step step : scenario.steps()) {
            if (step.stmt() instanceof dev.mmsim.scenarios.lang.MadviseStmt m
                    && (m.advice() == dev.mmsim.core.Madvise.HUGEPAGE || m.advice() == dev.mmsim.core.Madvise.COLLAPSE))
                return true;
        }
        try {
            return "always".equals(HostProbe.get().host().thp());
        } catch (AgentBuild.Unavailable e) {
            return false;
        }
    }

    /** khugepaged's pages_collapsed, or -1 where it cannot be read. */
    static long khugepagedCollapsed() {
        try {
            return Long.parseLong(java.nio.file.Files.readString(PAGES_COLLAPSED).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
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
