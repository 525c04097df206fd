package dev.mmsim.scenarios.lang;

import dev.mmsim.core.PageCategory;
import dev.mmsim.core.ScanFlag;
import java.util.List;
import java.util.StringJoiner;

/**
 * {@code [trace] scan ADDR SIZE [flags FLAG,...] [inverted CATS] [mask CATS] [anyof CATS]
 * [return CATS] [vec N|null] [max N] [size N] [start RAWADDR] [end RAWADDR] [vecat RAWADDR]
 * [of CHILD] [on F] [argat RAWADDR]}: the PAGEMAP_SCAN ioctl on /proc/pid/pagemap, filling the fields of struct
 * pm_scan_arg.
 *
 * <p>The last four options are raw overrides for error paths: the struct's size field, a NULL
 * vector, and start or end addresses that need not be ADDR + SIZE. Category masks are kept as
 * written, unknown bits included, so that the kernel gets to reject them. The last three choose
 * where the call goes: the vector at a given user address (its errors are EFAULT), the pagemap of a
 * child opened by the main process (/proc/PID/pagemap; ESRCH once the child has exited), or the
 * descriptor of a file that is not a pagemap (ENOTTY). {@code argat} passes that address instead of
 * the struct itself, for the EFAULT of reading it.
 *
 * @param addr the start of the range
 * @param size its length: {@code end = addr + size}
 * @param flags PM_SCAN_* flags (default 0)
 * @param inverted category_inverted (default 0)
 * @param mask category_mask (default 0)
 * @param anyof category_anyof_mask (default 0)
 * @param returnMask return_mask (default {@link PageCategory#PM_SCAN_CATEGORIES})
 * @param vec vec_len, in struct page_region entries (default {@value #DEFAULT_VEC})
 * @param vecNull whether vec is NULL ({@code vec null}; vec_len stays {@value #DEFAULT_VEC})
 * @param max max_pages (default 0: no limit)
 * @param rawSize the size field, or null for sizeof(struct pm_scan_arg)
 * @param rawStart the start field, or null for {@code addr}
 * @param rawEnd the end field, or null for {@code addr + size}
 * @param trace true for {@code trace scan}: also print the page-walk callbacks (simulator only)
 * @param vecAt the vec field as a user address, or null for a buffer of vec_len entries
 * @param of the child whose /proc/PID/pagemap the main process scans, or null for its own
 * @param on the file whose descriptor gets the ioctl, or null for /proc/self/pagemap
 * @param argAt the ioctl's argument pointer, or null for the struct built from the options
 * @param cmd the ioctl's request number, or null for PAGEMAP_SCAN ({@code cmd N}, for the error path
 *            of a request the pagemap file does not know)
 */
public record ScanStmt(Addr addr, Size size, long flags, long inverted, long mask, long anyof,
        long returnMask, long vec, boolean vecNull, long max, Long rawSize, Addr rawStart,
        Addr rawEnd, boolean trace, Addr vecAt, String of, String on, Addr argAt, Long cmd) implements Stmt {
    /** The default vector length. */
    public static final long DEFAULT_VEC = 1024;
    /** The scenario names of the PM_SCAN_* flags, in bit order. */
    public static final List<String> FLAG_NAMES = List.of("wp_matching", "check_wpasync");
    /** The word for every category bit at once. */
    static final String ALL = "all";

    /** A scan of the process's own pagemap with a vector of vec_len entries. */
    public ScanStmt(Addr addr, Size size, long flags, long inverted, long mask, long anyof,
            long returnMask, long vec, boolean vecNull, long max, Long rawSize, Addr rawStart,
            Addr rawEnd, boolean trace) {
        this(addr, size, flags, inverted, mask, anyof, returnMask, vec, vecNull, max, rawSize, rawStart,
                rawEnd, trace, null, null, null, null, null);
    }

    /** The PM_SCAN_* bit named {@code name}, one of {@link #FLAG_NAMES}; 0 for any other name. */
    public static long flagBit(String name) {
        return switch (name) {
            case "wp_matching" -> ScanFlag.PM_SCAN_WP_MATCHING;
            case "check_wpasync" -> ScanFlag.PM_SCAN_CHECK_WPASYNC;
            default -> 0;
        };
    }

    @Override
    public String render() {
        StringJoiner out = new StringJoiner(" ");
        if (trace) {
            out.add("trace");
        }
        out.add("scan").add(addr.render()).add(size.render());
        option(out, "flags", flags == 0 ? null : renderFlags(flags));
        option(out, "inverted", inverted == 0 ? null : renderCategories(inverted));
        option(out, "mask", mask == 0 ? null : renderCategories(mask));
        option(out, "anyof", anyof == 0 ? null : renderCategories(anyof));
        option(out, "return",
                returnMask == PageCategory.PM_SCAN_CATEGORIES ? null : renderCategories(returnMask));
        option(out, "vec", vecNull ? "null" : vec == DEFAULT_VEC ? null : Long.toString(vec));
        option(out, "max", max == 0 ? null : Long.toString(max));
        option(out, "size", rawSize == null ? null : rawSize.toString());
        option(out, "start", rawStart == null ? null : rawStart.render());
        option(out, "end", rawEnd == null ? null : rawEnd.render());
        option(out, "vecat", vecAt == null ? null : vecAt.render());
        option(out, "of", of);
        option(out, "on", on);
        option(out, "argat", argAt == null ? null : argAt.render());
        option(out, "cmd", cmd == null ? null : Numbers.hex(cmd));
        return out.toString();
    }

    /** Adds {@code key value} unless the value is null (the option is at its default). */
    private static void option(StringJoiner out, String key, String value) {
        if (value != null) {
            out.add(key).add(value);
        }
    }

    /** Flag names joined by commas in bit order, unknown bits last in hex. */
    private static String renderFlags(long flags) {
        StringJoiner out = new StringJoiner(",");
        FLAG_NAMES.stream().filter(name -> (flags & flagBit(name)) != 0).forEach(out::add);
        long unknown = flags & ~ScanFlag.PM_SCAN_FLAGS;
        if (unknown != 0) {
            out.add(Numbers.hex(unknown));
        }
        return out.toString();
    }

    /** {@value #ALL} for every category, else category names joined by {@code |} in bit order. */
    private static String renderCategories(long categories) {
        return categories == PageCategory.PM_SCAN_CATEGORIES ? ALL : PageCategory.render(categories);
    }

    @Override
    public String keyword() {
        return trace ? "trace" : "scan";
    }
}
