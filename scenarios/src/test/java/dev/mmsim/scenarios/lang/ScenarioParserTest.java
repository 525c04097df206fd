package dev.mmsim.scenarios.lang;

import static dev.mmsim.scenarios.lang.Scenarios.PRELUDE;
import static dev.mmsim.scenarios.lang.Scenarios.errors;
import static dev.mmsim.scenarios.lang.Scenarios.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The header, lines, comments, continuations, expectations and positions. */
class ScenarioParserTest {
    @Test
    void readsTheHeader() {
        Scenario s = parse("""
                scenario guard-regions/split-merge
                mirrors tools/testing/selftests/mm/guard-regions.c \t guard_regions.split_merge
                requires guard_regions scan_guard
                profile linux-6.18
                mmap A 10p rw private
                """);
        assertThat(s.name()).isEqualTo("guard-regions/split-merge");
        assertThat(s.mirrors()).isEqualTo("tools/testing/selftests/mm/guard-regions.c guard_regions.split_merge");
        assertThat(s.requires()).containsExactly("guard_regions", "scan_guard");
        assertThat(s.profile()).isEqualTo("linux-6.18");
        assertThat(s.file()).isNull();
        assertThat(s.steps()).extracting(step -> step.stmt().keyword())
                .containsExactly("scenario", "mirrors", "requires", "profile", "mmap");
    }

    @Test
    void headerDefaults() {
        Scenario s = parse("scenario t\n");
        assertThat(s.mirrors()).isNull();
        assertThat(s.requires()).isEmpty();
        assertThat(s.profile()).isEqualTo(ProfileStmt.NEWEST);
    }

    @Test
    void parsesAFileAndNamesItInErrors(@TempDir Path dir) throws Exception {
        Path good = Files.writeString(dir.resolve("good.scn"), "scenario t\nmmap A 1p r private\n");
        assertThat(ScenarioParser.parse(good).file()).isEqualTo(good);

        Path bad = Files.writeString(dir.resolve("bad.scn"), "scenario t\nmunmap\n");
        assertThatThrownBy(() -> ScenarioParser.parse(bad))
                .isInstanceOf(ScenarioSyntaxException.class)
                .hasMessage(bad + ":2:1: munmap needs ADDR SIZE (missing ADDR)");
    }

    @Test
    void aMissingFileIsAnIoError(@TempDir Path dir) {
        assertThatThrownBy(() -> ScenarioParser.parse(dir.resolve("none.scn"))).isInstanceOf(IOException.class);
    }

    @Test
    void commentsAndBlankLinesAreIgnored() {
        Scenario s = parse("""
                # a comment line
                scenario t   # a trailing comment

                mmap A 4p rw private#glued
                \t# an indented comment
                read A
                """);
        assertThat(s.steps()).extracting(Step::render)
                .containsExactly("scenario t", "mmap A 4p rw private anon", "read A");
        assertThat(s.steps()).extracting(step -> step.pos().line()).containsExactly(2, 4, 6);
    }

    @Test
    void aBackslashContinuesTheLine() {
        Scenario s = parse(PRELUDE + """
                mmap B 4p rw \\
                    private \\
                    populate   # a comment after the last part
                read A\\
                  2p
                """);
        assertThat(s.steps().subList(4, 6)).extracting(Step::render)
                .containsExactly("mmap B 4p rw private anon populate", "read A 2p");
        assertThat(s.steps().get(4).pos()).isEqualTo(new Pos(Scenarios.FILE, 5, 1));
        assertThat(s.steps().get(5).pos()).isEqualTo(new Pos(Scenarios.FILE, 8, 1));
    }

    @Test
    void aBackslashBeforeACommentStillContinues() {
        Scenario s = parse(PRELUDE + "munmap A \\  # the size follows\n  4p\n");
        assertThat(s.steps().getLast().render()).isEqualTo("munmap A 4p");
    }

    @Test
    void aBlankLineEndsAContinuation() {
        assertThat(errors(PRELUDE + "munmap A \\\n\n4p\n")).containsExactly(
                "t.scn:5:1: munmap needs ADDR SIZE (missing SIZE)",
                "t.scn:7:1: unknown statement '4p'");
    }

    @Test
    void crlfLineEndingsAndTabs() {
        Scenario s = parse("scenario t\r\nmmap A 4p rw private\r\n\tread\tA\r\n");
        assertThat(s.steps().getLast().render()).isEqualTo("read A");
        assertThat(s.steps().getLast().pos()).isEqualTo(new Pos(Scenarios.FILE, 3, 2));
    }

