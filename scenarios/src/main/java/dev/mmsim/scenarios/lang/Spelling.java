package dev.mmsim.scenarios.lang;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" hints for misspelt keywords and names. */
final class Spelling {
    /** Candidates farther than this many edits are not suggested. */
    private static final int MAX_DISTANCE = 2;

    private Spelling() {}

    /**
     * The error for a word that is none of {@code known}: {@code unknown KIND 'WORD'}, with the
     * closest known word suggested when there is one within {@value #MAX_DISTANCE} edits (ignoring case).
     */
    static LineError unknown(String kind, Token token, Collection<String> known) {
        return new LineError(token,
                "unknown " + kind + " " + Words.quote(token.text()) + hint(token.text(), known));
    }

    private static String hint(String word, Collection<String> known) {
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
