package dev.mmsim.scenarios.picture;

import static dev.mmsim.core.Geometry.*;

import dev.mmsim.mm.Mm;
import dev.mmsim.mm.PageTables;
import dev.mmsim.mm.PmdLeaf;
import dev.mmsim.mm.Pte;
import dev.mmsim.mm.PteBits;
import dev.mmsim.mm.Vma;
import dev.mmsim.proc.PageRegion;
import dev.mmsim.proc.ScanResult;
import dev.mmsim.proc.SmapsEntry;
import dev.mmsim.proc.TraceEvent;
import dev.mmsim.scenarios.run.Backend;
import dev.mmsim.scenarios.run.Layout;
import dev.mmsim.scenarios.run.Render;
import dev.mmsim.scenarios.run.SimBackend;
import dev.mmsim.scenarios.picture.Snapshot.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;
import java.util.List;

/**
 * The adapter between the simulator and the pictures: the one class that reads a process's state.
 * VMAs come from the backend's smaps view (any backend), page tables only from the simulator's
 * {@link Mm}: {@link PageTables#pgd()} and {@link PageTables#pmdTable(long)} for which tables
 * exist, {@link PageTables#pteTable(long)} and {@link PageTables#pmdLeaf(long)} for a PMD slot,
 * {@link Pte#decode(long)} for an entry, {@link Mm#vmaLookup(long)} for whether a leaf is hugetlb.
 */
public final class MmState {
    private MmState() {}

    /** At most this many rows of the tree per statement; the rest is one "more" row. */
    public static final int MAX_ROWS = 40;

    /** Neighbouring rows with the same content are drawn as one from this many on. */
    static final int SUMMARISE_FROM = 3;

    /**
     * The state the statement left: VMAs (compared with {@code before}, the previous snapshot of
     * the same process, or null), the tree over the touched ranges, and the scan and its walk.
     */
    public static Snapshot capture(String process, Backend target, Layout layout, Snapshot before,
            ScanResult scan, List<TraceEvent> trace) {
        List<SmapsEntry> smaps = target.smaps(layout.arena(), layout.arenaEnd());
        List<VmaBox> vmas = new ArrayList<>();
        List<VmaBox> previous = before == null ? List.of() : before.vmas();
        for (SmapsEntry e : smaps) {
            vmas.add(new VmaBox(e.start(), e.end(), layout.render(e.start()) + ".." + layout.render(e.end()), e.perms(),
                    e.vmFlags(), e.rssKb() / 4, change(e, previous)));
        }
        List<String> removed = new ArrayList<>();
        for (VmaBox p : previous) {
            boolean covered = false;
            for (VmaBox v : vmas) if (v.start() < p.end() && p.start() < v.end()) covered = true;
            if (!covered) removed.add(layout.render(p.start()) + ".." + layout.render(p.end()));
        }
        Scan s = scan == null ? null : scan(scan, trace, layout);
        Map<Long, String> slots = new HashMap<>();
        Set<Long> changed = new HashSet<>();
        List<Row> rows = target instanceof SimBackend sim
                ? rows(sim.mm(), layout, vmas, s, before == null ? null : before.slots(), slots, changed) : List.of();
        Map<Long, String> names = new HashMap<>();
        for (Row r : rows) {
            names.put(r.start(), layout.render(r.start()));
            names.put(r.end(), layout.render(r.end()));
        }
        return new Snapshot(process, vmas, removed, rows, s, Map.copyOf(names), null, Set.copyOf(changed),
                Map.copyOf(slots));
    }

    private static Change change(SmapsEntry e, List<VmaBox> previous) {
        if (previous.isEmpty()) return Change.NEW;
        List<VmaBox> overlapping = new ArrayList<>();
        for (VmaBox p : previous) if (p.start() < e.end() && e.start() < p.end()) overlapping.add(p);
        if (overlapping.isEmpty()) return Change.NEW;
        if (overlapping.size() > 1) return Change.MERGED;
        VmaBox p = overlapping.get(0);
        if (p.start() == e.start() && p.end() == e.end())
            return p.perms().equals(e.perms()) && p.flags().equals(e.vmFlags()) ? Change.SAME : Change.FLAGS;
        if (p.start() <= e.start() && e.end() <= p.end()) return Change.SPLIT;
        return Change.RESIZED;
    }

    /** The scan's regions and walk; its range is what they cover (an argument error covers nothing). */
    private static Scan scan(ScanResult r, List<TraceEvent> trace, Layout layout) {
        long start = -1, end = -1;
        for (PageRegion g : r.ret() >= 0 ? r.regions() : List.<PageRegion>of()) {
            start = start == -1 ? g.start() : Math.min(start, g.start());
            end = Math.max(end, g.end());
        }
        for (TraceEvent e : trace) {
            start = start == -1 ? e.start() : Math.min(start, e.start());
            end = Math.max(end, e.end());
        }
        if (start == -1) start = end = 0;
        List<Region> regions = new ArrayList<>();
        if (r.ret() >= 0) {
            for (PageRegion g : r.regions()) {
                regions.add(new Region(g.start(), g.end(), layout.render(g.start()) + ".." + layout.render(g.end()),
                        Render.categories(g.categories()), g.categories()));
            }
        }
        List<Snapshot.Step> walk = new ArrayList<>();
        int order = 1;
        for (TraceEvent e : trace) {
            walk.add(new Snapshot.Step(order++, e.callback(), e.start(), e.end(), e.depth(),
                    layout.render(e.start()) + ".." + layout.render(e.end()), e.why()));
        }
        return new Scan(start, end, Render.scan(r, layout), regions, walk);
    }