    @Test
    void positionsCountCodePoints() {
        assertThat(errors("scenario t\nmirrors \uD835\uDD10 \u00e9 x\nfrob # \u00e9\nmunmap \u00e9\n"))
                .containsExactly("t.scn:3:1: unknown statement 'frob'", "t.scn:4:8: undefined mapping '\u00e9'");
    }

    @Test
    void stepsKnowTheirLineChildAndPosition() {
        Step step = parse(PRELUDE + "   c1: read A\n").steps().getLast();
        assertThat(step.pos()).isEqualTo(new Pos(Scenarios.FILE, 5, 4));
        assertThat(step.child()).isEqualTo("c1");
        assertThat(step.stmt()).isEqualTo(new AccessStmt(false, new Addr("A", 0), null));
    }

    @Test
    void anExpectationFollowsTheArrowWithWhiteSpaceFolded() {
        Step step = parse(PRELUDE + "scan A 4p =>   1   [A+0p..A+4p \t written]  walk_end=A+4p\n").steps().getLast();
        assertThat(step.expected()).isEqualTo("1 [A+0p..A+4p written] walk_end=A+4p");
    }

    @Test
    void theArrowNeedNotBeAWordOfItsOwn() {
        assertThat(parse(PRELUDE + "read A=>ok\n").steps().getLast().expected()).isEqualTo("ok");
        assertThat(parse(PRELUDE + "read A =>ok\n").steps().getLast().expected()).isEqualTo("ok");
        assertThat(parse(PRELUDE + "read A=> ok\n").steps().getLast().stmt().render()).isEqualTo("read A");
    }

    @Test
    void aCommentEndsTheExpectation() {
        Step step = parse(PRELUDE + "read A+2p => SIGSEGV at A+2p  # the guard page\n").steps().getLast();
        assertThat(step.expected()).isEqualTo("SIGSEGV at A+2p");
    }

    @Test
    void anExpectationMaySpanContinuationLines() {
        Step step = parse(PRELUDE + "pagemap A 4p => A+0p..A+2p present exclusive pfn; \\\n"
                + "    A+2p..A+4p none\n").steps().getLast();
        assertThat(step.expected()).isEqualTo("A+0p..A+2p present exclusive pfn; A+2p..A+4p none");
    }

    @Test
    void onlyTheFirstArrowStartsTheExpectation() {
        assertThat(parse(PRELUDE + "read A => a => b\n").steps().getLast().expected()).isEqualTo("a => b");
    }

    @Test
    void withoutAnArrowThereIsNoExpectation() {
        assertThat(parse(PRELUDE + "read A\n").steps().getLast().expected()).isNull();
    }

    @Test
    void headerStatementsAcceptExpectations() {
        assertThat(parse("scenario t => ok\n").steps().getFirst().expected()).isEqualTo("ok");
    }

    @Test
    void mremapAsDefinesAMapping() {
        Scenario s = parse(PRELUDE + "mremap A 4p 8p maymove as B\nmunmap B 8p\nc1: read B\n");
        assertThat(s.steps().getLast().stmt()).isEqualTo(new AccessStmt(false, new Addr("B", 0), null));
    }

    @Test
    void aChildCanForkAndItsChildRunsStatements() {
        Scenario s = parse(PRELUDE + "c1: fork c2\nc2: write A\n");
        assertThat(s.steps().getLast().child()).isEqualTo("c2");
    }

    @Test
    void pageContentsStatementsAndTheirErrors() {
        assertThat(parse(PRELUDE + "write A 3p value 7\n").steps().getLast().stmt())
                .isEqualTo(new AccessStmt(true, new Addr("A", 0), Size.parse("3p"), 7L));
        assertThat(parse(PRELUDE + "write A\n").steps().getLast().stmt())
                .isEqualTo(new AccessStmt(true, new Addr("A", 0), null));
        assertThat(errors(PRELUDE + "write A+0x10 value 7\n"
                + "write A 1p value\n"
                + "write A 1p vlaue 7\n"
                + "write A value -1\n"
                + "values A+1p+8\n"
                + "read A value 3\n")).containsExactly(
                "t.scn:5:7: write ... value needs a page-aligned ADDR, got 'A+0x10' (it works on whole pages: the value is a page's first 8 bytes)",
                "t.scn:6:12: 'value' needs N",
                "t.scn:7:12: unknown write option 'vlaue' (did you mean 'value'?)",
                "t.scn:8:15: expected a non-negative integer for value, got '-1'",
                "t.scn:9:8: values needs a page-aligned ADDR, got 'A+1p+0x8' (it works on whole pages: the value is a page's first 8 bytes)",
                "t.scn:10:8: read has no 'value' (write ADDR [SIZE] value N stores one; values ADDR [SIZE] loads them)");
    }
}
