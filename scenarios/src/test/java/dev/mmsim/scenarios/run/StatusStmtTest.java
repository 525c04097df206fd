package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;

import org.junit.jupiter.api.Test;

/** The {@code status} statement: its requirement, its rendering, and its refusal in a child. */
class StatusStmtTest {
    private static final HostProfile HOST = HostProfile.parse("zero_page=off");

    static Transcript sim(String text) throws Exception {
        return new Runner(Layout.DEFAULT_ARENA, 60).sim(ScenarioParser.parse("t.scn", text), HOST);
    }

    @Test
    void aStatusStatementRequiresTheStatusFeature() throws Exception {
        Scenario s = ScenarioParser.parse("t.scn", "scenario t\nrequires thp\nstatus\n");
        assertThat(s.requires()).containsExactly("thp", "status");
        assertThat(ScenarioParser.parse("t.scn", "scenario t\nmmap A 1p rw private anon\n").requires()).isEmpty();
    }

    @Test
    void theCountersShowWhatTheScenarioFaultedIn() throws Exception {
        Transcript t = sim("scenario t\nmmap A 16p rw private anon\nwrite A 3p\nmlock A 4p\nstatus\n");
        assertThat(t.lines().get(4).result())
                .isEqualTo("VmPTE=12K RssAnon=16K RssFile=0K RssShmem=0K VmLck=16K VmSwap=0K HugetlbPages=0K");
        assertThat(t.lines().get(4).detail()).containsEntry("kind", "status");
    }

    @Test
    void aChildsStatusIsRefusedOnBothBackends() throws Exception {
        Transcript t = sim("scenario t\nfork c\nc: status\n");
        assertThat(t.outcome().kind()).isEqualTo(Outcome.Kind.UNSUPPORTED);
        assertThat(t.outcome().reason()).startsWith("line 3: status in a child").endsWith("refused on both backends");
    }
}
