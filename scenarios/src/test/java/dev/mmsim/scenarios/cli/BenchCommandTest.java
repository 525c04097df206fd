package dev.mmsim.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmsim.scenarios.run.AgentBuild;
import dev.mmsim.scenarios.run.HostProbe;

import org.junit.jupiter.api.Test;

/**
 * {@code mmsim bench} runs end to end at a tiny scale (every size divided by 2000), so the command
 * cannot rot. No timing is asserted: only that every row is there and the two sides did the same
 * work.
 */
class BenchCommandTest {
    private static final String[] TINY = {"--scale", "0.0005", "--warmup", "1", "--warmup-seconds", "0", "--reps", "2"};

    private static CliTest.Run bench(String... options) {
        String[] args = new String[1 + TINY.length + options.length];
        args[0] = "bench";
        System.arraycopy(TINY, 0, args, 1, TINY.length);
        System.arraycopy(options, 0, args, 1 + TINY.length, options.length);
        return CliTest.run(args);
    }

    @Test
    void simulatorSideRunsEveryWorkload() {
        CliTest.Run r = bench("--sim-only");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("# kernel: not run (--sim-only)");
        for (String id : new String[] {"a", "b", "c", "d", "e", "f"}) assertThat(r.out()).containsPattern("(?m)^" + id + "  ");
        assertThat(r.out()).contains("PAGEMAP_SCAN mask guard").contains("B/PTE").contains("throughput: sim");
        assertThat(r.err()).contains("bench: a: ");
    }

    @Test
    void kernelSideTimesTheSameWork() {
        String unavailable = null;
        try {
            HostProbe.get();
        } catch (AgentBuild.Unavailable e) {
            unavailable = e.getMessage();
        }
        assumeTrue(unavailable == null, "kernel backend unavailable: " + unavailable);
        CliTest.Run r = bench("--json");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("\"kernel_note\":null").doesNotContain("RESULTS DIFFER")
                .contains("both: 1 regions").contains("calls returned 0");
        assertThat(r.out().split("\"kernel\":\\{\"median\":", -1)).hasSize(6);
    }

    @Test
    void jsonHasOneObjectWithEveryRow() {
        CliTest.Run r = bench("--sim-only", "--json");
        assertThat(r.status()).isZero();
        assertThat(r.out().strip()).startsWith("{\"schema_version\":2,\"command\":\"bench\",\"date\":").endsWith("]}").doesNotContain("\n");
        assertThat(r.out()).contains("\"id\":\"a\"").contains("\"id\":\"f\"").contains("\"kernel\":null")
                .contains("\"unit\":\"B/PTE\"");
    }

    @Test
    void badOptionsAreUserErrors() {
        CliTest.Run r = CliTest.run("bench", "--scale", "0");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--scale must be in (0, 4]");
        assertThat(CliTest.run("bench", "--reps", "0").status()).isEqualTo(2);
    }
}
