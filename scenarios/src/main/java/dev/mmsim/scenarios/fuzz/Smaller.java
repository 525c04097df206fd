package dev.mmsim.scenarios.fuzz;

import dev.mmsim.core.Geometry;
import dev.mmsim.scenarios.lang.Addr;
import dev.mmsim.scenarios.lang.Size;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Simpler variants of one statement line, for the shrinker, most aggressive first: without one
 * word or two (an optional flag, or an option with its value), then with one size, number or
 * address offset made smaller (one page, half, a page less, rounded down to pages). Many variants
 * do not parse; the shrinker throws those away before running anything.
 */
final class Smaller {
    private static final Pattern NUMBER = Pattern.compile("0x[0-9a-fA-F]+|[0-9]+[pKMG]?");
    private static final long PAGE = Geometry.PAGE_SIZE;
    /**
     * Words never dropped: without {@code async}, a userfaultfd write-protect fault would wait for a
     * handler the agent does not have, until the time limit.
     */
    private static final Set<String> KEPT = Set.of("async");

    private Smaller() {}

    static List<String> lines(String line) {
        String[] words = line.trim().split("\\s+");
        int first = words[0].endsWith(":") ? 2 : 1;   // keep the child prefix and the keyword
        List<String> out = new ArrayList<>();
        for (int i = first; i < words.length; i++) {
            if (KEPT.contains(words[i]) || i + 1 < words.length && KEPT.contains(words[i + 1])) continue;
            out.add(without(words, i, 1));
            if (i + 1 < words.length) out.add(without(words, i, 2));
        }
        for (int i = first; i < words.length; i++) {
            for (String smaller : smaller(words[i])) out.add(replaced(words, i, smaller));
        }
        return out;
    }

    /** Smaller spellings of a size or an address, or none. */
    static Set<String> smaller(String word) {
        Set<String> out = new LinkedHashSet<>();
        if (NUMBER.matcher(word).matches()) {
            long bytes = Size.parse(word).bytes();
            for (long b : smallerMagnitudes(bytes)) out.add(new Size(b).render());
        } else if (Character.isLetter(word.charAt(0)) && (word.contains("+") || word.contains("-"))) {
            Addr a = Addr.parse(word);
            long sign = Long.signum(a.offset());
            out.add(new Addr(a.base(), 0).render());
            for (long b : smallerMagnitudes(Math.abs(a.offset()))) out.add(new Addr(a.base(), sign * b).render());
        }
        return out;
    }

    /**
     * One page, half, a page less, rounded down to pages; for less than a page, one and half. Whole
     * pages never shrink below one page: a mapping of 1 byte is no simpler than one of {@code 1p}.
     */
    private static List<Long> smallerMagnitudes(long n) {
        List<Long> out = new ArrayList<>();
        if (n >= PAGE) {
            out.add(PAGE);
            out.add(Math.max(PAGE, n / 2 / PAGE * PAGE));
            out.add(n - PAGE);
            out.add(n / PAGE * PAGE);
        } else {
            out.add(1L);
            out.add(n / 2);
        }
        out.removeIf(b -> b <= 0 || b >= n);
        return out;
    }

    private static String without(String[] words, int from, int count) {
        List<String> out = new ArrayList<>(List.of(words));
        out.subList(from, Math.min(out.size(), from + count)).clear();
        return String.join(" ", out);
    }

    private static String replaced(String[] words, int index, String word) {
        String[] out = words.clone();
        out[index] = word;
        return String.join(" ", out);
    }
}
