package dev.mmsim.mm;

import static dev.mmsim.core.Geometry.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.MapFlag;
import dev.mmsim.core.Prot;
import dev.mmsim.core.Semantics;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** walk_page_range(): which callbacks run, in which order, with which depth. */
class PageWalkTest {
    static final long BASE = 0x100000000000L;
    static final int ANON_PRIVATE = MapFlag.MAP_PRIVATE | MapFlag.MAP_ANONYMOUS | MapFlag.MAP_FIXED_NOREPLACE;

    Mm mm = new Mm(Semantics.newest(HostProfile.UPSTREAM));

    @Test
    void holesAreReportedAtTheDepthWhereTheTableIsMissing() {
        Mmap.doMmap(mm, BASE, 4 * PMD_SIZE, Prot.PROT_READ | Prot.PROT_WRITE, ANON_PRIVATE, null, 0);
        Memory.handleMmFault(mm, BASE + PMD_SIZE, true);
        List<String> calls = new ArrayList<>();
        MmWalkOps ops = MmWalkOps.builder()
                .pteHole((a, n, depth, w) -> { calls.add("hole " + (a - BASE) / PMD_SIZE + " " + depth); return 0; })
                .pmdEntry((t, i, a, n, w) -> { calls.add("pmd " + (a - BASE) / PMD_SIZE); return 0; })
                .build();
        PageWalk.walkPageRange(mm, BASE - PMD_SIZE, BASE + 4 * PMD_SIZE, ops, null);
        assertThat(calls).containsExactly("hole -1 -1", "hole 0 3", "pmd 1", "hole 2 3", "hole 3 3");
    }

    @Test
    void withoutPteEntryThereIsNoDescent() {
        Mmap.doMmap(mm, BASE, PMD_SIZE, Prot.PROT_READ | Prot.PROT_WRITE, ANON_PRIVATE, null, 0);
        Memory.handleMmFault(mm, BASE, true);
        List<Long> ptes = new ArrayList<>();
        MmWalkOps withPte = MmWalkOps.builder().pteEntry((t, i, a, n, w) -> { ptes.add(a); return 0; }).build();
        PageWalk.walkPageRange(mm, BASE, BASE + 4 * PAGE_SIZE, withPte, null);
        assertThat(ptes).hasSize(4);
        ptes.clear();
        MmWalkOps withoutPte = MmWalkOps.builder().pmdEntry((t, i, a, n, w) -> 0).build();
        PageWalk.walkPageRange(mm, BASE, BASE + 4 * PAGE_SIZE, withoutPte, null);
        assertThat(ptes).isEmpty();
    }

    @Test
    void testWalkSkipsAndStops() {
        Mmap.doMmap(mm, BASE, PAGE_SIZE, Prot.PROT_READ, ANON_PRIVATE, null, 0);
        Mmap.doMmap(mm, BASE + 2 * PAGE_SIZE, PAGE_SIZE, Prot.PROT_READ, ANON_PRIVATE, null, 0);
        List<Long> visited = new ArrayList<>();
        MmWalkOps skipFirst = MmWalkOps.builder()
                .testWalk((a, n, w) -> a == BASE ? 1 : 0)
                .pteHole((a, n, d, w) -> { if (w.vma() != null) visited.add(a); return 0; })
                .build();
        assertThat(PageWalk.walkPageRange(mm, BASE, BASE + 3 * PAGE_SIZE, skipFirst, null)).isZero();
        assertThat(visited).containsExactly(BASE + 2 * PAGE_SIZE);
        MmWalkOps fail = MmWalkOps.builder().testWalk((a, n, w) -> -1).build();
        assertThat(PageWalk.walkPageRange(mm, BASE, BASE + 3 * PAGE_SIZE, fail, null)).isEqualTo(-1);
        assertThat(PageWalk.walkPageRange(mm, BASE, BASE, fail, null)).isEqualTo(-22);
    }

    @Test
    void installPteAllocatesTablesAndFillsEmptyEntries() {
        Mmap.doMmap(mm, BASE, 3 * PAGE_SIZE, Prot.PROT_READ, ANON_PRIVATE, null, 0);
        MmWalkOps install = MmWalkOps.builder()
                .pteEntry((t, i, a, n, w) -> 0)
                .installPte((a, n, w) -> PteBits.mkMarker(PteBits.PTE_MARKER_GUARD))
                .build();
        PageWalk.walkPageRange(mm, BASE, BASE + 2 * PAGE_SIZE, install, null);
        assertThat(PteBits.isGuardMarker(mm.pageTables().pte(BASE))).isTrue();
        assertThat(PteBits.isGuardMarker(mm.pageTables().pte(BASE + PAGE_SIZE))).isTrue();
        assertThat(mm.pageTables().pte(BASE + 2 * PAGE_SIZE)).isZero();
    }
}
