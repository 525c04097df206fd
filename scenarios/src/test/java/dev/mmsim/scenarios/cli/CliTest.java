package dev.mmsim.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's contract with users: exit statuses, error messages without stack traces, outputs. */
class CliTest {
    @TempDir
    Path dir;

    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true));
            System.setErr(new PrintStream(err, true));
            int status = Main.execute(args);
            return new Run(status, out.toString(), err.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    Path write(String name, String text) throws Exception {
        return write(dir, name, text);
    }

    /** Writes {@code text} to {@code dir/name}. */
    static Path write(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aSyntaxErrorExitsTwoWithPositionAndNoStackTrace() throws Exception {
        Path p = write("bad.scn", "scenario t\nmmap A 4q rw private anon\n");
        Run r = run("replay", "--host-profile", "zero_page=off", p.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith(p + ":2:8: ").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void replayPrintsTheTranscriptAndFailsOnAMismatch() throws Exception {
        Path p = write("t.scn", "scenario t\nmmap A 2p rw private anon\nread A+2p => ok\n");
        Run r = run("replay", "--host-profile", "zero_page=off", p.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.out()).contains("3: read A+2p => SIGSEGV at A+2p").contains(p + ":3: expected ok, got SIGSEGV at A+2p");
    }

    @Test
    void jsonTranscripts() throws Exception {
        Path p = write("t.scn", "scenario t\nmmap A 2p rw private anon\n");
        Run r = run("replay", "--json", "--host-profile", "zero_page=off", p.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("{\"schema_version\":2,\"command\":\"replay\"")
                .contains("\"scenario\":\"t\"").contains("\"statement\":\"mmap A 2p rw private anon\"")
                .contains("\"result\":\"ok\"").contains("\"outcome\":\"passed\"");
    }

    @Test
    void badOptionsAndProfilesAreUserErrors() throws Exception {
        Path p = write("t.scn", "scenario t\n");
        assertThat(run("replay", "--backend", "qemu", p.toString()).status()).isEqualTo(2);
        Run r = run("replay", "--host-profile", "zero_page=maybe", p.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("zero_page must be on or off");
        assertThat(run("replay", dir.resolve("missing.scn").toString()).err()).contains("no such file");
    }

    @Test
    void invalidUtf8IsAPositionedSyntaxError() throws Exception {
        Path p = dir.resolve("latin1.scn");
        Files.write(p, new byte[] {'s', 'c', 'e', 'n', 'a', 'r', 'i', 'o', ' ', 't', '\n', '#', ' ', 'c', 'a', 'f',
            (byte) 0xe9, '\n'});
        Run r = run("replay", "--host-profile", "zero_page=off", p.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(p + ":2:6: invalid UTF-8 (byte 0xe9 at offset 16)" + System.lineSeparator());
    }

    @Test
    void aDirectoryNamedLikeAScenarioIsADirectory() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("x.scn"));
        Run r = run("replay", "--host-profile", "zero_page=off", sub.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("mmsim: " + sub + ": is a directory").doesNotContain("no such file");
        Run walked = run("replay", "--host-profile", "zero_page=off", dir.toString());
        assertThat(walked.status()).isEqualTo(2);
        assertThat(walked.err()).contains("mmsim: " + sub + ": is a directory");
    }

    @Test
    void aDeviceIsNotARegularFile() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/null")));
        Run r = run("replay", "--host-profile", "zero_page=off", "/dev/null");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mmsim: /dev/null: is a device, not a regular file" + System.lineSeparator());
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aFifoIsReportedWithoutBeingOpened() throws Exception {
        Path fifo = dir.resolve("pipe.scn");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo works here");
        Run r = run("replay", "--host-profile", "zero_page=off", fifo.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mmsim: " + fifo + ": is a FIFO, not a regular file" + System.lineSeparator());
    }

    @Test
    void aMissingFileIsStillNoSuchFile() {
        Path missing = dir.resolve("missing.scn");
        Run r = run("replay", "--host-profile", "zero_page=off", missing.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mmsim: " + missing + ": no such file" + System.lineSeparator());
    }

    @Test
    void traceScanPrintsTheWalkAsComments() throws Exception {
        Path p = write("t.scn", "scenario t\nmmap A 2p rw private anon\nwrite A\ntrace scan A 2p\n");
        Run r = run("replay", "--host-profile", "zero_page=off", p.toString());
        assertThat(r.out()).contains("#   test_walk A..A+2p").contains("#   pmd_entry A..A+2p");
    }
    @Test
    void htmlWritesOneSelfContainedPageAndRefusesBadPlaces() throws Exception {
        Path p = write("t.scn", "scenario t\nmmap A 4p rw private anon\nwrite A\ntrace scan A 4p\n");
        Path out = dir.resolve("t.html");
        Run r = run("replay", "--host-profile", "zero_page=on", "--html", out.toString(), p.toString());
        assertThat(r.status()).isZero();
        assertThat(r.err()).contains("wrote " + out + " (4 statements)");
        assertThat(Files.readString(out)).startsWith("<!DOCTYPE html>").contains("<svg class=\"tree\"")
                .contains("pmd_entry: pte table");
        Run dirOut = run("replay", "--html", dir.toString(), p.toString());
        assertThat(dirOut.status()).isEqualTo(2);
        assertThat(dirOut.err()).contains("is a directory");
        Run noDir = run("replay", "--html", dir.resolve("no/such/x.html").toString(), p.toString());
        assertThat(noDir.status()).isEqualTo(2);
        assertThat(noDir.err()).contains("no such directory");
        Run kernel = run("replay", "--backend", "kernel", "--html", out.toString(), p.toString());
        assertThat(kernel.status()).isEqualTo(2);
        assertThat(kernel.err()).contains("use: mmsim diff --html");
    }

    @Test
    void exerciseForEveryTopicWithAndWithoutAnswers() {
        for (String topic : new String[] {"vmas", "faults", "guard", "scan", "thp", "swap"}) {
            Run q = run("exercise", "--seed", "3", "--topic", topic);
            assertThat(q.status()).isZero();
            assertThat(q.out()).startsWith("# mmsim exercise --seed 3 --topic " + topic).contains("# Q1");
            assertThat(run("exercise", "--seed", "3", "--topic", topic).out()).isEqualTo(q.out());
            Run a = run("exercise", "--seed", "3", "--topic", topic, "--answers", "--host-profile", "zero_page=off");
            assertThat(a.status()).isZero();
            assertThat(a.out()).contains("# Q1:\n").contains(" => ").contains("zero_page=off");
        }
        // --confirm replays on this machine's kernel: it agrees, or says why it could not run
        Run confirmed = run("exercise", "--seed", "3", "--topic", "guard", "--answers", "--confirm");
        assertThat(confirmed.status()).as(confirmed.out()).isZero();
        assertThat(confirmed.out()).containsPattern("\n# (confirmed: this machine's kernel printed every answer too"
                + "|not confirmed on the kernel: skipped: [^\n]+)\n$");
        assertThat(run("exercise", "--seed", "3", "--answers", "--confirm", "--host-profile", "zero_page=on").err())
                .contains("leave out --host-profile");
        Run seeded = run("exercise", "--seed", "3");
        assertThat(seeded.out()).startsWith("# mmsim exercise --seed 3 --topic ");
        Run bad = run("exercise", "--topic", "paging");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("--topic must be one of vmas, faults, guard, scan, thp, swap, not 'paging'");
        assertThat(run("exercise", "--help").out()).contains("Topics:").contains("--answers");
    }
    @Test
    void exploreStickyDrawsItsCurveBesideTheTable() throws Exception {
        Path svg = dir.resolve("sticky.svg");
        Run r = run("explore", "sticky", "--merges", "4", "--svg", svg.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("| 4 | 1 | 80 | 2 | 16 |").contains("# curve drawn in " + svg);
        String chart = Files.readString(svg);
        assertThat(chart).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
                .contains("data-name=\"sticky (6.19)\"").contains("data-name=\"flags must match\"")
                .contains("<title>sticky (6.19): N=4, 80</title>").contains("<title>flags must match: N=4, 16</title>");
        assertThat(chart.split("<polyline", -1)).hasSize(3);
        Run bad = run("explore", "sticky", "--svg", dir.toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err()).contains("is a directory");
    }
}
