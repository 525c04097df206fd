package dev.mmsim.scenarios.fuzz;

import dev.mmsim.core.Madvise;
import dev.mmsim.scenarios.lang.AccessStmt;
import dev.mmsim.scenarios.lang.ClearRefsStmt;
import dev.mmsim.scenarios.lang.ExitStmt;
import dev.mmsim.scenarios.lang.ForkStmt;
import dev.mmsim.scenarios.lang.MadviseStmt;
import dev.mmsim.scenarios.lang.PrctlStmt;
import dev.mmsim.scenarios.lang.ProcessMadviseStmt;
import dev.mmsim.scenarios.lang.Size;
import dev.mmsim.scenarios.lang.UffdMode;
import dev.mmsim.scenarios.lang.UffdCloseStmt;
import dev.mmsim.scenarios.lang.UffdRegisterStmt;
import dev.mmsim.scenarios.lang.UffdUnregisterStmt;
import dev.mmsim.scenarios.lang.UffdWpStmt;
import dev.mmsim.scenarios.lang.UprobeStmt;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes the statements that touch memory or change it without remapping: read, write, madvise,
 * fork, userfaultfd write-protection (register, write-protect, unregister, close) and clear_refs.
 *
 * <p>userfaultfd is registered in async write-protect mode only: the agent has no fault-handling
 * thread, so a fault that waited for one (missing or minor mode, or synchronous wp) would hang
 * until the time limit.
 */
final class ProcessOps {
    private ProcessOps() {}

    /** {@code read} or {@code write} (now and then {@code write ... value N}): one page, or a range. */
    static void access(GenState g, boolean write) {
        GenState.Region r = g.anyRegion();
        long offset = Ranges.startOffset(g, r);
        Size size = g.chance(0.3) ? null : new Size(Ranges.touchable(r, Ranges.length(g, r, offset)));
        if (write && g.chance(0.3)) {
            // a value, so that a later values tells kept data from zero-fill (page-aligned start)
            g.emit(new AccessStmt(true, r.at(offset & dev.mmsim.core.Geometry.PAGE_MASK), size, (long) g.between(1, 999)));
            return;
        }
        g.emit(new AccessStmt(write, r.at(offset), size));
    }

    static void madvise(GenState g, Madvise advice) {
        GenState.Region region = g.anyRegion();
        Ranges.Range r = Ranges.range(g, region);
        boolean populates = advice == Madvise.POPULATE_READ || advice == Madvise.POPULATE_WRITE
                || advice == Madvise.WILLNEED || advice == Madvise.COLLAPSE;
        Size size = populates ? new Size(Ranges.touchable(region, r.size().bytes())) : r.size();
        // a huge length reaching past the arena's zone is refused on both backends (Interpreter's
        // confinement), but for the advice that only ages or reads ahead: keep those
        boolean ages = advice == Madvise.COLD || advice == Madvise.PAGEOUT || advice == Madvise.WILLNEED;
        if (!ages && Long.compareUnsigned(size.bytes(), Ranges.BIG + region.size()) > 0 && g.chance(0.9))
            size = new Size(region.size());
        g.emit(new MadviseStmt(r.addr(), size, advice));
    }

