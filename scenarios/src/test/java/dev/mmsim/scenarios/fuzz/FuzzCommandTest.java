package dev.mmsim.scenarios.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.scenarios.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mmsim fuzz}: bad input exits 2; a run prints progress and a summary, and exits by it. */
class FuzzCommandTest {
    @TempDir
    Path out;

    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true));
            System.setErr(new PrintStream(stderr, true));
            return new Run(Main.execute(args), stdout.toString(), stderr.toString());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void badOptionsExitTwoWithoutAStackTrace() {
        assertThat(run("fuzz", "--time", "ten minutes").status()).isEqualTo(2);
        Run zero = run("fuzz", "--count", "0");
        assertThat(zero.status()).isEqualTo(2);
        assertThat(zero.err()).contains("--count").doesNotContain("Exception");
    }

    @Test
    void aRunPrintsItsSeedAndASummaryAndExitsByTheUnexplainedCount() {
        Fuzzing.hostOrSkip();
        Run r = run("fuzz", "--seed", "5", "--count", "40", "--jobs", "1", "--time", "5m", "--out", out.toString());
        assertThat(r.out()).startsWith("# fuzz: seed 5, 40 scenarios or 5m, 1 job, ").contains("summary: 40 scenarios");
        Matcher unexplained = Pattern.compile("\n  unexplained +(\\d+)\n").matcher(r.out());
        Matcher errors = Pattern.compile("\n  errors +(\\d+)\n").matcher(r.out());
        assertThat(unexplained.find() && errors.find()).as(r.out()).isTrue();
        boolean clean = unexplained.group(1).equals("0") && errors.group(1).equals("0");
        assertThat(r.status()).as(r.out()).isEqualTo(clean ? 0 : 1);
    }
}
