package dev.mmsim.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.Semantic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chapter src/site/markdown/semantics.md shows computed results, so it is checked against
 * what mmsim computes: the switch table quotes each {@link Semantic}'s provenance, the worked
 * example's table is the output of {@code mmsim explore sticky}, and the extension example is the
 * class in the test tree, loaded from its .java file.
 */
class SemanticsGuideTest {
    static final Path HOME = Path.of(System.getProperty("mmsim.home", ".."));
    static final Path CHAPTER = HOME.resolve("src/site/markdown/semantics.md");
    static final String EXAMPLE = "scenarios/src/test/java/dev/mmsim/scenarios/ext/BoundedSticky.java";

    /** The table rows (lines starting with '|') of the explore command's output. */
    static String table(String... args) {
        CliTest.Run r = CliTest.run(args);
        assertThat(r.status()).as(r.err()).isZero();
        return r.out().lines().filter(l -> l.startsWith("|")).collect(Collectors.joining("\n", "", "\n"));
    }

    @Test
    void theWorkedExampleIsWhatExploreComputes() throws Exception {
        String table = table("explore", "sticky", "--merges", "8", "--semantic-class", HOME.resolve(EXAMPLE).toString());
        assertThat(Files.readString(CHAPTER)).contains(table);
    }

    @Test
    void stickinessTradesScannedPagesForVmas() {
        String table = table("explore", "sticky", "--merges", "2", "--pages", "4",
                "--semantic-class", "dev.mmsim.scenarios.ext.BoundedSticky");
        assertThat(table).isEqualTo("""
                | N | sticky (6.19): vmas | scanned | flags must match: vmas | scanned | BoundedSticky: vmas | scanned |
                |--:|--:|--:|--:|--:|--:|--:|
                | 0 | 1 | 4 | 1 | 4 | 1 | 4 |
                | 1 | 1 | 8 | 2 | 4 | 1 | 8 |
                | 2 | 1 | 12 | 2 | 4 | 1 | 12 |
                """);
    }

    @Test
    void theSwitchTableGivesEachSwitchsCommitAndRelease() throws Exception {
        List<String> rows = Files.readString(CHAPTER).lines().filter(l -> l.startsWith("| `")).toList();
        for (Semantic s : Semantic.values()) {
            String row = rows.stream().filter(r -> r.startsWith("| `" + s.scenarioName + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError("no row for " + s.scenarioName));
            String origin = switch (s.origin.kind()) {
                case RELEASE -> "| " + s.origin.subject();
                case STABLE_FIX -> "| stable fix";
                case HOST -> "| host property";
            };
            assertThat(row.replace("\\|", "|")).as(s.scenarioName).contains(origin);   // a table cell escapes |
            if (s.origin.kind() == Semantic.Origin.Kind.RELEASE) {
                StringBuilder release = new StringBuilder("| 6." + s.origin.minor());
                // a release change backported to older stable series names them after it
                s.origin.backports().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                        .forEach(e -> release.append("; 6.").append(e.getKey()).append('.').append(e.getValue()).append(" (stable)"));
                assertThat(row).endsWith(release + " |");
            }
        }
    }

    @Test
    void theExtensionExampleIsTheClassInTheTestTree() throws Exception {
        String source = Files.readString(HOME.resolve(EXAMPLE));
        assertThat(Files.readString(CHAPTER)).contains("```java\n" + source + "```\n");
    }

    @Test
    void exploreWritesTheFamilyForMmsimDiff(@TempDir Path dir) throws Exception {
        CliTest.Run r = CliTest.run("explore", "sticky", "--merges", "1", "--emit", dir.toString());
        assertThat(r.status()).isZero();
        assertThat(Files.readString(dir.resolve("sticky-n1.scn"))).contains("mmap N1 16p rw private anon at G+16p\n");
        assertThat(CliTest.run("replay", "--host-profile", "zero_page=off", dir.toString()).status()).isZero();
    }
}
