package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.ScenarioParser;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The limits both backends share (corpus ops/extreme-values): the agent's pagemap read cap, the
 * largest {@code file}, and statements that the kernel would apply past the arena's end, where the
 * kernel backend's own mappings are (a madvise(MADV_GUARD_INSTALL) there kills the agent: measured).
 */
class ExtremeValuesTest {
    static Transcript sim(String text) throws Exception {
        return new Runner(Layout.DEFAULT_ARENA, 60).sim(ScenarioParser.parse("t.scn", text), HostProfile.parse("zero_page=off"));
    }

    @Test
    void pagemapReadsAreCappedAsTheAgentCapsThem() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Transcript t = sim("""
                    scenario t
                    mmap A 1p rw private
                    pagemap A 1024G
                    pagemap_raw 34359738368 0x7ffffffffffffff8
                    """);
            assertThat(t.outcome()).isEqualTo(Outcome.PASSED);
            assertThat(t.lines().get(2).result()).isEqualTo("A..A+2097152p none");
            assertThat(t.lines().get(3).result()).startsWith("16777216 bytes: ");
        });
    }

    @Test
    void aFileLargerThanTheCapIsEfbigAndNamesNothing() throws Exception {
        Transcript t = sim("""
                scenario t
                file f 1024G
                mmap F 1p r private file f
                file g 1G
                """);
        assertThat(t.lines().get(1).result()).isEqualTo("EFBIG");
        assertThat(t.lines().get(2).result()).isEqualTo("unbound f (its file statement failed with EFBIG)");
        assertThat(t.lines().get(3).result()).isEqualTo("ok");
    }

    @Test
    void statementsThatWouldChangeMemoryPastTheArenaAreNotRun() throws Exception {
        for (String stmt : new String[] {"madvise A 0x7ffffffffffff000 guard_install", "munmap A 0x6ffffffff000",
                "mmap B 1G rw private fixed at arena+16383G+2p", "mremap A 1p 1p maymove fixed arena+16384G"}) {
            Transcript t = sim("scenario t\nmmap A 1p rw private\n" + stmt + "\n");
            assertThat(t.outcome().kind()).isEqualTo(Outcome.Kind.UNSUPPORTED);
            assertThat(t.outcome().reason()).startsWith("line 3: ").contains("reaches outside [0xf0000000000, 0x200000000000)");
        }
        // the kernel's own early errors still answer: a wrap (madvise), a range past TASK_SIZE (munmap)
        Transcript t = sim("""
                scenario t
                mmap A 1p rw private
                munmap A 0x7ffffffffffff000
                madvise A 1024G dontneed
                """);
        assertThat(t.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(t.lines().get(2).result()).isEqualTo("EINVAL");
        assertThat(t.lines().get(3).result()).isEqualTo("ENOMEM");
    }
}
