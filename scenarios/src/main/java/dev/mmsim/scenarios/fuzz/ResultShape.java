package dev.mmsim.scenarios.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rendered result taken apart (the forms {@code dev.mmsim.scenarios.run.Render} prints): its
 * ranged items, which are scan regions, pagemap runs and smaps or maps entries, and the scalars
 * around them, such as a status, a scan's count and walk_end, or the address of a fault.
 *
 * @param items the ranged items in order
 * @param scalars the scalars by name: {@code status}, {@code count}, {@code walk_end}, {@code bytes},
 *     {@code at}
 */
record ResultShape(List<Item> items, Map<String, String> scalars) {
    /**
     * One ranged item: {@code A+2p..A+4p guard|swapped|written}.
     *
     * @param start its start address as rendered
     * @param end its end address as rendered
     * @param attributes the rest of the item
     */
    record Item(String start, String end, String attributes) {}

    private static final Pattern SCAN = Pattern.compile("(\\S+) \\[(.*)] walk_end=(\\S+)");
    private static final Pattern SCAN_ERROR = Pattern.compile("(E[A-Z0-9]+) walk_end=(\\S+)");
    private static final Pattern RAW = Pattern.compile("(\\d+) bytes(?:: (.*))?");
    private static final Pattern AT = Pattern.compile("(\\S+) at (\\S+)");
    private static final Pattern ITEM = Pattern.compile("(\\S+)\\.\\.(\\S+) (.*)");

    static ResultShape parse(String result) {
        Map<String, String> scalars = new LinkedHashMap<>();
        Matcher m;
        if ((m = SCAN.matcher(result)).matches()) {
            scalars.put("count", m.group(1));
            scalars.put("walk_end", m.group(3));
            return new ResultShape(items(m.group(2), ", "), scalars);
        }
        if ((m = SCAN_ERROR.matcher(result)).matches()) {
            scalars.put("status", m.group(1));
            scalars.put("walk_end", m.group(2));
            return new ResultShape(List.of(), scalars);
        }
        if ((m = RAW.matcher(result)).matches()) {
            scalars.put("bytes", m.group(1));
            return new ResultShape(m.group(2) == null ? List.of() : items(m.group(2), "; "), scalars);
        }
        if ((m = AT.matcher(result)).matches()) {   // SIGSEGV at A+2p; ok at A+8p (mremap)
            scalars.put("status", m.group(1));
            scalars.put("at", m.group(2));
            return new ResultShape(List.of(), scalars);
        }
        if (result.contains("..")) return new ResultShape(items(result, "; "), scalars);
        scalars.put("status", result);
        return new ResultShape(List.of(), scalars);
    }

    private static List<Item> items(String text, String separator) {
        List<Item> items = new ArrayList<>();
        if (text.isEmpty()) return items;
        for (String part : text.split(Pattern.quote(separator))) {
            Matcher m = ITEM.matcher(part);
            items.add(m.matches() ? new Item(m.group(1), m.group(2), m.group(3)) : new Item("", "", part));
        }
        return items;
    }
}
