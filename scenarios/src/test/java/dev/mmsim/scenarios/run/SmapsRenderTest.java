package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.proc.SmapsEntry;
import dev.mmsim.proc.SmapsEntry.Counter;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The kernel's smaps text parsed into entries, and entries rendered: optional counters appear only when not zero. */
class SmapsRenderTest {
    static final long ARENA = 0x100000000000L;

    @Test
    void parsesTheComparedCountersOfEachBlock() {
        List<SmapsEntry> e = KernelBackend.parseSmaps(List.of(
                "100000000000-100000400000 rw-p 00000000 00:00 0",
                "Size:               4096 kB",
                "Rss:                2052 kB",
                "LazyFree:              4 kB",
                "AnonHugePages:      2048 kB",
                "Shared_Hugetlb:        0 kB",
                "Private_Hugetlb:       0 kB",
                "Swap:                  0 kB",
                "Locked:                6 kB",
                "THPeligible:           1",
                "VmFlags: rd wr mr mw me lo ac ",
                "100000400000-100000600000 rw-p 00000000 00:11 17    /anon_hugepage (deleted)",
                "Rss:                   0 kB",
                "Private_Hugetlb:    2048 kB",
                "Swap:                  0 kB",
                "VmFlags: rd wr mr mw me de ht "));
        assertThat(e).hasSize(2);
        assertThat(e.get(0).rssKb()).isEqualTo(2052);
        assertThat(e.get(0).counters()).containsExactly(java.util.Map.entry(Counter.ANON_HUGE, 2048L),
                java.util.Map.entry(Counter.LOCKED, 6L));
        assertThat(e.get(1).counters()).containsExactly(java.util.Map.entry(Counter.PRIVATE_HUGETLB, 2048L));

        Layout layout = new Layout(ARENA);
        assertThat(Render.smaps(e, layout)).isEqualTo(
                "arena+0x0..arena+0x400000 rw-p flags=rd,wr,mr,mw,me,lo,ac rss=513p swap=0p anon_huge=2M locked=6K; "
                        + "arena+0x400000..arena+0x600000 rw-p flags=rd,wr,mr,mw,me,de,ht rss=0p swap=0p private_hugetlb=2M");
    }
}
