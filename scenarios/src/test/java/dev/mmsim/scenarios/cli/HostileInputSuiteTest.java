package dev.mmsim.scenarios.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.scenarios.run.Corpus;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input suite: {@value #INPUTS} scenario files made from the corpus by a seeded mutator
 * (a token swapped for an extreme or malformed value, bytes that are not UTF-8, a line cut,
 * doubled or moved, a megabyte word), each replayed on the simulator through the CLI as a user
 * would. None may print a stack trace or take longer than {@value #SECONDS_PER_INPUT} s; every
 * error must name its position (file:line:column), and the exit status must be 0, 1 or 2.
 */
class HostileInputSuiteTest {
    static final int INPUTS = 320;
    static final int SECONDS_PER_INPUT = 20;

    /** Values a token may become: extremes, near-misses of the syntax, other scripts' digits. */
    static final String[] VALUES = {
        "0", "-1", "1p", "0p", "0x7fffffffffffffff", "0xffffffffffffffff", "18446744073709551616",
        "9223372036854775808", "1024G", "1048576G", "0x7ffffffff000", "arena-0x7fffffffffffffff",
        "arena+0x7fffffffffffffff", "A+0x7ffffffffffff000", "A-1p", "Z", "=>", "\\", "#", "\"", "４", "٣",
        "1e9", "0x", "0b101", "+", "A++1p", "A+1q", "\u0000", "\u202e", "\t\t", "all", "none", "fixed",
        "at", "child", "c1:", ":", "maymove", "p", "G", "4096p", "0x1000p",
    };

    @TempDir
    Path dir;

    @Test
    void hostileInputsNeverCrashHangOrLoseTheirPosition() throws Exception {
        List<Path> corpus;
        try (Stream<Path> s = Files.walk(Corpus.builtin())) {
            corpus = s.filter(p -> p.toString().endsWith(".scn")).sorted().toList();
        }
        SplittableRandom random = new SplittableRandom(20261207);
        Pattern position = Pattern.compile("^.+\\.scn:\\d+:\\d+: .+");
        List<String> problems = new ArrayList<>();
        int errors = 0;
        for (int i = 0; i < INPUTS; i++) {
            Path source = corpus.get(random.nextInt(corpus.size()));
            byte[] mutated = mutate(Files.readAllBytes(source), random);
            Path file = dir.resolve("h" + i + ".scn");
            Files.write(file, mutated);
            long t0 = System.nanoTime();
            CliTest.Run r = CliTest.run("replay", "--host-profile", "zero_page=off", "--timeout", "10", file.toString());
            double seconds = (System.nanoTime() - t0) / 1e9;
            String all = r.out() + r.err();
            String what = "input " + i + " (from " + source.getFileName() + ")";
            if (all.contains("Exception") || all.contains("\tat ")) problems.add(what + ": a stack trace:\n" + all);
            if (seconds > SECONDS_PER_INPUT) problems.add(what + String.format(": took %.1f s", seconds));
            if (r.status() < 0 || r.status() > 2) problems.add(what + ": exit status " + r.status());
            if (r.status() == 2) {
                errors++;
                String first = r.err().lines().findFirst().orElse("");
                if (!position.matcher(first).matches()) problems.add(what + ": an error without a position: " + first);
                if (first.length() > 400) problems.add(what + ": an error line of " + first.length() + " characters");
            }
        }
        assertThat(problems).isEmpty();
        // the suite must exercise both the parser's errors and the replays
        assertThat(errors).isBetween(INPUTS / 10, INPUTS - INPUTS / 10);
    }

    /** One seeded mutation of a scenario file's bytes. */
    static byte[] mutate(byte[] original, SplittableRandom random) {
        String text = new String(original, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(text.lines().toList());
        int line = random.nextInt(lines.size());
        switch (random.nextInt(7)) {
            case 0, 1, 2 -> {   // a token becomes an extreme or malformed value
                String[] words = lines.get(line).split(" ", -1);
                words[random.nextInt(words.length)] = VALUES[random.nextInt(VALUES.length)];
                lines.set(line, String.join(" ", words));
            }
            case 3 -> {         // bytes that are not UTF-8
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] b = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
                int at = random.nextInt(b.length + 1);
                out.write(b, 0, at);
                out.write(new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff}, 0, 1 + random.nextInt(3));
                out.write(b, at, b.length - at);
                return out.toByteArray();
            }
            case 4 -> {         // a megabyte word
                lines.set(line, lines.get(line) + " " + "x".repeat(1 << 20));
            }
            case 5 -> {         // a line doubled many times, or moved
                if (random.nextBoolean()) for (int k = 0; k < 200; k++) lines.add(line, lines.get(line));
                else lines.add(random.nextInt(lines.size()), lines.remove(line));
            }
            default -> {        // cut in the middle of a line
                String l = lines.get(line);
                lines.set(line, l.substring(0, random.nextInt(l.length() + 1)));
                lines.subList(line + 1, lines.size()).clear();
            }
        }
        return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
