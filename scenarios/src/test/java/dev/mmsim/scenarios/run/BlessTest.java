package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.ScenarioParser;

import java.util.List;

import org.junit.jupiter.api.Test;

/** --bless rewrites only the expectations: comments, blank lines, spacing and line endings stay. */
class BlessTest {
    static final HostProfile HOST = HostProfile.parse("zero_page=off");

    static String bless(String text) throws Exception {
        Transcript t = new Runner(Layout.DEFAULT_ARENA, 0).sim(ScenarioParser.parse("t.scn", text), HOST);
        return Bless.rewrite(text, t);
    }

    @Test
    void addsAndReplacesExpectationsKeepingCommentsAndLayout() throws Exception {
        String text = """
                # a header comment
                scenario bless/t
                requires swap   # kept

                mmap A 2p rw private anon      # two pages
                write   A  1p => EINVAL # a wrong expectation
                read A+2p
                """;
        assertThat(bless(text)).isEqualTo("""
                # a header comment
                scenario bless/t
                requires swap   # kept

                mmap A 2p rw private anon => ok      # two pages
                write   A  1p => ok # a wrong expectation
                read A+2p => SIGSEGV at A+2p
                """);
    }

    @Test
    void aContinuedStatementOrExpectationBecomesOneExpectation() throws Exception {
        String text = "scenario t\r\nmmap A 2p \\\r\n  rw private anon\r\nscan A 2p => 9 \\   # old\r\n  [] walk_end=0\r\n";
        assertThat(bless(text)).isEqualTo("scenario t\r\nmmap A 2p \\\r\n  rw private anon => ok\r\n"
                + "scan A 2p => 1 [A..A+2p none] walk_end=A+2p   # old\r\n");
    }

    @Test
    void blessingTwiceChangesNothingAndTheResultPasses() throws Exception {
        String once = bless("scenario t\nmmap A 4p rw private anon\nwrite A 1p\nmadvise A+1p 1p guard_install\n"
                + "scan A 4p\npagemap A 4p\nsmaps\n");
        assertThat(bless(once)).isEqualTo(once);
        Transcript t = new Runner(Layout.DEFAULT_ARENA, 0).sim(ScenarioParser.parse("t.scn", once), HOST);
        assertThat(t.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(t.lines()).allSatisfy(l -> assertThat(l.result() == null || once.contains(" => " + l.result())).isTrue());
    }

    @Test
    void statementsTheReplayDidNotReachAreLeftAlone() throws Exception {
        String text = "scenario t\nmmap A 4p rw private anon\nwrite A 1p\nscan A 4p argat A\nread A\n";
        assertThat(bless(text)).isEqualTo("scenario t\nmmap A 4p rw private anon => ok\nwrite A 1p => ok\n"
                + "scan A 4p argat A\nread A\n");
        assertThat(List.of(text)).isNotEmpty();
    }
}
