package dev.mmsim.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * What CI relies on: --strict turns skipped and unsupported scenarios into failures, --junit-xml
 * and --tap write reports that say the same, and '-' reads a scenario from standard input.
 */
class CiContractTest {
    @TempDir
    Path dir;

    /** Skipped by the kernel backend on every host: it has a simulator-only statement. */
    static final String SIM_ONLY = "scenario ci/sim-only\nset sticky_flags off\nmmap A 1p rw private anon\n";

    Path write(String name, String text) throws Exception {
        return CliTest.write(dir, name, text);
    }

    @Test
    void strictFailsCheckAndDiffOnASkippedScenario() throws Exception {
        Path p = write("s.scn", SIM_ONLY);
        CliTest.Run lax = CliTest.run("check", p.toString());
        assertThat(lax.status()).isZero();
        assertThat(lax.out()).contains("(skipped and unsupported scenarios do not fail the run; --strict makes them)");
        CliTest.Run strict = CliTest.run("check", "--strict", p.toString());
        assertThat(strict.status()).isEqualTo(1);
        assertThat(strict.out()).containsPattern("skipped +1").doesNotContain("--strict makes them");
        assertThat(CliTest.run("diff", p.toString()).status()).isZero();
        assertThat(CliTest.run("diff", "--strict", p.toString()).status()).isEqualTo(1);
        assertThat(CliTest.run("replay", "--backend", "kernel", p.toString()).status()).isZero();
        assertThat(CliTest.run("replay", "--backend", "kernel", "--strict", p.toString()).status()).isEqualTo(1);
    }

    @Test
    void strictFailsAnUnsupportedScenario() throws Exception {
        Path p = write("u.scn", "scenario u\nmmap A 4p rw private anon\nwrite A 1p\nscan A 4p argat A\n");
        CliTest.Run lax = CliTest.run("replay", "--host-profile", "zero_page=off", p.toString());
        assertThat(lax.status()).isZero();
        assertThat(lax.out()).contains("# unsupported (");
        assertThat(CliTest.run("replay", "--strict", "--host-profile", "zero_page=off", p.toString()).status()).isEqualTo(1);
        assertThat(CliTest.run("check", "--strict", p.toString()).status()).isEqualTo(1);
    }

    @Test
    void junitXmlAndTapReportTheSameCases() throws Exception {
        Path skipped = write("s.scn", SIM_ONLY);
        Path xml = dir.resolve("report.xml");
        Path tap = dir.resolve("report.tap");
        CliTest.Run r = CliTest.run("check", "--junit-xml", xml.toString(), "--tap", tap.toString(), skipped.toString());
        assertThat(r.status()).isZero();
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element suite = d.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("tests")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        Element testcase = (Element) suite.getElementsByTagName("testcase").item(0);
        assertThat(testcase.getAttribute("name")).endsWith("s.scn");
        assertThat(((Element) testcase.getElementsByTagName("skipped").item(0)).getAttribute("message"))
                .contains("simulator-only statement (set)");
        List<String> lines = Files.readAllLines(tap);
        assertThat(lines.get(0)).isEqualTo("TAP version 14");
        assertThat(lines.get(1)).isEqualTo("1..1");
        assertThat(lines.get(2)).startsWith("ok 1 - ").contains("# SKIP skipped: simulator-only statement (set)");

        CliTest.Run strict = CliTest.run("diff", "--strict", "--junit-xml", xml.toString(), "--tap", tap.toString(),
                skipped.toString());
        assertThat(strict.status()).isEqualTo(1);
        suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile()).getDocumentElement();
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("0");
        assertThat(Files.readAllLines(tap).get(2)).startsWith("not ok 1 - ");
    }

    @Test
    void junitXmlEscapesWhatItQuotes() {
        String xml = CiReport.junit("s", List.of(new CiReport.Case("k<", "a\"b&c", CiReport.Status.FAILED, "x < y\nz", 0.5)), false);
        assertThat(xml).contains("classname=\"k&lt;\"").contains("name=\"a&quot;b&amp;c\"")
                .contains("<failure message=\"x &lt; y\">x &lt; y&#10;z</failure>");
        String tap = CiReport.tap(List.of(new CiReport.Case("k", "a # b", CiReport.Status.ERROR, "boom", 0)), false);
        assertThat(tap).contains("not ok 1 - k a \\# b\n  ---\n  severity: error\n  message: |\n    boom\n  ...\n");
    }

    @Test
    void aReportThatCannotBeWrittenIsAUserError() throws Exception {
        Path p = write("s.scn", SIM_ONLY);
        CliTest.Run r = CliTest.run("check", "--junit-xml", dir.resolve("no/such/dir/r.xml").toString(), p.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("mmsim: cannot write the report: ").doesNotContain("\tat ");
    }

    @Test
    void aDashReadsTheScenarioFromStandardInput() {
        java.io.InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream("scenario stdin\nmmap A 1p rw private anon\nread A+1p => ok\n"
                    .getBytes(StandardCharsets.UTF_8)));
            CliTest.Run r = CliTest.run("replay", "--host-profile", "zero_page=off", "-");
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.out()).contains("3: read A+1p => SIGSEGV at A+1p").contains("<stdin>:3: expected ok, got SIGSEGV");
            System.setIn(new ByteArrayInputStream("scenario stdin\nmmap A 1q\n".getBytes(StandardCharsets.UTF_8)));
            CliTest.Run bad = CliTest.run("replay", "--host-profile", "zero_page=off", "/dev/stdin");
            assertThat(bad.status()).isEqualTo(2);
            assertThat(bad.err()).startsWith("<stdin>:2:");
        } finally {
            System.setIn(old);
        }
    }

    @Test
    void noArgumentsIsAUsageError() {
        CliTest.Run r = CliTest.run();
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("Usage: mmsim").contains("Exit status:");
        assertThat(r.out()).isEmpty();
        assertThat(CliTest.run("--help").status()).isZero();
    }

    @Test
    void switchAndOptionNamesGetSuggestions() {
        CliTest.Run set = CliTest.run("compare", "--set", "stiky_flags=off");
        assertThat(set.status()).isEqualTo(2);
        assertThat(set.err()).isEqualTo("mmsim: --set: unknown semantic 'stiky_flags' (did you mean 'sticky_flags'?)\n");
        CliTest.Run option = CliTest.run("check", "--jsn");
        assertThat(option.status()).isEqualTo(2);
        assertThat(option.err()).contains("Unknown option: '--jsn'").contains("--json");
        CliTest.Run command = CliTest.run("chek");
        assertThat(command.status()).isEqualTo(2);
        assertThat(command.err()).contains("Did you mean: mmsim check");
    }
}
