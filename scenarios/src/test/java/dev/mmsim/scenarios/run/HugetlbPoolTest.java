package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The kernel backend's hugetlb pool: a scenario that requires hugetlb runs with the host's pool
 * grown by {@link Runner#HUGETLB_PAGES}, and nr_hugepages is back to what it was afterwards, however
 * the agent ends (quit, end of input, SIGTERM, its timeout). Runs where the host can grow its pool
 * (root, free memory); elsewhere every test is skipped with the probe's reason.
 */
class HugetlbPoolTest {
    static final Path NR_HUGEPAGES = Path.of("/proc/sys/vm/nr_hugepages");

    @BeforeEach
    void hostCanGrowThePool() throws Exception {
        HostProbe probe;
        try {
            probe = HostProbe.get();
        } catch (AgentBuild.Unavailable e) {
            assumeTrue(false, "kernel backend unavailable: " + e.getMessage());
            return;
        }
        String missing = probe.missing(java.util.List.of("hugetlb"));
        assumeTrue(missing == null, "missing " + missing + ": " + probe.features().get("hugetlb"));
        long free = sysNumber(HUGEPAGES.resolve("free_hugepages"));
        long resv = sysNumber(HUGEPAGES.resolve("resv_hugepages"));
        assumeTrue(free == 0 && resv == 0, "the host's hugetlb pool is not empty (free " + free + ", reserved "
                + resv + "): someone else uses it, or the kernel leaked reservations (a partial mremap move"
                + " of a private hugetlb mapping does, until reboot); the agent refuses such a pool (EBUSY)");
    }

    static final Path HUGEPAGES = Path.of("/sys/kernel/mm/hugepages/hugepages-2048kB");

    static long sysNumber(Path p) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(p)) {
            return Long.parseLong(r.readLine().trim());
        }
    }

    /**
     * nr_hugepages, read in one read(2): a sysctl file answers nothing at a non-zero offset, so
     * a reader that first takes one byte (Files.readString() on a file of size 0) would see "1"
     * of "16".
     */
    static long nrHugepages() throws IOException {
        try (BufferedReader r = Files.newBufferedReader(NR_HUGEPAGES)) {
            return Long.parseLong(r.readLine().trim());
        }
    }

    @Test
    void aScenarioSeesThePoolAndTheHostGetsItsValueBack() throws Exception {
        long before = nrHugepages();
        Scenario s = ScenarioParser.parse("pool.scn", """
                scenario test/pool
                requires hugetlb
                mmap A 32M rw private hugetlb align 2M => ok
                write A 32M => ok
                mmap B 2M rw private noreserve hugetlb align 2M
                write B => SIGBUS at B
                """);
        Transcript t = new Runner(Layout.DEFAULT_ARENA, 60).kernel(s);
        assertThat(t.outcome().render()).isEqualTo("passed");
        assertThat(nrHugepages()).isEqualTo(before);
    }

    /** The agent with the pool grown by 16 pages: its pid, input and output. */
    private record Grown(Process process, Writer in, BufferedReader out) {}

    private Grown grow(String... args) throws Exception {
        long before = nrHugepages();
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(AgentBuild.agent().toString()));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long lo = Layout.DEFAULT_ARENA;
        in.write("hugetlb_on 16 0x" + Long.toHexString(lo) + " 0x" + Long.toHexString(lo + Layout.ARENA_SIZE) + "\n");
        // a page in use and a reservation: the pool must still shrink back
        in.write("mmap 0x" + Long.toHexString(lo) + " 4194304 3 " + (0x40022 | 0x100000) + " -1 0\n");
        in.write("touch w 0x" + Long.toHexString(lo) + " 4096\n");
        in.flush();
        assertThat(out.readLine()).isEqualTo("ok " + before);
        assertThat(out.readLine()).isEqualTo("ok");
        assertThat(out.readLine()).isEqualTo("ok");
        assertThat(nrHugepages()).isEqualTo(before + 16);
        return new Grown(p, in, out);
    }

    private static void ended(Grown g) throws Exception {
        assertThat(g.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void quitRestores() throws Exception {
        long before = nrHugepages();
        Grown g = grow();
        g.in().write("quit\n");
        g.in().flush();
        ended(g);
        assertThat(nrHugepages()).isEqualTo(before);
    }

    @Test
    void endOfInputRestores() throws Exception {
        long before = nrHugepages();
        Grown g = grow();
        g.in().close();
        ended(g);
        assertThat(nrHugepages()).isEqualTo(before);
    }

    @Test
    void sigtermRestores() throws Exception {
        long before = nrHugepages();
        Grown g = grow();
        g.process().destroy();
        ended(g);
        assertThat(nrHugepages()).isEqualTo(before);
    }

    @Test
    void theTimeoutRestores() throws Exception {
        long before = nrHugepages();
        Grown g = grow("--timeout", "2");
        ended(g);
        assertThat(g.process().exitValue()).isEqualTo(124);
        assertThat(nrHugepages()).isEqualTo(before);
    }

    @Test
    void aSecondGrowthIsRefused() throws Exception {
        long before = nrHugepages();
        Grown g = grow();
        g.in().write("hugetlb_on 16 0 0\n");
        g.in().flush();
        assertThat(g.out().readLine()).isEqualTo("err EBUSY");
        g.in().close();
        ended(g);
        assertThat(nrHugepages()).isEqualTo(before);
    }
}
