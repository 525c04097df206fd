package dev.mmsim.scenarios.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Statement shapes and the trigger patterns that match them. */
class TriggerTest {
    static final StatementShape SHAPES = new StatementShape(List.of("file f0 4p", "mmap A 4p rw private file f0",
            "mmap B 2M rw private anon", "fork c1"));

    @Test
    void shapesHideAddressesNumbersAndNamesButKeepZero() {
        assertThat(SHAPES.of("madvise A+2p 4p guard_install")).isEqualTo("madvise @ # guard_install");
        assertThat(SHAPES.of("mmap C 4p r private file f0 off 1p")).isEqualTo("mmap C # r private file FILE off #");
        assertThat(SHAPES.of("c1: write B-1p 0")).isEqualTo("CHILD: write @ 0");
        assertThat(SHAPES.of("scan arena 10p return present|guard vec 3"))
                .isEqualTo("scan @ # return present|guard vec #");
    }

    @Test
    void wordsMatchExactlyStarOneWordAndDotsAnyNumber() {
        assertThat(matches("write @ 0", "write @ 0")).isTrue();
        assertThat(matches("write @ 0", "write @ #")).isFalse();
        assertThat(matches("write @ 0", "CHILD: write @ 0")).isFalse();
        assertThat(matches("... write @ 0", "CHILD: write @ 0")).isTrue();
        assertThat(matches("mremap @ # #", "mremap @ # # maymove fixed @")).isFalse();
        assertThat(matches("mremap @ # # maymove fixed @ ...", "mremap @ # # maymove fixed @")).isTrue();
        assertThat(matches("mremap @ # # maymove fixed @ ...", "mremap @ # # maymove fixed @ dontunmap")).isTrue();
        assertThat(matches("mmap ... locked ...", "mmap @ # none private anon populate locked at @")).isTrue();
        assertThat(matches("mprotect @ * none", "mprotect @ # none")).isTrue();
    }

    @Test
    void aPatternWithAnArrowAlsoMatchesTheKernelsResult() {
        Trigger sigbus = Trigger.parse("read @ ... => SIGBUS at @");
        assertThat(sigbus.matches("read @ #", "SIGBUS at @")).isTrue();
        assertThat(sigbus.matches("read @", "SIGBUS at @")).isTrue();
        assertThat(sigbus.matches("read @ #", "ok")).isFalse();
        assertThat(sigbus.matches("read @ #", null)).isFalse();
        assertThat(Trigger.parse("read @ ...").matches("read @ #", "SIGBUS at @")).isTrue();
    }

    private static boolean matches(String pattern, String shape) {
        return Trigger.parse(pattern).matches(shape, null);
    }
}
