package dev.mmsim.core;

import java.util.Map;
import java.util.TreeMap;

/**
 * What the kernel backend measured about the host, which the simulator must follow for the two to
 * agree: whether a read fault on untouched private anonymous memory maps the shared zero page
 * (hosts booted with {@code pvm_no_zero_page=1} allocate a real page instead), the THP mode, and
 * whether swap and hugetlb pages are available, and whether the kernel tracks soft-dirty pages
 * (CONFIG_MEM_SOFT_DIRTY). Rendered as the transcript header line
 * {@code # host: linux 6.18.44 zero_page=off thp=madvise swap=no hugetlb=yes}, with
 * {@code soft_dirty=on} appended only on a host that has soft-dirty tracking (so transcripts of
 * hosts without it, such as the ones mmsim is checked on, read as they always did), and likewise
 * {@code la57=on} only on a kernel with 5-level page tables.
 *
 * @param kernel  the kernel release ("6.18.44-..."), or "upstream" for the built-in default
 * @param zeroPage a read fault maps the shared zero page
 * @param thp     /sys/kernel/mm/transparent_hugepage/enabled: always, madvise or never
 * @param swap    an active swap device
 * @param hugetlb hugetlb pages are configured in this kernel
 * @param softDirty the kernel was built with CONFIG_MEM_SOFT_DIRTY: new VMAs get VM_SOFTDIRTY,
 *                written pages the soft-dirty PTE bit, and clear_refs 4 clears them
 * @param la57    the kernel runs 5-level page tables (x86 LA57, as under QEMU's TCG "max" CPU): a
 *                process's address space, TASK_SIZE_MAX, ends at 2^56 - PAGE_SIZE, not at
 *                2^47 - PAGE_SIZE ({@link #taskSizeMax()})
 */
public record HostProfile(String kernel, boolean zeroPage, String thp, boolean swap, boolean hugetlb,
                          boolean softDirty, boolean la57) {

    /**
     * Upstream defaults: the zero page in use, THP on madvise, no swap, hugetlb available, no
     * soft-dirty tracking (as on the hosts mmsim is checked on).
     */
    public static final HostProfile UPSTREAM = new HostProfile("upstream", true, "madvise", false, true, false, false);

    /** A host without soft-dirty tracking. */
    public HostProfile(String kernel, boolean zeroPage, String thp, boolean swap, boolean hugetlb) {
        this(kernel, zeroPage, thp, swap, hugetlb, false);
    }

    /** A host with 4-level page tables. */
    public HostProfile(String kernel, boolean zeroPage, String thp, boolean swap, boolean hugetlb, boolean softDirty) {
        this(kernel, zeroPage, thp, swap, hugetlb, softDirty, false);
    }

    /** The same host, with or without CONFIG_MEM_SOFT_DIRTY. */
    public HostProfile withSoftDirty(boolean on) {
        return new HostProfile(kernel, zeroPage, thp, swap, hugetlb, on, la57);
    }

    /** TASK_SIZE_MAX for a 64-bit process: the end of its address space, 4 or 5 page-table levels. */
    public long taskSizeMax() {
        return la57 ? (1L << 56) - Geometry.PAGE_SIZE : Geometry.TASK_SIZE;
    }

    public String render() {
        return "linux " + kernel + " zero_page=" + onOff(zeroPage) + " thp=" + thp
                + " swap=" + yesNo(swap) + " hugetlb=" + yesNo(hugetlb) + (softDirty ? " soft_dirty=on" : "")
                + (la57 ? " la57=on" : "");
    }

    /**
     * Parses the form {@link #render()} prints, or a comma/space separated list of key=value
     * overrides applied to {@link #UPSTREAM} (for --host-profile), e.g. {@code zero_page=off}.
     *
     * @throws IllegalArgumentException naming the bad key or value
     */
    public static HostProfile parse(String text) {
        String kernel = UPSTREAM.kernel();
        String body = text.trim();
        if (body.startsWith("linux ")) {
            body = body.substring(6).trim();
            int sp = body.indexOf(' ');
            kernel = sp < 0 ? body : body.substring(0, sp);
            body = sp < 0 ? "" : body.substring(sp + 1);
        }
        Map<String, String> kv = new TreeMap<>();
        for (String part : body.split("[,\\s]+")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("expected key=value, got '" + part + "'");
            kv.put(part.substring(0, eq), part.substring(eq + 1));
        }
        boolean zero = UPSTREAM.zeroPage();
        String thp = UPSTREAM.thp();
        boolean swap = UPSTREAM.swap();
        boolean hugetlb = UPSTREAM.hugetlb();
        boolean softDirty = UPSTREAM.softDirty();
        boolean la57 = UPSTREAM.la57();
        for (var e : kv.entrySet()) {
            switch (e.getKey()) {
                case "zero_page" -> zero = bool(e.getKey(), e.getValue());
                case "thp" -> {
                    if (!e.getValue().matches("always|madvise|never"))
                        throw new IllegalArgumentException("thp must be always, madvise or never, got '" + e.getValue() + "'");
                    thp = e.getValue();
                }
                case "swap" -> swap = bool(e.getKey(), e.getValue());
                case "hugetlb" -> hugetlb = bool(e.getKey(), e.getValue());
                case "soft_dirty" -> softDirty = bool(e.getKey(), e.getValue());
                case "la57" -> la57 = bool(e.getKey(), e.getValue());
                case "kernel" -> kernel = e.getValue();
                default -> throw new IllegalArgumentException("unknown host profile key '" + e.getKey()
                        + "' (known: zero_page, thp, swap, hugetlb, soft_dirty, la57, kernel)");
            }
        }
        return new HostProfile(kernel, zero, thp, swap, hugetlb, softDirty, la57);
    }

    private static boolean bool(String key, String v) {
        return switch (v) {
            case "on", "yes", "true" -> true;
            case "off", "no", "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be on or off, got '" + v + "'");
        };
    }

    private static String onOff(boolean b) {
        return b ? "on" : "off";
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }
}
