package dev.mmsim.scenarios.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The delta between two rendered results: what a signature says differs. */
class ResultDeltaTest {
    @Test
    void statusesDifferAsText() {
        assertThat(ResultDelta.of("ok", "ENOMEM")).isEqualTo("status:sim=ok,kernel=ENOMEM");
        assertThat(ResultDelta.of("SIGSEGV at A+2p", "ok")).isEqualTo("at:sim-only status:sim=SIGSEGV,kernel=ok");
        assertThat(ResultDelta.of("SIGSEGV at A+2p", "SIGSEGV at A+3p")).isEqualTo("at:sim<kernel");
    }

    @Test
    void scanRegionsOverTheSameRangeDifferByCategory() {
        assertThat(ResultDelta.of("1 [A..A+4p written] walk_end=A+4p", "1 [A..A+4p none] walk_end=A+4p"))
                .isEqualTo("+none -written");
    }

    @Test
    void regionsOnlyOneSideListsAppearWhole() {
        assertThat(ResultDelta.of("2 [A..A+2p written, A+2p..A+4p none] walk_end=B",
                "1 [A..A+2p written] walk_end=A+4p"))
                .isEqualTo("-[none] count:sim>kernel walk_end:elsewhere");
    }

    @Test
    void smapsCountersCompareAsNumbersAndFlagsOneByOne() {
        assertThat(ResultDelta.of("A..A+2p rw-p flags=rd,wr,gu rss=2p swap=0p",
                "A..A+2p rw-p flags=rd,wr rss=1p swap=0p")).isEqualTo("-flags:gu rss:sim>kernel");
        assertThat(ResultDelta.of("A..A+1p rw-p flags=rd,wr rss=1p swap=0p; A+1p..A+2p rw-p flags=rd,wr rss=0p swap=0p",
                "A..A+2p rw-p flags=rd,wr rss=1p swap=0p"))
                .isEqualTo("+[rw-p flags=rd,wr rss=# swap=#] -[rw-p flags=rd,wr rss=# swap=#]");
    }

    @Test
    void pagemapRunsAndRawReads() {
        assertThat(ResultDelta.of("A..A+1p present exclusive pfn", "A..A+1p present file exclusive pfn"))
                .isEqualTo("+file");
        assertThat(ResultDelta.of("16 bytes: A..A+2p none", "8 bytes: A..A+1p none")).isEqualTo(
                "+[none] -[none] bytes:sim>kernel");
    }
}
