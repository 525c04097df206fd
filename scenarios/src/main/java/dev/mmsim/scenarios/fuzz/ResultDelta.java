package dev.mmsim.scenarios.fuzz;

import dev.mmsim.proc.SmapsEntry;
import dev.mmsim.scenarios.lang.Addr;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What differs between the simulator's and the kernel's result of one statement, with the
 * addresses and counts that vary between instances of the same mismatch left out. The delta is a
 * sorted, space-separated set of terms:
 *
 * <ul>
 *   <li>{@code KEY:sim=X,kernel=Y} for a scalar that differs as text ({@code status:sim=ok,kernel=ENOMEM}),
 *       {@code KEY:sim<kernel} or {@code KEY:sim>kernel} for one that differs as a number or as an
 *       address from the same base ({@code walk_end:sim<kernel}), {@code KEY:elsewhere} otherwise;</li>
 *   <li>for an item both list over the same range but with other attributes: {@code -WORD} for an
 *       attribute only the simulator shows, {@code +WORD} for one only the kernel shows
 *       ({@code -written +none}), {@code rss:sim<kernel} for a counter;</li>
 *   <li>for an item only one side lists: {@code -[ATTRIBUTES]} (simulator) or
 *       {@code +[ATTRIBUTES]} (kernel), with rss and swap counts shown as {@code #}.</li>
 * </ul>
 */
final class ResultDelta {
    /** The smaps counter words: rss, swap and those of {@link SmapsEntry.Counter}, joined by '|'. */
    private static final String COUNTERS = "rss|swap|" + java.util.Arrays.stream(SmapsEntry.Counter.values())
            .map(c -> c.word).collect(java.util.stream.Collectors.joining("|"));
    private static final java.util.regex.Pattern COUNTER = java.util.regex.Pattern.compile(COUNTERS);
    private ResultDelta() {}

    static String of(String sim, String kernel) {
        ResultShape a = ResultShape.parse(sim);
        ResultShape b = ResultShape.parse(kernel);
        Set<String> terms = new TreeSet<>();
        scalars(a.scalars(), b.scalars(), terms);
        items(a.items(), b.items(), terms);
        return terms.isEmpty() ? "text" : String.join(" ", terms);
    }

    private static void scalars(Map<String, String> sim, Map<String, String> kernel, Set<String> terms) {
        Set<String> keys = new LinkedHashSet<>(sim.keySet());
        keys.addAll(kernel.keySet());
        for (String key : keys) {
            String s = sim.get(key);
            String k = kernel.get(key);
            if (!Objects.equals(s, k)) terms.add(key + ":" + compare(key, s, k));
        }
    }

    /** {@code sim-only}, {@code sim=X,kernel=Y} (a status), {@code sim<kernel}, {@code elsewhere}, ... */
    private static String compare(String key, String sim, String kernel) {
        if (sim == null) return "kernel-only";
        if (kernel == null) return "sim-only";
        if (key.equals("status")) return "sim=" + sim + ",kernel=" + kernel;
        Integer order = order(sim, kernel);
        return order == null ? "elsewhere" : order < 0 ? "sim<kernel" : "sim>kernel";
    }

    /** The order of two numbers, or of two addresses from the same base; null if they have none. */
    private static Integer order(String a, String b) {
        try {
            return Long.compare(Long.decode(a), Long.decode(b));
        } catch (NumberFormatException notNumbers) {
            try {
                Addr x = Addr.parse(a);
                Addr y = Addr.parse(b);
                return Objects.equals(x.base(), y.base()) ? Long.compare(x.offset(), y.offset()) : null;
            } catch (IllegalArgumentException notAddresses) {
                return null;
            }
        }
    }

    private static void items(List<ResultShape.Item> sim, List<ResultShape.Item> kernel, Set<String> terms) {
        Map<String, String> kernelByRange = new HashMap<>();
        for (ResultShape.Item i : kernel) kernelByRange.put(i.start() + ".." + i.end(), i.attributes());
        Set<String> paired = new HashSet<>();
        for (ResultShape.Item i : sim) {
            String range = i.start() + ".." + i.end();
            String other = kernelByRange.get(range);
            if (other == null) {
                terms.add("-[" + counted(i.attributes()) + "]");
            } else {
                paired.add(range);
                attributes(i.attributes(), other, terms);
            }
        }
        for (ResultShape.Item i : kernel) {
            if (!paired.contains(i.start() + ".." + i.end())) terms.add("+[" + counted(i.attributes()) + "]");
        }
    }

    /** Attribute words of two items over the same range, with counters compared as numbers. */
    private static void attributes(String sim, String kernel, Set<String> terms) {
        Map<String, String> s = words(sim);
        Map<String, String> k = words(kernel);
        for (Map.Entry<String, String> e : s.entrySet()) {
            String other = k.get(e.getKey());
            if (other == null) terms.add("-" + e.getKey());
            else if (!other.equals(e.getValue())) terms.add(e.getKey() + ":" + compare(e.getKey(), bytes(e.getValue()), bytes(other)));
        }
        for (String key : k.keySet()) if (!s.containsKey(key)) terms.add("+" + key);
    }

    /**
     * The words of an item's attributes: category and pagemap words, smaps flags as
     * {@code flags:NAME}, counters by name with their value ({@code rss} to {@code 3p}).
     */
    private static Map<String, String> words(String attributes) {
        Map<String, String> words = new HashMap<>();
        for (String word : attributes.split("[ |]")) {
            int eq = word.indexOf('=');
            if (word.startsWith("flags=")) {
                for (String flag : word.substring(6).split(",")) words.put("flags:" + flag, "");
            } else if (eq > 0 && COUNTER.matcher(word.substring(0, eq)).matches()) {
                words.put(word.substring(0, eq), word.substring(eq + 1));
            } else {
                words.put(word, "");
            }
        }
        return words;
    }

    /** A counter such as {@code 3p} or {@code 6K} as a number of bytes, for comparing. */
    private static String bytes(String count) {
        if (count.endsWith("p")) return Long.toString(Long.parseLong(count.substring(0, count.length() - 1)) * 4096);
        if (count.endsWith("K")) return Long.toString(Long.parseLong(count.substring(0, count.length() - 1)) * 1024);
        if (count.endsWith("M")) return Long.toString(Long.parseLong(count.substring(0, count.length() - 1)) << 20);
        if (count.endsWith("G")) return Long.toString(Long.parseLong(count.substring(0, count.length() - 1)) << 30);
        return count;
    }

    private static String counted(String attributes) {
        return attributes.replaceAll("\\b(" + COUNTERS + ")=\\S+", "$1=#");
    }
}