    /**
     * The tree's rows over every touched range: the VMAs, the scan, and wherever a table exists.
     * Each row is compared with what the previous statement left ({@code before}, slot signatures;
     * null for a process's first statement): the starts of the rows that differ go into
     * {@code changed}, and this statement's signatures into {@code slots}.
     */
    static List<Row> rows(Mm mm, Layout layout, List<VmaBox> vmas, Scan scan, Map<Long, String> before,
            Map<Long, String> slots, Set<Long> changed) {
        List<long[]> ranges = new ArrayList<>();
        for (VmaBox v : vmas) ranges.add(new long[] {v.start(), v.end()});
        if (scan != null) {
            if (Long.compareUnsigned(scan.start(), scan.end()) < 0 && inArena(layout, scan.start())) {
                ranges.add(new long[] {scan.start(), Math.min(scan.end(), layout.arenaEnd())});
            }
            for (Snapshot.Step st : scan.walk())
                if (st.start() != st.end() && inArena(layout, st.start()))
                    ranges.add(new long[] {st.start(), Math.min(st.end(), layout.arenaEnd())});
        }
        existingTables(mm.pageTables(), layout, ranges);
        List<long[]> merged = mergeAligned(ranges);
        List<Row> raw = new ArrayList<>();
        long previousEnd = -1;
        for (long[] r : merged) {
            if (previousEnd != -1) raw.add(new Gap(previousEnd, r[0]));
            slots(mm, r[0], r[1], raw);
            previousEnd = r[1];
        }
        Set<Long> rawChanged = new HashSet<>();
        for (Row r : raw) {
            String sig = signature(r);
            if (sig == null) continue;
            slots.put(r.start(), sig);
            if (before == null) continue;
            String was = before.get(r.start());
            // a hole where nothing was drawn before is no change (a new mapping builds no table)
            if (was == null ? !(r instanceof Hole) : !was.equals(sig)) rawChanged.add(r.start());
        }
        List<Row> rows = limit(summarise(raw, rawChanged));
        for (Row r : rows) if (rawChanged.contains(r.start())) changed.add(r.start());
        return rows;
    }

    /** What a raw row holds, for comparing statements; null for rows that hold nothing to compare. */
    private static String signature(Row r) {
        return switch (r) {
            case Table t -> "table " + t.runs();
            case Leaf l -> "leaf " + l.kind();
            case Hole h -> "hole " + h.depth() + (h.depth() < 3 ? " to " + Long.toHexString(h.end()) : "");
            default -> null;
        };
    }

    private static boolean inArena(Layout layout, long addr) {
        return Long.compareUnsigned(addr, layout.arena()) >= 0 && Long.compareUnsigned(addr, layout.arenaEnd()) < 0;
    }

    /** Adds the 2 MiB range of every PMD slot in the arena that holds a table or a leaf. */
    private static void existingTables(PageTables pt, Layout layout, List<long[]> out) {
        Object[] pgd = pt.pgd();
        for (long a = layout.arena(); Long.compareUnsigned(a, layout.arenaEnd()) < 0; a += PGDIR_SIZE) {
            if (pgd[pgdIndex(a)] == null) continue;
            for (long b = a; b < a + PGDIR_SIZE; b += PUD_SIZE) {
                Object[] pmd = pt.pmdTable(b);
                if (pmd == null) continue;
                for (int i = 0; i < PTRS_PER_TABLE; i++)
                    if (pmd[i] != null) out.add(new long[] {b + i * PMD_SIZE, b + (i + 1) * PMD_SIZE});
            }
        }
    }

