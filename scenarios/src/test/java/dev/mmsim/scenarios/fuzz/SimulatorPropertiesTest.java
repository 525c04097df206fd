package dev.mmsim.scenarios.fuzz;

import static dev.mmsim.core.Geometry.PAGE_SIZE;
import static dev.mmsim.core.PageCategory.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmsim.core.HostProfile;
import dev.mmsim.core.VmFlag;
import dev.mmsim.mm.FrameTable;
import dev.mmsim.mm.Mm;
import dev.mmsim.mm.MmInvariants;
import dev.mmsim.mm.MmWalkOps;
import dev.mmsim.mm.PageWalk;
import dev.mmsim.mm.Vma;
import dev.mmsim.proc.PageRegion;
import dev.mmsim.proc.Pagemap;
import dev.mmsim.proc.PagemapScan;
import dev.mmsim.proc.PmScanArg;
import dev.mmsim.proc.ScanResult;
import dev.mmsim.scenarios.fuzz.SimStates.State;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the simulator alone, on scenarios from the fuzz generator (fixed seeds, the zero
 * page on and off), checked after every statement: the VMA and page-table invariants hold; the
 * sticky VM_MAYBE_GUARD is never lost and covers every guard marker; the generic walker's callbacks
 * cover any range without gaps or overlaps; PAGEMAP_SCAN reports the categories pagemap shows; and
 * small-vec scans resumed at walk_end add up to one big scan.
 */
class SimulatorPropertiesTest {
    static final int CASES = 80;
    /** The categories a pagemap word shows. */
    static final long SHOWN_BY_PAGEMAP = PAGE_IS_PRESENT.mask() | PAGE_IS_FILE.mask() | PAGE_IS_PFNZERO.mask()
            | PAGE_IS_SWAPPED.mask() | PAGE_IS_GUARD.mask();
    /** Statements that may unmap what carried VM_MAYBE_GUARD. */
    static final Set<String> UNMAPPING = Set.of("mmap", "munmap", "mremap");

    static Stream<Arguments> cases() {
        return Fuzzing.seeds(CASES).boxed().flatMap(s -> Stream.of(Arguments.of(s, true), Arguments.of(s, false)));
    }

    static List<State> states(long seed, boolean zeroPage) {
        HostProfile host = new HostProfile("upstream", zeroPage, "madvise", false, true);
        return SimStates.after(Fuzzing.GENERATOR.generate(seed), host);
    }

    @ParameterizedTest(name = "seed {0}, zero page {1}")
    @MethodSource("cases")
    void vmaAndPageTableInvariantsHoldAfterEveryStatement(long seed, boolean zeroPage) {
        for (State s : states(seed, zeroPage)) {
            assertThat(MmInvariants.violations(s.mm())).as("after %s", s.step().render()).isEmpty();
        }
    }

    @ParameterizedTest(name = "seed {0}, zero page {1}")
    @MethodSource("cases")
    void maybeGuardIsNeverLostAndCoversEveryMarker(long seed, boolean zeroPage) {
        Mm before = null;
        for (State s : states(seed, zeroPage)) {
            for (PageRegion r : everywhere(s.mm(), PAGE_IS_GUARD.mask())) {
                assertMaybeGuard(s.mm(), r.start(), r.end(), "marker after " + s.step().render());
            }
            if (before != null && !UNMAPPING.contains(s.step().stmt().keyword())) {
                for (Vma v : before.vmas()) {
                    if (v.has(VmFlag.VM_MAYBE_GUARD)) assertMaybeGuard(s.mm(), v.start(), v.end(), "kept by " + s.step().render());
                }
            }
            before = s.mm();
        }
    }

    private static void assertMaybeGuard(Mm mm, long start, long end, String what) {
        for (long a = start; a < end; a += PAGE_SIZE) {
            Vma v = mm.vmaLookup(a);
            assertThat(v != null && v.has(VmFlag.VM_MAYBE_GUARD)).as("VM_MAYBE_GUARD at %x, %s", a, what).isTrue();
        }
    }

    @ParameterizedTest(name = "seed {0}, zero page {1}")
    @MethodSource("cases")
    void walkCallbacksCoverTheRangeWithoutGapsOrOverlaps(long seed, boolean zeroPage) {
        for (State s : states(seed, zeroPage)) {
            Mm mm = s.mm();
            if (mm.vmas().isEmpty()) continue;
            assertCovered(mm, first(mm) - PAGE_SIZE, end(mm) + PAGE_SIZE);
            for (Vma v : mm.vmas()) assertCovered(mm, v.start() + PAGE_SIZE / 2 & -PAGE_SIZE, v.end());
        }
    }

