package dev.mmsim.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Runner;
import dev.mmsim.scenarios.run.Transcript;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mmsim replay --bless: round trip, and the refusals. */
class BlessCliTest {
    @TempDir
    Path dir;

    static final String TEXT = "scenario bless/cli\n# comment\nmmap A 4p rw private anon   # four\nwrite A 1p => EFAULT\n"
            + "madvise A+2p 1p guard_install\nscan A 4p\n";

    @Test
    void blessWithTheSimulatorRoundTrips() throws Exception {
        Path p = dir.resolve("t.scn");
        Files.writeString(p, TEXT);
        assertThat(CliTest.run("replay", "--host-profile", "zero_page=off", p.toString()).status()).isEqualTo(1);
        CliTest.Run b = CliTest.run("replay", "--bless", "--backend", "sim", "--host-profile", "zero_page=off", p.toString());
        assertThat(b.status()).as(b.err()).isZero();
        assertThat(b.out()).contains("blessed   " + p + " (simulator only)");
        String blessed = Files.readString(p);
        assertThat(blessed).contains("# comment\nmmap A 4p rw private anon => ok   # four\nwrite A 1p => ok\n")
                .contains("scan A 4p => 4 [A..A+1p present|written, A+1p..A+2p written, A+2p..A+3p guard|swapped|written,");
        assertThat(CliTest.run("replay", "--host-profile", "zero_page=off", p.toString()).status()).isZero();
        CliTest.Run again = CliTest.run("replay", "--bless", "--backend", "sim", "--host-profile", "zero_page=off", p.toString());
        assertThat(again.out()).contains("unchanged " + p);
        assertThat(Files.readString(p)).isEqualTo(blessed);
    }

    @Test
    void withoutTheKernelNothingIsBlessed() throws Exception {
        Path p = dir.resolve("t.scn");
        Files.writeString(p, "scenario t\nset sticky_flags off\nmmap A 1p rw private anon\n");
        CliTest.Run r = CliTest.run("replay", "--bless", p.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("not blessed: " + p + ": the kernel backend did not run it");
        assertThat(Files.readString(p)).doesNotContain("=>");
    }

    @Test
    void backendsThatDisagreeAreRefused() throws Exception {
        Scenario s = ScenarioParser.parse("z.scn", "scenario z\nmmap A 2p rw private anon\nread A\nscan A 2p\n");
        Runner runner = new Runner(Layout.DEFAULT_ARENA, 0);
        Transcript zero = runner.sim(s, HostProfile.parse("zero_page=on"));
        Transcript noZero = runner.sim(s, HostProfile.parse("zero_page=off"));
        assertThat(ReplayCommand.refusal(zero, noZero)).startsWith("the backends disagree at z:4: scan A 2p");
        assertThat(ReplayCommand.refusal(zero, zero)).isNull();
        assertThat(ReplayCommand.refusal(zero, null)).isNull();
    }

    @Test
    void blessAndJsonAreAUserError() throws Exception {
        Path p = dir.resolve("t.scn");
        Files.writeString(p, TEXT);
        assertThat(CliTest.run("replay", "--bless", "--json", p.toString()).status()).isEqualTo(2);
    }
}
