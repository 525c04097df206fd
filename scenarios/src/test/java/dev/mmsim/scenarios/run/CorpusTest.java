package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every corpus scenario, replayed on the simulator (following this host's profile when the kernel
 * backend can probe it) with its expectations checked; and, where this host allows, replayed on
 * the real kernel and compared line by line with the simulator. A scenario the simulator does not
 * model yet, or that the kernel backend skips, is reported as skipped (aborted) with the reason,
 * never as passed.
 */
class CorpusTest {
    static final Runner RUNNER = new Runner(Layout.DEFAULT_ARENA, 60);

    static List<Path> corpus() {
        List<Path> files = Corpus.files(List.of(Corpus.builtin()));
        assertThat(files).as("corpus under " + Corpus.builtin()).isNotEmpty();
        return files;
    }

    static String name(Path p) {
        return Corpus.builtin().relativize(p).toString();
    }

    /**
     * Expectations must hold on any host, so each scenario is simulated under this host's profile
     * with the zero page both on and off; results that depend on it carry no expectation and are
     * checked by the comparison with the kernel instead.
     */
    @TestFactory
    Stream<DynamicContainer> simulatorMeetsEveryExpectation() {
        HostProfile here = Runner.defaultHost();
        return Stream.of(true, false).map(zero -> {
            HostProfile host = new HostProfile(here.kernel(), zero, here.thp(), here.swap(), here.hugetlb(), here.softDirty());
            return DynamicContainer.dynamicContainer("zero_page=" + (zero ? "on" : "off"),
                    corpus().stream().map(p -> DynamicTest.dynamicTest(name(p), () -> {
                        Scenario s = ScenarioParser.parse(p);
                        Transcript t = RUNNER.sim(s, host);
                        Assumptions.assumeTrue(t.outcome().kind() != Outcome.Kind.UNSUPPORTED, t.outcome().render());
                        assertThat(t.failures()).as(t.render()).isEmpty();
                        assertThat(t.outcome()).as(t.render()).isEqualTo(Outcome.PASSED);
                    })));
        });
    }

    /**
     * scenarios/destructive: scenarios that change the host for good (its README says how), checked
     * on the simulator only, with the zero page on and off.
     */
    @TestFactory
    Stream<DynamicTest> destructiveScenariosMeetTheirExpectationsOnTheSimulator() {
        Path dir = Corpus.builtin().resolveSibling("destructive");
        List<Path> files = Corpus.files(List.of(dir));
        assertThat(files).as("scenarios under " + dir).isNotEmpty();
        HostProfile here = Runner.defaultHost();
        return files.stream().flatMap(p -> Stream.of(true, false).map(zero -> DynamicTest.dynamicTest(
                dir.relativize(p) + " zero_page=" + (zero ? "on" : "off"), () -> {
                    HostProfile host = new HostProfile(here.kernel(), zero, here.thp(), here.swap(), here.hugetlb(),
                            here.softDirty());
                    Transcript t = RUNNER.sim(ScenarioParser.parse(p), host);
                    assertThat(t.failures()).as(t.render()).isEmpty();
                    assertThat(t.outcome()).as(t.render()).isEqualTo(Outcome.PASSED);
                })));
    }

    @TestFactory
    Stream<DynamicTest> simulatorAgreesWithTheKernel() {
        return corpus().stream().map(p -> DynamicTest.dynamicTest(name(p), () -> {
            HostProbe probe;
            try {
                probe = HostProbe.get();
            } catch (AgentBuild.Unavailable e) {
                Assumptions.abort("kernel backend unavailable: " + e.getMessage());
                return;
            }
            Scenario s = ScenarioParser.parse(p);
            Transcript kernel = RUNNER.kernel(s);
            Transcript sim = RUNNER.sim(s, probe.host());
            Comparison c = Comparison.of(sim, kernel);
            Assumptions.assumeTrue(c.verdict() != Comparison.Verdict.SKIPPED, c.explain());
            Assumptions.assumeTrue(c.verdict() != Comparison.Verdict.UNSUPPORTED, c.explain());
            assertThat(c.verdict()).as(c.explain()).isEqualTo(Comparison.Verdict.AGREE);
            assertThat(kernel.failures()).as(kernel.render()).isEmpty();
        }));
    }
}
