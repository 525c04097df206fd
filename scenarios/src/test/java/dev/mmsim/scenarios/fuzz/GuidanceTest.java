package dev.mmsim.scenarios.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.scenarios.run.Transcript;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

import org.jacoco.core.data.ExecutionData;
import org.jacoco.core.data.ExecutionDataStore;
import org.jacoco.core.data.ExecutionDataWriter;
import org.junit.jupiter.api.Test;

/** Coverage guidance: what is kept, what is mutated, and how the agent's data is read. */
class GuidanceTest {
    /** A probe source that hands out the stores queued, as if the simulator had run. */
    static final class Queued implements ProbeSource {
        final Deque<ExecutionDataStore> runs = new ArrayDeque<>();
        int resets;

        @Override
        public void reset() {
            resets++;
        }

        @Override
        public ExecutionDataStore take() {
            return runs.removeFirst();
        }
    }

    /** Execution data of one class with these probes set (of 8). */
    static ExecutionDataStore probes(long classId, int... set) {
        boolean[] p = new boolean[8];
        for (int i : set) p[i] = true;
        ExecutionDataStore s = new ExecutionDataStore();
        s.put(new ExecutionData(classId, "dev/mmsim/mm/C" + classId, p));
        return s;
    }

    private static Transcript measured(Guidance g, Queued source, Generator.Draft d, ExecutionDataStore run) {
        source.runs.add(run);
        return g.measure(d, () -> null);
    }

    @Test
    void aCaseReachingNewProbesIsKeptAndARepeatedOneIsNot() {
        Queued source = new Queued();
        Guidance g = new Guidance(source, 0.5);
        Generator.Draft first = Fuzzing.GENERATOR.draft(1);
        Generator.Draft second = Fuzzing.GENERATOR.draft(2);
        Generator.Draft third = Fuzzing.GENERATOR.draft(3);

        measured(g, source, first, probes(7, 0, 1));
        assertThat(g.corpusSize()).isEqualTo(1);
        measured(g, source, second, probes(7, 1, 0));          // the same probes: nothing new
        assertThat(g.corpusSize()).isEqualTo(1);
        measured(g, source, third, probes(7, 1, 5));           // probe 5 is new
        assertThat(g.corpusSize()).isEqualTo(2);
        measured(g, source, second, probes(9));                // a class loaded, nothing of it run
        assertThat(g.corpusSize()).isEqualTo(2);
        assertThat(g.corpus()).containsExactly(first.fuzzCase(), third.fuzzCase());
        assertThat(g.probesHit()).isEqualTo(3);
        assertThat(source.resets).isEqualTo(4);   // each run measured from a reset
        assertThat(g.reached().get(7).getProbes()).containsExactly(true, true, false, false, false, true, false, false);
    }

    @Test
    void withoutAShareNoCaseIsMutatedAndEveryCaseIsItsSeeds() {
        Queued source = new Queued();
        Guidance g = new Guidance(source, 0);
        measured(g, source, Fuzzing.GENERATOR.draft(1), probes(7, 0));
        for (long seed = 10; seed < 60; seed++)
            assertThat(g.next(Fuzzing.GENERATOR, seed).fuzzCase()).isEqualTo(Fuzzing.GENERATOR.generate(seed));
        assertThat(g.mutated()).isZero();
    }

    @Test
    void aMutationContinuesAKeptCaseAndIsTheSameForTheSameSeedAndCorpus() {
        Queued source = new Queued();
        Guidance g = new Guidance(source, 1);
        assertThat(g.next(Fuzzing.GENERATOR, 5).fuzzCase()).isEqualTo(Fuzzing.GENERATOR.generate(5));   // nothing kept yet
        Generator.Draft parent = Fuzzing.GENERATOR.draft(1);
        measured(g, source, parent, probes(7, 0));
        int body = parent.body().lines.size();
        int tweaked = 0;
        for (long seed = 100; seed < 160; seed++) {
            FuzzCase c = g.next(Fuzzing.GENERATOR, seed).fuzzCase();
            assertThat(c).isEqualTo(g.next(Fuzzing.GENERATOR, seed).fuzzCase());
            assertThat(c.fromSeedAlone()).isFalse();
            assertThat(c.origin()).startsWith("seed 1");
            assertThat(Campaign.scenario(c)).isNotNull();   // parses
            assertThat(c.lines().get(0)).isEqualTo(parent.fuzzCase().lines().get(0));
            java.util.List<String> prefix = c.lines().subList(0, body);
            if (!prefix.equals(parent.body().lines)) {
                tweaked++;
                long differing = java.util.stream.IntStream.range(0, body)
                        .filter(i -> !prefix.get(i).equals(parent.body().lines.get(i))).count();
                assertThat(differing).as(c.origin()).isEqualTo(1);
                assertThat(c.origin()).contains("as '");
            } else {
                assertThat(c.lines().size()).isGreaterThan(parent.fuzzCase().lines().size());
            }
        }
        assertThat(tweaked).isBetween(5, 40);
        assertThat(g.mutated()).isEqualTo(120);
        // the parent's state is untouched by its mutations
        assertThat(parent.body().lines).hasSize(body);
    }

    @Test
    void theAgentsExecutionDataIsReadBack() throws IOException {
        ByteArrayOutputStream exec = new ByteArrayOutputStream();
        ExecutionDataWriter w = new ExecutionDataWriter(exec);
        probes(3, 1, 2).accept(w);
        probes(4).accept(w);
        ExecutionDataStore read = ProbeSource.parse(exec.toByteArray());
        assertThat(read.getContents()).hasSize(1);   // the writer leaves out a class none of whose probes ran
        assertThat(read.get(3).getProbes()).containsExactly(false, true, true, false, false, false, false, false);
        assertThat(read.get(3).getName()).isEqualTo("dev/mmsim/mm/C3");
    }

    @Test
    void withoutTheAgentThereIsNoProbeSource() {
        // surefire runs the tests without -javaagent
        assertThat(ProbeSource.agent()).isNull();
    }
}
