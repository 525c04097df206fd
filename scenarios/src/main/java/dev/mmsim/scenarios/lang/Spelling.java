package dev.mmsim.scenarios.lang;

import java.util.Collection;
import java.util.Locale;

/**
 * "Did you mean" hints for misspelt keywords and names, and the kernel's own spellings: a word
 * written as in C ({@code MADV_GUARD_INSTALL}, {@code PAGE_IS_GUARD}, {@code PM_SCAN_WP_MATCHING})
 * is accepted where the language takes that value ({@link #kernelName}); a struct pm_scan_arg field
 * name where a scan option is expected is answered with the option's word ({@link #SCAN_FIELDS}).
 */
public final class Spelling {
    /** Candidates farther than this many edits are not suggested. */
    private static final int MAX_DISTANCE = 2;

    private Spelling() {}

    /**
     * The error for a word that is none of {@code known}: {@code unknown KIND 'WORD'}, with the
     * closest known word suggested when there is one within {@value #MAX_DISTANCE} edits (ignoring case).
     */
    static LineError unknown(String kind, Token token, Collection<String> known) {
        String field = SCAN_FIELDS.get(token.text());
        if (field != null && known.contains(field)) {
            return new LineError(token, "unknown " + kind + " " + Words.quote(token.text()) + " (struct pm_scan_arg's "
                    + token.text() + " is written '" + field + "' here)");
        }
        return new LineError(token,
                "unknown " + kind + " " + Words.quote(token.text()) + hint(token.text(), known));
    }

    /**
     * The fields of struct pm_scan_arg (include/uapi/linux/fs.h) and the scan options that set
     * them, for the hint when a scenario is translated from C.
     */
    static final java.util.Map<String, String> SCAN_FIELDS = java.util.Map.of(
            "category_mask", "mask",
            "category_inverted", "inverted",
            "category_anyof_mask", "anyof",
            "return_mask", "return",
            "max_pages", "max",
            "vec_len", "vec",
            "walk_end", "end");

    /**
     * The language's word for a name spelt as in the kernel's headers, or null: {@code prefix}
     * dropped and the rest in lower case ({@code MADV_GUARD_INSTALL} is {@code guard_install}
     * with prefix {@code MADV_}). Only the upper-case C spelling is taken.
     */
    static String kernelName(String word, String prefix) {
        if (!word.startsWith(prefix) || word.length() == prefix.length()) return null;
        String rest = word.substring(prefix.length());
        if (!rest.equals(rest.toUpperCase(Locale.ROOT))) return null;
        return rest.toLowerCase(Locale.ROOT);
    }

    /** The prefixes of the kernel's names for values the language spells without them. */
    private static final java.util.List<String> KERNEL_PREFIXES = java.util.List.of("MADV_", "PAGE_IS_", "PM_SCAN_");

    /** " (did you mean 'x'?)" for the closest of {@code known} within two edits, else "". */
    public static String didYouMean(String word, Collection<String> known) {
        return hint(word, known);
    }

    private static String hint(String word, Collection<String> known) {
        for (String prefix : KERNEL_PREFIXES) {
            String name = kernelName(word, prefix);
            if (name != null) word = name;
        }
        String lower = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : known) {
            if (Math.abs(lower.length() - candidate.length()) > MAX_DISTANCE) {
                continue; // too far apart, and a long word must not cost length x length
            }
            int d = distance(lower, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    /** The Levenshtein distance: insertions, deletions and substitutions. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
