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

    /** How many of SEEDS scenarios have a line matching the pattern. */
    private static long scenariosWith(String regex) {
        Pattern p = Pattern.compile(regex, Pattern.MULTILINE);
        return Fuzzing.seeds(SEEDS).filter(seed -> p.matcher(Fuzzing.GENERATOR.generate(seed).text()).find()).count();
    }

    @Test
    void boundaryArgumentsAreDrawn() {
        // lengths to TASK_SIZE_MAX or past it, 2^47, and the largest below 2^63 (2^63 - 1 is unaligned)
        assertThat(scenariosWith(" (\\d{8,}p|128T|131072G|9223372036854775807|2147483647G)( |$)")).as("huge lengths")
                .isGreaterThan(SEEDS / 20);
        // PUD-sized mappings (a page either side of 1 GiB) and PUD-aligned ones
        assertThat(scenariosWith("^mmap [A-Z] (262143p|1G|262145p) ")).as("PUD-sized").isGreaterThan(SEEDS / 100);
        assertThat(scenariosWith("^mmap .* align 1G")).as("PUD-aligned").isGreaterThan(0);
    }

    @Test
    void everyFormOfMremapMsealAndExitAreDrawn() {
        Generator all = new Generator(OpSet.all(), Layout.DEFAULT_ARENA);
        assertThat(Fuzzing.seeds(SEEDS).filter(s -> all.generate(s).text().matches("(?s).*\nmremap \\S+ 0 \\S+ maymove fixed .*")).count())
                .as("old_len 0 (the simulator does not model it yet: only with --all-ops)").isGreaterThan(0);
        assertThat(scenariosWith("^mremap \\S+ \\S+ \\S+ fixed ")).as("fixed without maymove").isGreaterThan(0);
        assertThat(scenariosWith("^mremap \\S+ \\S+ \\S+ dontunmap$")).as("dontunmap without maymove").isGreaterThan(0);
        assertThat(scenariosWith("^mremap [A-Z]\\+0x10 ")).as("unaligned").isGreaterThan(0);
        assertThat(scenariosWith("^mseal ")).as("mseal").isGreaterThan(SEEDS / 40);
        assertThat(scenariosWith("^c\\d: exit$")).as("exit").isGreaterThan(SEEDS / 100);
        assertThat(scenariosWith("madvise .* (hugepage|collapse)$")).as("THP advice").isGreaterThan(SEEDS / 5);
    }

    @Test
    void moveTargetsSitAtTheSourcesOffsetWithinAPmdAndAtOthers() {
        int equal = 0;
        int unequal = 0;
        for (long seed : Fuzzing.seeds(SEEDS).toArray()) {
            GenState g = new GenState(seed, Layout.DEFAULT_ARENA);
            MappingOps.mmap(g, null);
            for (int i = 0; i < 3; i++) {
                GenState.Region source = g.regions.get(0);
                int before = g.regions.size();
                MappingOps.mremapEdge(g);
                if (g.regions.size() == before) continue;
                GenState.Region target = g.regions.get(g.regions.size() - 1);
                if (!g.lines.get(g.lines.size() - 1).startsWith("mremap A ") || target.start() == source.start()) continue;
                if (Math.floorMod(target.start() - source.start(), Ranges.TABLE_SPAN) == 0) equal++;
                else unequal++;
            }
        }
        assertThat(equal).isGreaterThan(SEEDS / 10);
        assertThat(unequal).isGreaterThan(SEEDS / 10);
    }

    @Test
    void noStatementRunsInAChildAfterItExited() {
        for (long seed : Fuzzing.seeds(SEEDS).toArray()) {
            List<String> lines = Fuzzing.GENERATOR.generate(seed).lines();
            java.util.Set<String> exited = new java.util.HashSet<>();
            for (String line : lines) {
                String[] words = line.split(" ");
                if (!words[0].endsWith(":")) continue;
                String child = words[0].substring(0, words[0].length() - 1);
                assertThat(exited).as(String.join("\n", lines)).doesNotContain(child);
                if (words[1].equals("exit")) exited.add(child);
                if (words[1].equals("fork")) assertThat(exited).doesNotContain(words[2]);
            }
        }
    }

    @Test
    void aTweakSetsOneArgumentOfOneStatementToABoundary() {
        GenState g = new GenState(3, Layout.DEFAULT_ARENA);
        MappingOps.mmap(g, null);
        int changed = 0;
        for (int i = 0; i < 200; i++) {
            String line = "madvise A+2p 3p dontneed";
            String t = Tweak.line(g, line);
            String[] a = line.split(" ");
            String[] b = t.split(" ");
            assertThat(b).hasSize(4);
            assertThat(b[0]).isEqualTo("madvise");
            assertThat(b[3]).isEqualTo("dontneed");
            assertThat((a[1].equals(b[1]) ? 0 : 1) + (a[2].equals(b[2]) ? 0 : 1)).isLessThanOrEqualTo(1);
            if (!t.equals(line)) changed++;
        }
        assertThat(changed).isGreaterThan(150);
        assertThat(Tweak.line(g, "clear_refs 4")).isNotNull();   // a number: changed, and the parser judges it
        assertThat(Tweak.line(g, "smaps A 2p")).isNull();        // /proc past the arena is the agent's own
        assertThat(Tweak.line(g, "fork c1")).isNull();
        assertThat(Tweak.line(g, "mmap B 4p rw private anon").split(" ")[1]).isEqualTo("B");
    }
}
