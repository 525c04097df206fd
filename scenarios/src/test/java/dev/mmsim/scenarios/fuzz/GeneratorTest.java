package dev.mmsim.scenarios.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.lang.Step;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Outcome;
import dev.mmsim.scenarios.run.Runner;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The generator: deterministic, valid canonical text, biased toward the edges, only modelled moves. */
class GeneratorTest {
    static final int SEEDS = 400;

    @Test
    void theSameSeedGivesTheSameScenario() {
        assertThat(Fuzzing.GENERATOR.generate(42)).isEqualTo(Fuzzing.GENERATOR.generate(42));
        assertThat(Fuzzing.GENERATOR.generate(42)).isNotEqualTo(Fuzzing.GENERATOR.generate(43));
    }

    @Test
    void everyScenarioParsesAndIsWrittenInCanonicalForm() throws Exception {
        for (long seed : Fuzzing.seeds(SEEDS).toArray()) {
            FuzzCase c = Fuzzing.GENERATOR.generate(seed);
            Scenario parsed = ScenarioParser.parse(c.name(), c.text());
            List<String> rendered = parsed.steps().stream().map(Step::render)
                    .filter(StatementShape::isOperationOrObservation).toList();
            assertThat(rendered).as(c.text()).isEqualTo(c.lines());
        }
    }

    @Test
    void everyScenarioStartsWithAMappingAndEndsWithALookAtEverything() {
        for (long seed : Fuzzing.seeds(SEEDS).toArray()) {
            List<String> lines = Fuzzing.GENERATOR.generate(seed).lines();
            assertThat(lines.get(0)).matches("(file .*|mmap A .*)");
            assertThat(lines.subList(lines.size() - 2, lines.size()))
                    .satisfiesExactly(l -> assertThat(l).isEqualTo("smaps"), l -> assertThat(l).startsWith("scan arena "));
        }
    }

    @Test
    void sizesAndOffsetsFavourTableBoundariesAndVmaEdges() {
        int aboutOneTable = 0;
        int mappings = 0;
        int justOutside = 0;
        Pattern mmapSize = Pattern.compile("mmap [A-Z] (\\S+) ");
        for (long seed : Fuzzing.seeds(SEEDS).toArray()) {
            String text = Fuzzing.GENERATOR.generate(seed).text();
            Matcher m = mmapSize.matcher(text);
            while (m.find()) {
                mappings++;
                if (m.group(1).matches("51[0-4]p|2M")) aboutOneTable++;
            }
            if (text.contains("-1p ")) justOutside++;
        }
        assertThat(aboutOneTable).as("mappings of about one PTE table").isGreaterThan(mappings / 6);
        assertThat(justOutside).as("scenarios with a range starting a page below a region").isGreaterThan(SEEDS / 20);
    }

    /**
     * Moves the simulator does not model are left out; one it models only in part still makes a few
     * scenarios unsupported.
     */
    @Test
    void byDefaultTheSimulatorRunsNearlyEveryScenario() {
        Runner simulator = new Runner(Layout.DEFAULT_ARENA, 10);
        List<String> unsupported = Fuzzing.seeds(SEEDS).mapToObj(Fuzzing.GENERATOR::generate)
                .map(c -> simulator.sim(Campaign.scenario(c), HostProfile.UPSTREAM).outcome())
                .filter(o -> o.kind() == Outcome.Kind.UNSUPPORTED).map(Outcome::render).toList();
        assertThat(unsupported).hasSizeLessThan(SEEDS / 20);
    }

    @Test
    void everyMoveIsDrawnWhenAllAreAskedFor() {
        Generator all = new Generator(OpSet.all(), Layout.DEFAULT_ARENA);
        StringBuilder text = new StringBuilder();
        for (long seed : Fuzzing.seeds(SEEDS * 5).toArray()) text.append(all.generate(seed).text());
        for (String word : List.of(" hugetlb", " growsdown", " locked", "mlock ", "munlock ", "mremap ", "fork ",
                "c1: ", "uffd_register ", "uffd_wp ", "uffd_unregister ", "uffd_close", "clear_refs ", "memfd ",
                "truncate ", "seal ", "reopen ", "process_madvise ", "trace scan ", "pagemap_raw ", "maps",
                " pageout", " collapse", " mergeable", " hugepage", " remove", " populate ", " noreserve ", "values ",
                " value ")) {
            assertThat(text).as("a statement with '%s'", word).contains(word);
        }
    }
}
