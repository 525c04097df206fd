package dev.mmsim.scenarios.lang;

import static dev.mmsim.scenarios.lang.Scenarios.PRELUDE;
import static dev.mmsim.scenarios.lang.Scenarios.errors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Files no one should write but anyone can: bytes that are not UTF-8, words of a megabyte. */
class HostileInputTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String before, int... bad) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        for (int b : bad) {
            out.write(b);
        }
        out.writeBytes(" 4p\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static SyntaxError decodeError(byte[] bytes) {
        ScenarioSyntaxException e = assertThrows(ScenarioSyntaxException.class,
                () -> ScenarioParser.decode("t.scn", bytes));
        assertThat(e.errors()).hasSize(1);
        return e.errors().getFirst();
    }

    @Test
    void invalidUtf8IsAnErrorAtTheFirstBadByte() throws Exception {
        Path file = dir.resolve("bad.scn");
        Files.write(file, bytes(PRELUDE + "munmap A", 0xff, 0xfe));
        ScenarioSyntaxException e = assertThrows(ScenarioSyntaxException.class, () -> ScenarioParser.parse(file));
        assertThat(e.errors()).containsExactly(new SyntaxError(new Pos(file.toString(), 5, 9),
                "invalid UTF-8 (byte 0xff at offset 59)"));
        assertThat(e.getMessage()).isEqualTo(file + ":5:9: invalid UTF-8 (byte 0xff at offset 59)");
    }

    @Test
    void theColumnCountsCodePointsBeforeTheBadByte() {
        // "é" is two bytes, one column; the lone continuation byte 0x80 is the error.
        assertThat(decodeError(bytes("scenario t\n# café", 0x80)))
                .isEqualTo(new SyntaxError(new Pos("t.scn", 2, 7), "invalid UTF-8 (byte 0x80 at offset 18)"));
    }

    @Test
    void encodedSurrogatesOverlongFormsAndTruncatedSequencesAreInvalid() {
        assertThat(decodeError(bytes("scenario t\r\nx", 0xed, 0xa0, 0x80)).toString())
                .isEqualTo("t.scn:2:2: invalid UTF-8 (byte 0xed at offset 13)");
        assertThat(decodeError(bytes("scenario t\rx", 0xc0, 0xaf)).toString())
                .isEqualTo("t.scn:2:2: invalid UTF-8 (byte 0xc0 at offset 12)");
        assertThat(decodeError(bytes("", 0xe2, 0x82)).toString())
                .isEqualTo("t.scn:1:1: invalid UTF-8 (byte 0xe2 at offset 0)");
    }

    @Test
    void validUtf8AndAsciiDecodeAsText() throws Exception {
        assertThat(ScenarioParser.decode("t.scn", "scenario t # ünïcödé\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("scenario t # ünïcödé\n");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aMegabyteWordIsShownCutShort() {
        String word = "x".repeat(1 << 20);
        assertThat(errors(PRELUDE + "clear_refs " + word + "\n")).containsExactly(
                "t.scn:5:12: expected a non-negative integer for clear_refs, got '" + "x".repeat(60)
                        + "...' (1048576 characters)");
        assertThat(errors(PRELUDE + "  " + word + "\n")).containsExactly(
                "t.scn:5:3: unknown statement '" + "x".repeat(60) + "...' (1048576 characters)");
        assertThat(errors(PRELUDE + "munmap A 4p " + word + "\n")).containsExactly(
                "t.scn:5:13: unexpected '" + "x".repeat(60) + "...' (1048576 characters) after munmap ADDR SIZE");
        assertThat(errors(PRELUDE + "read A+" + word + "\n")).containsExactly(
                "t.scn:5:6: bad size '" + "x".repeat(60) + "...' (1048576 characters)"
                        + ": expected a number with an optional unit p, K, M or G");
        assertThat(errors(PRELUDE + "mmap B-" + word + " 4p rw private\n")).containsExactly(
                "t.scn:5:6: bad mapping name 'B-" + "x".repeat(58) + "...' (1048578 characters)"
                        + " (letters, digits and _, starting with a letter)");
    }

    @Test
    void aLongWordIsCutAtACodePoint() {
        String word = "\uD83D\uDE00".repeat(100); // 100 emoji, 200 chars
        assertThat(errors(PRELUDE + "clear_refs " + word + "\n")).containsExactly(
                "t.scn:5:12: expected a non-negative integer for clear_refs, got '"
                        + "\uD83D\uDE00".repeat(60) + "...' (100 characters)");
    }

    @Test
    void aWordOfSixtyCharactersIsShownWhole() {
        String word = "y".repeat(60);
        assertThat(errors(PRELUDE + "clear_refs " + word + "\n")).containsExactly(
                "t.scn:5:12: expected a non-negative integer for clear_refs, got '" + word + "'");
    }
}
