package dev.mmsim.scenarios.lang;

import static dev.mmsim.scenarios.lang.Scenarios.PRELUDE;
import static dev.mmsim.scenarios.lang.Scenarios.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Files no one should write but anyone can: words of a megabyte. */
class HostileInputTest {
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
