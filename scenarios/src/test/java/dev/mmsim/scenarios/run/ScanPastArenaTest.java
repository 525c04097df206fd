package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.scenarios.lang.ScenarioParser;

import org.junit.jupiter.api.Test;

/**
 * A PAGEMAP_SCAN that pagemap_scan_get_args() accepts over a range reaching past the arena walks
 * the kernel backend's own mappings (do_pagemap_scan() walks whatever is mapped): the simulator
 * reports it as not modelled rather than print a result it cannot know. Rejected ones stand.
 */
class ScanPastArenaTest {
    static final String SCAN = """
            scenario t
            mmap mem 10p rw private anon
            scan mem 10p end 0x800000000000
            scan mem 10p start 0x10000000 end 0x10040000
            """;

    static Transcript sim(String text, String host) throws Exception {
        return new Runner(Layout.DEFAULT_ARENA, 60).sim(ScenarioParser.parse("t.scn", text), HostProfile.parse(host));
    }

    @Test
    void anEndPastTaskSizeMaxIsEfaultWithFourPageTableLevels() throws Exception {
        Transcript t = sim(SCAN, "zero_page=off");
        assertThat(t.outcome()).isEqualTo(Outcome.PASSED);
        assertThat(t.lines().get(2).result()).isEqualTo("EFAULT walk_end=0");
        // below the arena nothing is mapped, as the selftest's unmapped-region scan has it
        assertThat(t.lines().get(3).result()).isEqualTo("0 [] walk_end=0x10040000");
    }

    @Test
    void withFivePageTableLevelsTheWalkWouldLeaveTheArena() throws Exception {
        assertThat(sim(SCAN, "zero_page=off,la57=on").outcome()).isEqualTo(
                Outcome.unsupported("scan past the arena's end (the kernel walks the agent's own mappings there)"));
    }

    @Test
    void beforeSixTwelveToo() throws Exception {
        assertThat(sim(SCAN.replace("scenario t\n", "scenario t\nprofile linux-6.11\n"), "zero_page=off").outcome().kind())
                .isEqualTo(Outcome.Kind.UNSUPPORTED);
    }
}
