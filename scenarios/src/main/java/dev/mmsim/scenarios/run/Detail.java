package dev.mmsim.scenarios.run;

import dev.mmsim.core.Errno;
import dev.mmsim.core.Geometry;
import dev.mmsim.core.PageCategory;
import dev.mmsim.proc.PageRegion;
import dev.mmsim.proc.Pagemap;
import dev.mmsim.proc.ScanResult;
import dev.mmsim.proc.SmapsEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The structured form of a statement's result, for {@code --json}: what {@link Render} writes as
 * one line of text, as a JSON object with a {@code kind} ({@code none}, {@code ok}, {@code errno},
 * {@code signal}, {@code scan}, {@code pagemap}, {@code pagemap_raw}, {@code smaps}, {@code maps},
 * {@code mremap}, {@code bytes}, {@code unbound}) and its fields. Every address is given twice:
 * absolute (hex string) and relative to the scenario's mappings ({@code A+2p}), as transcripts
 * print it. The schema: {@code $defs/detail} of {@link Json#SCHEMA_RESOURCE}.
 */
public final class Detail {
    private Detail() {}

    /** A header statement (scenario, requires, ...): no result. */
    public static Map<String, Object> none() {
        return kind("none");
    }

    /** {@code ok} or an errno name, the result of a call that returns 0 or -errno. */
    public static Map<String, Object> status(String rendered) {
        if (rendered == null) return none();
        if (rendered.equals("ok")) return kind("ok");
        return errno(rendered);
    }

    /**
     * A result known only as text (a transcript read back from a file, a kernel's line without its
     * raw values): {@code ok}, an errno, or {@code text} with the line as it is.
     */
    public static Map<String, Object> text(String rendered) {
        if (rendered.equals("ok")) return kind("ok");
        if (rendered.matches("E[A-Z0-9]+")) return errno(rendered);
        Map<String, Object> m = kind("text");
        m.put("text", rendered);
        return m;
    }

    /** An errno by name, with its number where it is known. */
    public static Map<String, Object> errno(String name) {
        Map<String, Object> m = kind("errno");
        m.put("errno", name);
        Errno e = Errno.byName(name);
        if (e != null) m.put("errno_value", e.number);
        return m;
    }

    /** An access that raised {@code signal} at {@code address}. */
    public static Map<String, Object> signal(String signal, long address, Layout layout) {
        Map<String, Object> m = kind("signal");
        m.put("signal", signal);
        m.put("address", address(address, layout));
        return m;
    }

    /** mremap's new address (moved) or the old one. */
    public static Map<String, Object> mremap(long address, boolean moved, Layout layout) {
        Map<String, Object> m = kind("mremap");
        m.put("moved", moved);
        m.put("address", address(address, layout));
        return m;
    }

    /** A call that returns a count of bytes (process_madvise). */
    public static Map<String, Object> status(dev.mmsim.proc.TaskMem.Counters c) {
        Map<String, Object> m = kind("status");
        Map<String, Object> kb = new java.util.LinkedHashMap<>();
        long[] values = c.toArray();
        for (int i = 0; i < values.length; i++) kb.put(dev.mmsim.proc.TaskMem.Counters.NAMES.get(i), values[i]);
        m.put("counters_kb", kb);
        return m;
    }

    /** A byte count (process_madvise's result). */
    public static Map<String, Object> bytes(long bytes) {
        Map<String, Object> m = kind("bytes");
        m.put("bytes", bytes);
        return m;
    }

    /** A name that names nothing because the statement that meant to create it failed. */
    public static Map<String, Object> unbound(String name, String reason) {
        Map<String, Object> m = kind("unbound");
        m.put("name", name);
        m.put("reason", reason);
        return m;
    }

    /** PAGEMAP_SCAN: the ioctl's return, walk_end and the regions with their categories. */
    public static Map<String, Object> scan(ScanResult r, Layout layout) {
        Map<String, Object> m;
        if (r.ret() < 0) {
            m = errno(Errno.nameOf(r.ret()));
        } else {
            m = kind("scan");
            m.put("ret", r.ret());
            List<Object> regions = new ArrayList<>();
            for (PageRegion region : r.regions()) {
                Map<String, Object> g = range(region.start(), region.end(), layout);
                g.put("categories", categories(region.categories()));
                g.put("category_mask", region.categories());
                regions.add(g);
            }
            m.put("regions", regions);
        }
        m.put("walk_end", address(r.walkEnd(), layout));
        return m;
    }

    /** A pagemap read: runs of identical entries, each with its decoded fields; or the errno. */
    public static Map<String, Object> pagemap(long start, Pagemap.ReadResult r, Layout layout) {
        if (r.error() < 0) return errno(Errno.nameOf(r.error()));
        Map<String, Object> m = kind("pagemap");
        m.put("runs", runs(start, r.words(), layout));
        return m;
    }

    /** A values read: its runs, each with its value (unsigned, as a decimal string) or its signal. */
    public static Map<String, Object> values(List<Backend.ValueRun> runs, Layout layout) {
        Map<String, Object> m = kind("values");
        List<Object> out = new ArrayList<>();
        for (Backend.ValueRun r : runs) {
            Map<String, Object> g = range(r.start(), r.end(), layout);
            if (r.signal() != null) g.put("signal", r.signal());
            else g.put("value", Long.toUnsignedString(r.value()));
            out.add(g);
        }
        m.put("runs", out);
        return m;
    }

    /** A raw pagemap read: the bytes read and the runs of the words, by the page each describes. */
    public static Map<String, Object> pagemapRaw(long offset, Pagemap.ReadResult r, Layout layout) {
        if (r.error() < 0) return errno(Errno.nameOf(r.error()));
        Map<String, Object> m = kind("pagemap_raw");
        m.put("bytes", (long) r.words().length * Pagemap.PM_ENTRY_BYTES);
        m.put("runs", runs((offset / Pagemap.PM_ENTRY_BYTES) << Geometry.PAGE_SHIFT, r.words(), layout));
        return m;
    }

    /** smaps (or maps, {@code withCounters} false) entries. */
    public static Map<String, Object> smaps(List<SmapsEntry> entries, Layout layout, boolean withCounters) {
        Map<String, Object> m = kind(withCounters ? "smaps" : "maps");
        List<Object> vmas = new ArrayList<>();
        for (SmapsEntry e : entries) {
            Map<String, Object> v = range(e.start(), e.end(), layout);
            v.put("perms", e.perms());
            if (withCounters) {
                v.put("vm_flags", e.vmFlags());
                v.put("rss_kb", e.rssKb());
                v.put("swap_kb", e.swapKb());
                Map<String, Object> counters = Json.object();
                for (SmapsEntry.Counter c : SmapsEntry.Counter.values()) if (e.kb(c) != 0) counters.put(c.field, e.kb(c));
                v.put("counters_kb", counters);
            }
            vmas.add(v);
        }
        m.put("vmas", vmas);
        return m;
    }

    private static List<Object> runs(long start, long[] words, Layout layout) {
        List<Object> runs = new ArrayList<>();
        int i = 0;
        while (i < words.length) {
            String text = Render.pagemapWord(words[i]);
            int j = i + 1;
            while (j < words.length && Render.pagemapWord(words[j]).equals(text)) j++;
            Map<String, Object> run = range(start + i * Geometry.PAGE_SIZE, start + j * Geometry.PAGE_SIZE, layout);
            run.put("pages", j - i);
            run.putAll(entry(words[i]));
            runs.add(run);
            i = j;
        }
        return runs;
    }

    /** One pagemap word decoded (PFNs and swap offsets are not compared, so not given). */
    static Map<String, Object> entry(long w) {
        Map<String, Object> m = Json.object();
        boolean present = (w & Pagemap.PM_PRESENT) != 0;
        boolean swap = (w & Pagemap.PM_SWAP) != 0;
        m.put("present", present);
        m.put("swap", swap);
        m.put("file", (w & Pagemap.PM_FILE) != 0);
        m.put("exclusive", (w & Pagemap.PM_MMAP_EXCLUSIVE) != 0);
        m.put("uffd_wp", (w & Pagemap.PM_UFFD_WP) != 0);
        m.put("guard", (w & Pagemap.PM_GUARD_REGION) != 0);
        m.put("soft_dirty", (w & Pagemap.PM_SOFT_DIRTY) != 0);
        m.put("pfn", present && (w & Pagemap.PM_PFRAME_MASK) != 0);
        m.put("swap_type", !present && swap ? (Object) ((w & Pagemap.PM_PFRAME_MASK) & 31) : null);
        return m;
    }

    /** Category names in alphabetical order (none: an empty list). */
    static List<String> categories(long mask) {
        TreeSet<String> names = new TreeSet<>();
        for (PageCategory c : PageCategory.values()) if ((mask & c.mask()) != 0) names.add(c.scenarioName);
        return new ArrayList<>(names);
    }

    private static Map<String, Object> range(long start, long end, Layout layout) {
        Map<String, Object> m = Json.object();
        m.put("start", Json.hex(start));
        m.put("end", Json.hex(end));
        m.put("start_rel", layout.render(start));
        m.put("end_rel", layout.render(end));
        return m;
    }

    private static Map<String, Object> address(long a, Layout layout) {
        Map<String, Object> m = Json.object();
        m.put("absolute", Json.hex(a));
        m.put("relative", layout.render(a));
        return m;
    }

    private static Map<String, Object> kind(String kind) {
        Map<String, Object> m = Json.object();
        m.put("kind", kind);
        return m;
    }
}
