package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.ScenarioParser;

import java.util.List;

import org.junit.jupiter.api.Test;

/** trace scan says why the walk went where it went: test_walk's verdict, what a PMD entry holds, a hole's depth. */
class TraceScanTest {
    static final Runner RUNNER = new Runner(Layout.DEFAULT_ARENA, 60);

    /** The notes of the statement at {@code line}. */
    static List<String> notes(String text, int line) throws Exception {
        Transcript t = RUNNER.sim(ScenarioParser.parse("t.scn", text), HostProfile.UPSTREAM);
        for (Transcript.Line l : t.lines()) if (l.line() == line) return l.notes();
        throw new AssertionError(t.render());
    }

    @Test
    void aPmdLeafIsToldFromAPteTable() throws Exception {
        String thp = "scenario t\nrequires thp\nmmap H 4M rw private anon align 2M\nmadvise H 4M hugepage\n"
                + "write H\nread H+512p\nwrite H+1024p\ntrace scan H 4M\nmadvise H+1p 1p dontneed\ntrace scan H 2M\n";
        assertThat(notes(thp, 8)).containsExactly("test_walk H..H+1024p: descend", "pmd_entry H..H+512p: pmd leaf (thp)",
                "pmd_entry H+512p..H+1024p: pmd leaf (huge zero page)");
        assertThat(notes(thp, 10)).containsExactly("test_walk H..H+512p: descend", "pmd_entry H..H+512p: pte table");
    }

    @Test
    void holesSayWhichTableIsMissing() throws Exception {
        String text = "scenario t\nmmap A 6M rw private anon\ntrace scan A 6M\nwrite A\ntrace scan A 6M\n";
        assertThat(notes(text, 3)).containsExactly("test_walk A..A+1536p: descend",
                "pte_hole A..A+1536p depth=0: pgd_none: no PUD table");
        assertThat(notes(text, 5)).contains("pte_hole A+512p..A+1024p depth=3: pmd_none: no PTE table");
    }

    @Test
    void testWalkGivesItsVerdict() throws Exception {
        String text = "scenario t\nmmap A 4p rw private anon\nwrite A\ntrace scan A 4p flags wp_matching\n"
                + "trace scan A 4p flags check_wpasync\ntrace scan A 4p mask wpallowed\n";
        assertThat(notes(text, 4)).containsExactly(
                "test_walk A..A+4p: skip the VMA: wp_matching, and it is not registered for async uffd-wp");
        assertThat(notes(text, 5)).containsExactly(
                "test_walk A..A+4p: stop with EPERM: check_wpasync, and the VMA is not registered for async uffd-wp");
        assertThat(notes(text, 6)).containsExactly(
                "test_walk A..A+4p: skip the VMA: the mask needs wpallowed, which no page of it can have");
    }
}
