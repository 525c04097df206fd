package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Confinement and the agent's limits (Interpreter): a statement that would change the kernel
 * backend's own memory, or pass a limit of the agent, is refused at its line on both backends
 * alike; argument-validation probes the kernel refuses by itself still run.
 */
class ConfinementTest {
    private static final HostProfile HOST = HostProfile.parse("zero_page=off");

    static Transcript sim(String text) throws Exception {
        return new Runner(Layout.DEFAULT_ARENA, 60).sim(ScenarioParser.parse("t.scn", text), HOST);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "munmap arena-0xfffffff0000 1p",                       // below the zone: a static agent's code
            "madvise arena+0x100000000000 0x6ffffffff000 dontneed", // the crash: up to the agent's stack
            "mprotect arena+0x6fff00000000 1p r",                       // where the stack and libraries are
            "mlock arena-2048G 1p",
            "munlock arena+16384G 1p",
            "mseal arena+17408G 1p",
            "process_madvise dontneed A 1p arena+0x6f0000000000 1p",
            "madvise arena+0x6f0000000000 1p dontneed",
            "madvise arena+0x6f0000000000 1p cold",              // a hint too: at the agent's [vvar] it is EINVAL
            "mremap arena+0x455555554000 1p 2p maymove",         // the old range: a PIE agent's code
            "mmap B 1p rw private fixed at arena+0x6f0000000000",
            "write arena+0x6f0000000000",
            "read arena-2048G",
            "uffd_register arena+0x6f0000000000 1p wp",
            "scan A 1p vec 10 vecat 0x7f0000000000",
            "scan A 1p argat 0x7f0000000000",
            "pagemap_raw 0 8 bufat 0x7f0000000000",
            "values arena+0x6f0000000000",
            "values arena-1024G-1p 2p",                            // every page is loaded: the whole range counts
            "write arena+0x6f0000000000 value 7",
    })
    void changesOutsideTheZoneAreRefusedAtTheirLine(String stmt) throws Exception {
        Transcript t = sim("scenario t\nmmap A 1p rw private\n" + stmt + "\n");
        assertThat(t.outcome().kind()).isEqualTo(Outcome.Kind.UNSUPPORTED);
        assertThat(t.outcome().reason()).startsWith("line 3: ").contains("reaches outside [0xf0000000000, 0x200000000000)")
                .endsWith("refused on both backends");
        assertThat(t.lines()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "munmap A 0x7ffffffffffff000 => EINVAL",             // past TASK_SIZE: do_vmi_munmap() refuses it
            "madvise arena+0x6ffffffff000 1p dontneed => ENOMEM", // at TASK_SIZE: nothing can be mapped there
            "mprotect A+1 1p r => EINVAL",                        // unaligned
            "mmap B 1p rw private fixed at arena+0x6ffffffff000 => ENOMEM",
            "munmap arena-0xfffffff0000 0 => EINVAL",              // empty
            "scan A 1p vec 10 vecat 0x800000000000 => EFAULT walk_end=0",
            "pagemap_raw 0 8 bufat 0x800000000000 => EFAULT",
            "madvise arena-1024G 1p dontneed => ENOMEM",          // the zone reaches 1 TiB below the arena
            "mprotect A 0x7ffffffffffff000 r => ENOMEM",         // stops at the first hole, in the zone
            "mlock A 0x7ffffffffffff000 => ENOMEM",
            "write A 0x7fffffffffffffff => SIGSEGV at A+1p",      // faults at the first hole, in the zone
            "write A 0x7fffffffffffffff value 3 => SIGSEGV at A+1p",
            "values A 2p => A..A+1p 0; A+1p..A+2p SIGSEGV",
    })
    void validationProbesStillRun(String stmt) throws Exception {
        Transcript t = sim("scenario t\nmmap A 1p rw private\n" + stmt + "\n");
        assertThat(t.outcome()).as(t.outcome().render() + " " + t.failures()).isEqualTo(Outcome.PASSED);
    }

    @Test
    void theAgentsLimitsAreRefusedNotRun() throws Exception {
        StringBuilder files = new StringBuilder("scenario t\n");
        for (int i = 0; i <= Interpreter.MAX_FILES; i++) files.append("memfd m").append(i).append(" 1p\n");
        Transcript t = sim(files.toString());
        assertThat(t.outcome().reason()).isEqualTo("line " + (Interpreter.MAX_FILES + 2)
                + ": memfd: more than 256 files is past a limit of the kernel agent: refused on both backends");

        StringBuilder forks = new StringBuilder("scenario t\n");
        for (int i = 0; i <= Interpreter.MAX_CHILDREN; i++) forks.append("fork c").append(i).append('\n');
        t = sim(forks.toString());
        assertThat(t.outcome().reason()).startsWith("line " + (Interpreter.MAX_CHILDREN + 2) + ": fork: more than 64 forks");

        t = sim("scenario t\nfork " + "c".repeat(256) + "\n");
        assertThat(t.outcome().reason()).startsWith("line 2: fork: a child name of more than 255 characters");
        t = sim("scenario t\nfork " + "c".repeat(255) + "\n");
        assertThat(t.outcome()).isEqualTo(Outcome.PASSED);
    }

    @Test
    void processMadviseWithMoreRangesThanUioMaxiovIsTheKernelsEinval() throws Exception {
        StringBuilder s = new StringBuilder("scenario t\nmmap A 1p rw private\nprocess_madvise cold");
        for (int i = 0; i < 1100; i++) s.append(" A 1p");
        Transcript t = sim(s.append("\n").toString());
        assertThat(t.lines().get(2).result()).isEqualTo("EINVAL");
        Scenario sc = ScenarioParser.parse("t.scn", s.toString());
        Comparison c = Comparison.of(new Runner(Layout.DEFAULT_ARENA, 60).sim(sc, HOST), new Runner(Layout.DEFAULT_ARENA, 60).kernel(sc));
        assertThat(c.verdict()).as(c.explain()).isIn(Comparison.Verdict.AGREE, Comparison.Verdict.SKIPPED);
    }

    @Test
    void aScenarioThatCouldPopulateMoreThanTheCapIsRefusedAtThatStatement() throws Exception {
        Transcript t = sim("scenario t\nmmap A 4G rw private noreserve\nwrite A 1G\nwrite A+1G 1G\n");
        assertThat(t.outcome().reason()).startsWith("line 4: write could populate more than 2 GiB in this scenario");
        // a touch that faults at once past a small mapping is no threat, however long its range
        t = sim("scenario t\nmmap A 4p rw private\nwrite A 0x7fffffffffffffff => SIGSEGV at A+4p\n");
        assertThat(t.outcome()).isEqualTo(Outcome.PASSED);
        // populating a sparse mapping counts; mapping it does not
        t = sim("scenario t\nmmap A 1024G rw private noreserve\nwrite A 1p\nmadvise A 3G populate_write\n");
        assertThat(t.outcome().reason()).startsWith("line 4: madvise populate_write could populate more than 2 GiB");
        t = sim("scenario t\nfile f 1G\nfile g 1G\nfile h 1p\n");
        assertThat(t.outcome().reason()).startsWith("line 4: file could populate more than 2 GiB");
    }
}