    /** Ranges widened to whole PMD slots, sorted, overlapping or touching ones joined. */
    private static List<long[]> mergeAligned(List<long[]> ranges) {
        List<long[]> sorted = new ArrayList<>();
        for (long[] r : ranges) sorted.add(new long[] {r[0] & PMD_MASK, (r[1] + PMD_SIZE - 1) & PMD_MASK});
        sorted.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] r : sorted) {
            if (!out.isEmpty() && Long.compareUnsigned(r[0], out.get(out.size() - 1)[1]) <= 0) {
                long[] last = out.get(out.size() - 1);
                if (Long.compareUnsigned(r[1], last[1]) > 0) last[1] = r[1];
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** One row per PMD slot of [start, end), a missing upper table as one hole row. */
    private static void slots(Mm mm, long start, long end, List<Row> out) {
        PageTables pt = mm.pageTables();
        long a = start;
        while (Long.compareUnsigned(a, end) < 0) {
            if (pt.pgd()[pgdIndex(a)] == null) {
                long next = Math.min((a & PGDIR_MASK) + PGDIR_SIZE, end);
                out.add(new Hole(a, next, pgdIndex(a), pudIndex(a), pmdIndex(a), 0));
                a = next;
                continue;
            }
            Object[] pmdTable = pt.pmdTable(a);
            if (pmdTable == null) {
                long next = Math.min((a & PUD_MASK) + PUD_SIZE, end);
                out.add(new Hole(a, next, pgdIndex(a), pudIndex(a), pmdIndex(a), 2));
                a = next;
                continue;
            }
            long next = a + PMD_SIZE;
            long[] table = pt.pteTable(a);
            PmdLeaf leaf = pt.pmdLeaf(a);
            if (table != null) {
                out.add(new Table(a, next, pgdIndex(a), pudIndex(a), pmdIndex(a), runs(table), 1));
            } else if (leaf != null) {
                out.add(new Leaf(a, next, pgdIndex(a), pudIndex(a), pmdIndex(a), leafKind(mm, a, leaf.entry), 1));
            } else {
                out.add(new Hole(a, next, pgdIndex(a), pudIndex(a), pmdIndex(a), 3));
            }
            a = next;
        }
    }

    static List<Run> runs(long[] table) {
        List<Run> runs = new ArrayList<>();
        EntryKind kind = null;
        int from = 0;
        for (int i = 0; i < table.length; i++) {
            EntryKind k = kind(table[i]);
            if (k != kind) {
                if (kind != null) runs.add(new Run(kind, from, i - from));
                kind = k;
                from = i;
            }
        }
        runs.add(new Run(kind, from, table.length - from));
        return runs;
    }

    /** The kind of one packed PTE, through the decoded view. */
    static EntryKind kind(long raw) {
        return switch (Pte.decode(raw)) {
            case Pte.None n -> EntryKind.NONE;
            case Pte.Present p -> p.special() ? EntryKind.ZERO : p.uffdWp() ? EntryKind.PRESENT_WP : EntryKind.PRESENT;
            case Pte.Swap s -> EntryKind.SWAP;
            case Pte.Marker m -> m.guard() ? EntryKind.GUARD : EntryKind.UFFD_WP;
        };
    }

    private static LeafKind leafKind(Mm mm, long addr, long entry) {
        Vma vma = mm.vmaLookup(addr);
        boolean hugetlb = vma != null && vma.isHugetlb();
        if (hugetlb) return PteBits.pteNone(entry) ? LeafKind.HUGETLB_EMPTY
                : PteBits.pteP(entry) ? LeafKind.HUGETLB : LeafKind.NON_PRESENT;
        if (!PteBits.pteP(entry)) return LeafKind.NON_PRESENT;
        return mm.frames().isHugeZeroPfn(PteBits.ptePfn(entry)) ? LeafKind.HUGE_ZERO : LeafKind.THP;
    }

    /** Runs of {@link #SUMMARISE_FROM} or more equal neighbouring rows (changed alike) become one row. */
    static List<Row> summarise(List<Row> raw, Set<Long> changed) {
        List<Row> out = new ArrayList<>();
        int i = 0;
        while (i < raw.size()) {
            int j = i + 1;
            while (j < raw.size() && same(raw.get(i), raw.get(j)) && raw.get(j - 1).end() == raw.get(j).start()
                    && changed.contains(raw.get(i).start()) == changed.contains(raw.get(j).start())) j++;
            Row first = raw.get(i);
            Row last = raw.get(j - 1);
            int n = j - i;
            if (n >= SUMMARISE_FROM || first instanceof Hole) {
                out.add(switch (first) {
                    case Table t -> new Table(t.start(), last.end(), t.pgd(), t.pud(), t.pmd(), t.runs(), n);
                    case Leaf l -> new Leaf(l.start(), last.end(), l.pgd(), l.pud(), l.pmd(), l.kind(), n);
                    case Hole h -> new Hole(h.start(), last.end(), h.pgd(), h.pud(), h.pmd(), h.depth());
                    default -> first;
                });
            } else {
                out.addAll(raw.subList(i, j));
            }
            i = j;
        }
        return out;
    }

    /** Same content, in the same upper tables (a row never spans two PUD tables' worth of drawing). */
    private static boolean same(Row a, Row b) {
        return switch (a) {
            case Table t when b instanceof Table u -> t.runs().equals(u.runs()) && t.pgd() == u.pgd() && t.pud() == u.pud();
            case Leaf l when b instanceof Leaf m -> l.kind() == m.kind() && l.pgd() == m.pgd() && l.pud() == m.pud();
            case Hole h when b instanceof Hole g -> h.depth() == g.depth() && h.depth() == 3 && h.pgd() == g.pgd()
                    && h.pud() == g.pud();
            default -> false;
        };
    }

    private static List<Row> limit(List<Row> rows) {
        if (rows.size() <= MAX_ROWS) return rows;
        List<Row> out = new ArrayList<>(rows.subList(0, MAX_ROWS - 1));
        Row last = rows.get(rows.size() - 1);
        out.add(new More(rows.get(MAX_ROWS - 1).start(), last.end(), rows.size() - MAX_ROWS + 1));
        return out;
    }
}