    /**
     * The pte_entry, hugetlb_entry and pte_hole calls of a walk of [start, end) follow each other
     * from start to end.
     */
    private static void assertCovered(Mm mm, long start, long end) {
        List<long[]> calls = new ArrayList<>();
        MmWalkOps ops = MmWalkOps.builder()
                .pteEntry((table, i, addr, next, walk) -> record(calls, addr, next))
                .hugetlbEntry((table, i, hmask, addr, next, walk) -> record(calls, addr, next))
                .pteHole((addr, next, depth, walk) -> record(calls, addr, next))
                .build();
        assertThat(PageWalk.walkPageRange(mm, start, end, ops, null)).isZero();
        long at = start;
        for (long[] call : calls) {
            assertThat(call[0]).as("callback after %x", at).isEqualTo(at);
            assertThat(call[1]).as("callback at %x", at).isGreaterThan(call[0]);
            at = call[1];
        }
        assertThat(at).as("walk of %x..%x", start, end).isEqualTo(end);
    }

    private static int record(List<long[]> calls, long addr, long next) {
        calls.add(new long[] {addr, next});
        return MmWalkOps.CONTINUE;
    }

    @ParameterizedTest(name = "seed {0}, zero page {1}")
    @MethodSource("cases")
    void scanReportsTheCategoriesPagemapShows(long seed, boolean zeroPage) {
        for (State s : states(seed, zeroPage)) {
            for (Vma v : s.mm().vmas()) {
                long[] words = Pagemap.entries(s.mm(), v.start(), v.pages()).words();
                long[] scanned = new long[words.length];
                Arrays.fill(scanned, -1);
                for (PageRegion r : scan(s.mm(), PmScanArg.of(v.start(), v.end(), v.pages() + 1)
                        .withMasks(0, 0, 0, SHOWN_BY_PAGEMAP))) {
                    for (long a = r.start(); a < r.end(); a += PAGE_SIZE) scanned[(int) ((a - v.start()) / PAGE_SIZE)] = r.categories();
                }
                for (int i = 0; i < words.length; i++) {
                    assertThat(scanned[i]).as("page %x after %s, pagemap %x", v.start() + i * PAGE_SIZE,
                            s.step().render(), words[i]).isEqualTo(shownByPagemap(words[i]));
                }
            }
        }
    }

    /** The categories of a page as its pagemap word shows them (Documentation/admin-guide/mm/pagemap.rst). */
    static long shownByPagemap(long word) {
        long c = 0;
        if ((word & Pagemap.PM_PRESENT) != 0) {
            c |= PAGE_IS_PRESENT.mask();
            if ((word & Pagemap.PM_FILE) != 0) c |= PAGE_IS_FILE.mask();
            if ((word & Pagemap.PM_PFRAME_MASK) == FrameTable.ZERO_PFN) c |= PAGE_IS_PFNZERO.mask();
        } else if ((word & Pagemap.PM_SWAP) != 0) {
            c |= PAGE_IS_SWAPPED.mask();
            if ((word & Pagemap.PM_GUARD_REGION) != 0) c |= PAGE_IS_GUARD.mask();
        }
        return c;
    }

    @ParameterizedTest(name = "seed {0}, zero page {1}")
    @MethodSource("cases")
    void smallVecScansResumedAtWalkEndAddUpToOneBigScan(long seed, boolean zeroPage) {
        List<State> states = states(seed, zeroPage);
        Mm mm = states.get(states.size() - 1).mm();
        if (mm.vmas().isEmpty()) return;
        long start = first(mm);
        long end = end(mm);
        List<PageRegion> big = scan(mm, PmScanArg.of(start, end, 1 << 20));
        for (int vec : new int[] {1, 3, 7}) {
            List<PageRegion> pieces = new ArrayList<>();
            for (long at = start; at < end; ) {
                ScanResult r = PagemapScan.doPagemapScan(mm, PmScanArg.of(at, end, vec), null);
                assertThat(r.walkEnd()).as("progress of a vec-%d scan from %x", vec, at).isGreaterThan(at);
                pieces.addAll(r.regions());
                at = r.walkEnd();
            }
            assertThat(pieces).as("vec %d", vec).isEqualTo(big);
        }
    }

    /**
     * The properties are not vacuous: the cases map several VMAs, install guard markers, merge
     * VMAs carrying VM_MAYBE_GUARD, and leave pages present.
     */
    @Test
    void theCasesExerciseWhatThePropertiesCheck() {
        int severalVmas = 0;
        int maybeGuard = 0;
        int present = 0;
        for (long seed : Fuzzing.seeds(CASES).toArray()) {
            List<State> states = states(seed, false);
            Mm mm = states.get(states.size() - 1).mm();
            if (mm.vmas().size() > 1) severalVmas++;
            if (mm.vmas().stream().anyMatch(v -> v.has(VmFlag.VM_MAYBE_GUARD))) maybeGuard++;
            if (!everywhere(mm, PAGE_IS_PRESENT.mask()).isEmpty()) present++;
        }
        assertThat(severalVmas).isGreaterThan(CASES / 3);
        assertThat(maybeGuard).isGreaterThan(CASES / 10);
        assertThat(present).isGreaterThan(CASES / 3);
    }

