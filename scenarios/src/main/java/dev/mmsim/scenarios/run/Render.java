package dev.mmsim.scenarios.run;

import dev.mmsim.core.Errno;
import dev.mmsim.core.Geometry;
import dev.mmsim.core.PageCategory;
import dev.mmsim.proc.PageRegion;
import dev.mmsim.proc.Pagemap;
import dev.mmsim.proc.ScanResult;
import dev.mmsim.proc.SmapsEntry;
import dev.mmsim.scenarios.lang.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The canonical text of results, shared by both backends so that identical kernel state renders
 * identically. Addresses go through {@link Layout#render}; categories are lower-case names in
 * alphabetical order joined by '|'; PFNs render as {@code pfn} and swap offsets as {@code *}.
 */
public final class Render {
    private Render() {}

    /** {@code ok} or the errno name for a 0 / negative return. */
    public static String status(long ret) {
        return ret == 0 ? "ok" : Errno.nameOf(ret);
    }

    /** A category mask: {@code guard|swapped|written}; 0 is {@code none}. */
    public static String categories(long mask) {
        if (mask == 0) return "none";
        TreeSet<String> names = new TreeSet<>();
        for (PageCategory c : PageCategory.values()) if ((mask & c.mask()) != 0) names.add(c.scenarioName);
        List<String> out = new ArrayList<>(names);
        long unknown = mask & ~PageCategory.PM_SCAN_CATEGORIES;
        if (unknown != 0) out.add("0x" + Long.toHexString(unknown));
        return String.join("|", out);
    }

    /** {@code N [A+0p..A+4p present|written, ...] walk_end=A+4p}, or {@code EINVAL walk_end=0}. */
    public static String scan(ScanResult r, Layout layout) {
        if (r.ret() < 0) return Errno.nameOf(r.ret()) + " walk_end=" + layout.render(r.walkEnd());
        StringBuilder sb = new StringBuilder().append(r.ret()).append(" [");
        boolean first = true;
        for (PageRegion region : r.regions()) {
            if (!first) sb.append(", ");
            first = false;
            sb.append(layout.render(region.start())).append("..").append(layout.render(region.end()))
                    .append(' ').append(categories(region.categories()));
        }
        return sb.append("] walk_end=").append(layout.render(r.walkEnd())).toString();
    }

    /** One pagemap word: {@code present file exclusive pfn}, {@code swap guard type=31 offset=*}, {@code none}. */
    public static String pagemapWord(long w) {
        if (w == 0) return "none";
        List<String> parts = new ArrayList<>();
        if ((w & Pagemap.PM_PRESENT) != 0) parts.add("present");
        if ((w & Pagemap.PM_SWAP) != 0) parts.add("swap");
        if ((w & Pagemap.PM_FILE) != 0) parts.add("file");
        if ((w & Pagemap.PM_MMAP_EXCLUSIVE) != 0) parts.add("exclusive");
        if ((w & Pagemap.PM_UFFD_WP) != 0) parts.add("uffd_wp");
        if ((w & Pagemap.PM_GUARD_REGION) != 0) parts.add("guard");
        if ((w & Pagemap.PM_SOFT_DIRTY) != 0) parts.add("soft_dirty");
        long frame = w & Pagemap.PM_PFRAME_MASK;
        if ((w & Pagemap.PM_PRESENT) != 0) {
            if (frame != 0) parts.add("pfn");
        } else if ((w & Pagemap.PM_SWAP) != 0) {
            parts.add("type=" + (frame & 31));
            parts.add("offset=*");
        }
        long unknown = w & (3L << 59);
        if (unknown != 0) parts.add("bits=0x" + Long.toHexString(unknown));
        return parts.isEmpty() ? "none" : String.join(" ", parts);
    }

    /** Consecutive pages with the same rendered word merge: {@code A+0p..A+4p present exclusive pfn; A+4p..A+6p none}. */
    public static String pagemapRuns(long start, long[] words, Layout layout) {
        if (words.length == 0) return "empty";
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < words.length) {
            String text = pagemapWord(words[i]);
            int j = i + 1;
            while (j < words.length && pagemapWord(words[j]).equals(text)) j++;
            if (sb.length() > 0) sb.append("; ");
            sb.append(layout.render(start + i * Geometry.PAGE_SIZE)).append("..")
                    .append(layout.render(start + j * Geometry.PAGE_SIZE)).append(' ').append(text);
            i = j;
        }
        return sb.toString();
    }

    /** {@code A..A+3p 7; A+3p..A+4p SIGSEGV}: the runs of a {@code values}, each value unsigned decimal. */
    public static String values(List<Backend.ValueRun> runs, Layout layout) {
        StringBuilder sb = new StringBuilder();
        for (Backend.ValueRun r : runs) {
            if (sb.length() > 0) sb.append("; ");
            sb.append(layout.render(r.start())).append("..").append(layout.render(r.end())).append(' ')
                    .append(r.signal() != null ? r.signal() : Long.toUnsignedString(r.value()));
        }
        return sb.toString();
    }

    /** A pagemap read: the runs, or the errno. */
    public static String pagemap(long start, Pagemap.ReadResult r, Layout layout) {
        if (r.error() < 0) return Errno.nameOf(r.error());
        return pagemapRuns(start, r.words(), layout);
    }

    /** A raw read: {@code N bytes} then the runs of the words read, addressed by the virtual page each word describes. */
    public static String pagemapRaw(long offset, Pagemap.ReadResult r, Layout layout) {
        if (r.error() < 0) return Errno.nameOf(r.error());
        long bytes = (long) r.words().length * Pagemap.PM_ENTRY_BYTES;
        if (bytes == 0) return "0 bytes";
        return bytes + " bytes: " + pagemapRuns((offset / Pagemap.PM_ENTRY_BYTES) << Geometry.PAGE_SHIFT, r.words(), layout);
    }

    /**
     * {@code A+0p..A+10p rw-p flags=rd,wr,mr,mw,me,lo,ac rss=4p swap=0p locked=4p; ...}, or {@code none}.
     * Rss and Swap are always shown, in pages (or K); the other counters of {@link SmapsEntry.Counter}
     * only when not zero, as sizes in their canonical unit ({@code anon_huge=2M}, {@code locked=2K}).
     */
    public static String smaps(List<SmapsEntry> entries, Layout layout) {
        if (entries.isEmpty()) return "none";
        List<String> out = new ArrayList<>();
        for (SmapsEntry e : entries) {
            StringBuilder sb = new StringBuilder(range(e, layout)).append(" flags=").append(String.join(",", e.vmFlags()))
                    .append(" rss=").append(kbToPages(e.rssKb())).append(" swap=").append(kbToPages(e.swapKb()));
            for (SmapsEntry.Counter c : SmapsEntry.Counter.values()) {
                long kb = e.kb(c);
                if (kb != 0) sb.append(' ').append(c.word).append('=').append(new Size(kb * 1024).render());
            }
            out.add(sb.toString());
        }
        return String.join("; ", out);
    }

    /**
     * {@code VmPTE=12K RssAnon=64K RssFile=0K RssShmem=0K VmLck=0K VmSwap=0K HugetlbPages=0K}: the
     * status counters in kB, named as /proc/pid/status names them, in its order.
     */
    public static String status(dev.mmsim.proc.TaskMem.Counters c) {
        long[] kb = c.toArray();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kb.length; i++) {
            if (i > 0) sb.append(' ');
            sb.append(dev.mmsim.proc.TaskMem.Counters.NAMES.get(i)).append('=').append(kb[i]).append('K');
        }
        return sb.toString();
    }

    /** {@code A+0p..A+10p rw-p; ...}, or {@code none}. */
    public static String maps(List<SmapsEntry> entries, Layout layout) {
        if (entries.isEmpty()) return "none";
        List<String> out = new ArrayList<>();
        for (SmapsEntry e : entries) out.add(range(e, layout));
        return String.join("; ", out);
    }

    private static String range(SmapsEntry e, Layout layout) {
        return layout.render(e.start()) + ".." + layout.render(e.end()) + " " + e.perms();
    }

    private static String kbToPages(long kb) {
        long pageKb = Geometry.PAGE_SIZE / 1024;
        return kb % pageKb == 0 ? (kb / pageKb) + "p" : kb + "K";
    }
}
