package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The inputs that once harmed the host (the reliability issue), replayed on this host's kernel:
 * each ends as a faithful result, a refusal on both backends or a timeout at its statement, and
 * the host is as it was before (swap areas, nr_hugepages, temp dirs, state files, agent processes).
 * Skipped with the reason where there is no kernel backend.
 */
class KernelHostileTest {
    private HostProbe probe;

    @BeforeEach
    void kernelBackend() {
        try {
            probe = HostProbe.get();
        } catch (AgentBuild.Unavailable e) {
            assumeTrue(false, "kernel backend unavailable: " + e.getMessage());
        }
    }

    /** A hostile scenario (after "scenario t" and its requires line) and how it must end. */
    record Hostile(String name, String requires, String body, String outcome) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * mlock() of a read-only shared file page that MADV_REMOVE dropped under a uffd-wp marker: GUP's
     * populate faults forever without looking at any signal but SIGKILL (6.18).
     */
    static final String GUP_LOOP = """
            file f 4p
            mmap A 4p r shared file f
            read A 4p
            uffd_register A 4p wp async
            uffd_wp A 4p on
            madvise A 4p remove
            mlock A 4p
            """;

    static Stream<Hostile> inputs() {
        String crash = "mmap A 1p rw private\nmadvise arena+0x100000000000 0x6ffffffff000 dontneed\n";
        String refused = "unsupported (line 4: madvise reaches outside [0xf0000000000, 0x200000000000), where the kernel"
                + " backend's process has mappings of its own: refused on both backends)";
        StringBuilder forks = new StringBuilder();
        for (int i = 0; i < 65; i++) forks.append("fork c").append(i).append('\n');
        return Stream.of(
                new Hostile("madvise over the agent's own memory, with swap on", "swap", crash, refused),
                new Hostile("madvise over the agent's own memory, with the pool grown", "hugetlb", crash, refused),
                new Hostile("a GUP loop no signal but SIGKILL ends", null, GUP_LOOP, "timeout at line 9 (mlock A 4p), 3 s"),
                new Hostile("a GUP loop with swap on", "swap", GUP_LOOP, "timeout at line 9 (mlock A 4p), 3 s"),
                new Hostile("a 1 TiB file", null, "file f 1024G => EFBIG\n", "passed"),
                new Hostile("populating 8 GiB", null, "mmap A 8G rw private noreserve\nmadvise A 8G populate_write\n",
                        "unsupported (line 4: madvise populate_write could populate more than 2 GiB in this scenario"
                                + " (its files, and what it mapped or filled), past the kernel backend's memory cap:"
                                + " refused on both backends)"),
                new Hostile("65 children", null, forks.toString(), "unsupported (line 67: fork: more than 64 forks is past"
                        + " a limit of the kernel agent: refused on both backends)"),
                new Hostile("a child name of 40 characters", null, "fork " + "c".repeat(40) + " => ok\n", "passed"),
                new Hostile("a 16 GiB pagemap read", null, "mmap A 1p rw private\npagemap A 16G\n", "passed"),
                new Hostile("a write to the end of the address space", null,
                        "mmap A 4p rw private\nwrite A 0x7fffffffffffffff => SIGSEGV at A+4p\n", "passed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void theHostIsAsBeforeAndBothBackendsAgree(Hostile h) throws Exception {
        if (h.requires() != null) {
            String missing = probe.missing(List.of(h.requires()));
            assumeTrue(missing == null, "missing " + missing);
        }
        HostState before = HostState.now();
        long agents = agentProcesses();
        Scenario s = ScenarioParser.parse("hostile.scn", "scenario t\n" + (h.requires() == null ? "\n" : "requires " + h.requires() + "\n") + h.body());
        Runner runner = new Runner(Layout.DEFAULT_ARENA, 3);
        Transcript kernel = runner.kernel(s);
        assertThat(kernel.outcome().render()).as(String.join("\n", kernel.failures())).isEqualTo(h.outcome());
        assertThat(HostState.now()).isEqualTo(before);
        assertThat(agentProcesses()).isEqualTo(agents);
        if (!h.outcome().startsWith("timeout")) {
            Transcript sim = runner.sim(s, HostProfile.parse(probe.host().render()));
            assertThat(Comparison.of(sim, kernel).verdict()).isIn(Comparison.Verdict.AGREE, Comparison.Verdict.UNSUPPORTED);
        }
    }

    /** The agent processes on this host (supervisors and workers: their command is the agent). */
    static long agentProcesses() throws Exception {
        Path agent = AgentBuild.agent().toRealPath();
        return ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.equals(agent.toString())).orElse(false)).count();
    }
}