    /**
     * On a host with CONFIG_MEM_SOFT_DIRTY, with {@code clear_refs 4} inserted into each generated
     * case after every third statement, after every statement: the invariants hold; pagemap's bit 55 and PAGEMAP_SCAN's
     * PAGE_IS_SOFT_DIRTY agree on every page (the selftests' page_entry_is() fails otherwise); and
     * VM_SOFTDIRTY, being sticky, is only ever lost by clear_refs or where a VMA was unmapped.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("softDirtySeeds")
    void softDirtyIsReportedAlikeAndVmSoftdirtyIsOnlyClearedByClearRefs(long seed) {
        HostProfile host = new HostProfile("upstream", false, "madvise", false, true, true);
        Mm before = null;
        for (State s : SimStates.after(withClearRefs(seed), host)) {
            Mm mm = s.mm();
            String step = s.step().render();
            assertThat(MmInvariants.violations(mm)).as("after %s", step).isEmpty();
            for (Vma v : mm.vmas()) {
                long[] words = Pagemap.entries(mm, v.start(), v.pages()).words();
                long[] dirty = new long[words.length];
                for (PageRegion r : scan(mm, PmScanArg.of(v.start(), v.end(), v.pages() + 1)
                        .withMasks(0, 0, 0, PAGE_IS_SOFT_DIRTY.mask()))) {
                    for (long a = r.start(); a < r.end(); a += PAGE_SIZE) dirty[(int) ((a - v.start()) / PAGE_SIZE)] = r.categories();
                }
                for (int i = 0; i < words.length; i++) {
                    assertThat(dirty[i] != 0).as("page %x after %s, pagemap %x", v.start() + i * PAGE_SIZE, step, words[i])
                            .isEqualTo((words[i] & Pagemap.PM_SOFT_DIRTY) != 0);
                }
            }
            String keyword = s.step().stmt().keyword();
            if (before != null && !UNMAPPING.contains(keyword) && !keyword.equals("clear_refs")) {
                for (Vma v : before.vmas()) {
                    if (!v.has(VmFlag.VM_SOFTDIRTY)) continue;
                    for (long a = v.start(); a < v.end(); a += PAGE_SIZE) {
                        Vma now = mm.vmaLookup(a);
                        assertThat(now == null || now.has(VmFlag.VM_SOFTDIRTY)).as("VM_SOFTDIRTY at %x kept by %s", a, step).isTrue();
                    }
                }
            }
            before = mm;
        }
    }

    static Stream<Long> softDirtySeeds() {
        return Fuzzing.seeds(CASES / 2).boxed();
    }

    /** The generated case with {@code clear_refs 4} after its first statement and every third one. */
    static FuzzCase withClearRefs(long seed) {
        FuzzCase c = Fuzzing.GENERATOR.generate(seed);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < c.lines().size(); i++) {
            lines.add(c.lines().get(i));
            if (i % 3 == 0) lines.add("clear_refs 4");
        }
        return c.withLines(lines);
    }

    /**
     * The soft-dirty cases are not vacuous: in some, clear_refs 4 clears VM_SOFTDIRTY, and pages of
     * a cleared VMA are soft-dirty again afterwards.
     */
    @Test
    void theSoftDirtyCasesClearAndSetTheBit() {
        HostProfile host = new HostProfile("upstream", false, "madvise", false, true, true);
        int cleared = 0;
        int dirtyEntries = 0;
        for (long seed : softDirtySeeds().mapToLong(Long::longValue).toArray()) {
            boolean sawCleared = false;
            boolean sawDirty = false;
            for (State s : SimStates.after(withClearRefs(seed), host)) {
                for (Vma v : s.mm().vmas()) {
                    if (v.has(VmFlag.VM_SOFTDIRTY)) continue;
                    sawCleared = true;
                    long[] words = Pagemap.entries(s.mm(), v.start(), v.pages()).words();
                    if (Arrays.stream(words).anyMatch(w -> (w & Pagemap.PM_SOFT_DIRTY) != 0)) sawDirty = true;
                }
            }
            if (sawCleared) cleared++;
            if (sawDirty) dirtyEntries++;
        }
        assertThat(cleared).isGreaterThan(CASES / 4);
        assertThat(dirtyEntries).isGreaterThan(CASES / 8);
    }

    /** The regions of every VMA with the category. */
    private static List<PageRegion> everywhere(Mm mm, long category) {
        if (mm.vmas().isEmpty()) return List.of();
        return scan(mm, PmScanArg.of(first(mm), end(mm), 1 << 20).withMasks(0, category, 0, category));
    }

    private static List<PageRegion> scan(Mm mm, PmScanArg arg) {
        ScanResult r = PagemapScan.doPagemapScan(mm, arg, null);
        assertThat(r.ret()).as("scan %s", arg).isGreaterThanOrEqualTo(0);
        return r.regions();
    }

    private static long first(Mm mm) {
        return mm.vmas().get(0).start();
    }

    private static long end(Mm mm) {
        return mm.vmas().get(mm.vmas().size() - 1).end();
    }
}