    /**
     * {@code process_madvise ADVICE} over one to three ranges, drawn from {@code advices}: the
     * ranges may overlap, fall in holes or repeat, which exercises the stop at the first failing one.
     */
    static void processMadvise(GenState g, List<Madvise> advices) {
        Madvise advice = advices.get(g.between(0, advices.size() - 1));
        int n = g.between(1, 3);
        List<ProcessMadviseStmt.Range> ranges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Ranges.Range r = Ranges.range(g);
            ranges.add(new ProcessMadviseStmt.Range(r.addr(), r.size()));
        }
        g.emit(new ProcessMadviseStmt(advice, ranges));
    }

    static void fork(GenState g) {
        String child = "c" + (g.children.size() + 1);
        g.emit(new ForkStmt(child));
        if (g.child != null) g.parents.add(g.child);
        g.children.add(child);
    }

    /**
     * {@code CHILD: exit} in a child that forked none (its children's statements go through it):
     * exit_mmap() of its copy of everything, while the parent's and its siblings' stay.
     */
    static void exit(GenState g) {
        List<String> leaves = g.liveChildren().stream().filter(c -> !g.parents.contains(c)).toList();
        String child = leaves.get(g.rng.nextInt(leaves.size()));
        g.lines.add(child + ": " + new ExitStmt().render());
        g.exited.add(child);
    }

    /**
     * {@code uffd_register ... wp async sigbus}, mostly over a whole region, now and then in
     * missing or minor mode too (with SIGBUS no fault waits for a handler) and with EVENT_REMAP
     * (not EVENT_FORK: a fork in a registered child would wait for a reader of its event).
     */
    static void uffdRegister(GenState g) {
        Ranges.Range r = g.chance(0.7) ? Ranges.whole(g.anyRegion()) : Ranges.range(g);
        Set<UffdMode> modes = switch (g.choose(6, 2, 1, 1)) {
            case 0 -> Set.of(UffdMode.WP);
            case 1 -> Set.of(UffdMode.WP, UffdMode.MISSING);
            case 2 -> Set.of(UffdMode.MISSING);
            default -> Set.of(UffdMode.MINOR);
        };
        g.emit(new UffdRegisterStmt(r.addr(), r.size(), modes, true, true, false, g.chance(0.3)));
        g.uffdRegistered = true;
    }

    /** {@code uffd_copy}, {@code uffd_zeropage} or {@code uffd_continue} over part of a region. */
    static void uffdFill(GenState g) {
        Ranges.Range r = Ranges.range(g);
        dev.mmsim.scenarios.lang.UffdFillStmt.Fill fill =
                dev.mmsim.scenarios.lang.UffdFillStmt.Fill.values()[g.choose(3, 2, 1)];
        boolean wp = fill != dev.mmsim.scenarios.lang.UffdFillStmt.Fill.ZEROPAGE && g.chance(0.3);
        g.emit(new dev.mmsim.scenarios.lang.UffdFillStmt(fill, r.addr(), r.size(), wp));
    }

    static void uffdUnregister(GenState g) {
        Ranges.Range r = g.chance(0.6) ? Ranges.whole(g.anyRegion()) : Ranges.range(g);
        g.emit(new UffdUnregisterStmt(r.addr(), r.size()));
    }

    static void uffdClose(GenState g) {
        g.emit(new UffdCloseStmt());
    }

    static void uffdWp(GenState g) {
        Ranges.Range r = Ranges.range(g);
        g.emit(new UffdWpStmt(r.addr(), r.size(), g.chance(0.7)));
    }

    /** {@code prctl memory_merge on|off}: PR_SET_MEMORY_MERGE, KSM for every eligible VMA or none. */
    static void prctlMemoryMerge(GenState g) {
        g.emit(new PrctlStmt("memory_merge", g.chance(0.7)));
    }

    /**
     * {@code uprobe F OFFSET}: a breakpoint in every private, non-writable mapping of F that may
     * execute, at a page's start, inside one (unaligned), or past the file's end.
     */
    static void uprobe(GenState g) {
        List<String> regular = g.files.stream().filter(f -> !g.memfds.contains(f)).toList();   // not a memfd's shmem
        String file = regular.get(g.rng.nextInt(regular.size()));
        long offset = switch (g.choose(4, 2, 1)) {
            case 0 -> GenState.pages(g.between(0, 3));
            case 1 -> GenState.pages(g.between(0, 3)) + 5;
            default -> GenState.pages(g.between(500, 1100));
        };
        g.emit(new UprobeStmt(file, new Size(offset)));
    }

    /** {@code clear_refs 1} to {@code 5}: every value /proc/pid/clear_refs accepts. */
    static void clearRefs(GenState g) {
        g.emit(new ClearRefsStmt(g.between(1, 5)));
    }
}
