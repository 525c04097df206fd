package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.ScenarioParser;

import org.junit.jupiter.api.Test;

/** {@code values} on the simulator: what it reads, and what it refuses to guess. */
class ValuesReplayTest {
    static Transcript sim(String text) throws Exception {
        return new Runner(Layout.DEFAULT_ARENA, 60).sim(ScenarioParser.parse("t.scn", text), HostProfile.parse("zero_page=off"));
    }

    @Test
    void aPageTheKernelWroteRegionsIntoIsNotModelled() throws Exception {
        Transcript t = sim("""
                scenario t
                mmap A 2p rw private anon
                write A 2p value 5
                scan A 2p vec 4 vecat 0x100000001000
                values A 1p
                values A+1p
                """);
        assertThat(t.lines().get(4).result()).isEqualTo("A..A+1p 5");
        assertThat(t.outcome().kind()).isEqualTo(Outcome.Kind.UNSUPPORTED);
        assertThat(t.outcome().reason()).contains("does not keep what it wrote");
        assertThat(t.lines()).hasSize(5);
    }

    @Test
    void aBufferPastTheFirst8BytesLeavesTheValueKnown() throws Exception {
        Transcript t = sim("""
                scenario t
                mmap A 1p rw private anon
                write A value 5
                pagemap_raw 0x800000000 8 bufat 0x100000000010
                values A
                """);
        assertThat(t.outcome()).as(t.outcome().render()).isEqualTo(Outcome.PASSED);
        assertThat(t.lines().getLast().result()).isEqualTo("A..A+1p 5");
    }

    @Test
    void everyPageIsLoadedWhateverThePagesBeforeItGave() throws Exception {
        Transcript t = sim("""
                scenario t
                file f 2p
                mmap A 4p rw shared file f
                write A 2p value 3
                madvise A+1p 1p guard_install
                values A 4p
                pagemap A 4p
                """);
        assertThat(t.lines().get(5).result()).isEqualTo("A..A+1p 3; A+1p..A+2p SIGSEGV; A+2p..A+4p SIGBUS");
        assertThat(t.lines().get(6).result()).startsWith("A..A+1p present file");
    }
}
