package dev.mmsim.scenarios.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * A pattern over {@linkplain StatementShape statement shapes}, and optionally over the shape of the
 * kernel's result after {@code =>}: words that must match in order, where {@code *} matches any one
 * word and {@code ...} any number of words. {@code ... read @ 0} matches a read of length zero, in
 * a child too; {@code mremap @ # # maymove fixed @ ...} every mremap that moves a mapping to a fixed
 * address; {@code read @ ... => SIGBUS at @} a read the kernel answered with SIGBUS.
 *
 * @param words the pattern's words
 */
record Trigger(List<String> words) {
    private static final String ANY_WORD = "*";
    private static final String ANY_WORDS = "...";
    private static final String ARROW = "=>";

    /** Copies the words. */
    Trigger {
        words = List.copyOf(words);
    }

    static Trigger parse(String text) {
        return new Trigger(List.of(text.trim().split("\\s+")));
    }

    /** Whether the statement shape (with the result shape, if the pattern has {@code =>}) matches. */
    boolean matches(String shape, String resultShape) {
        List<String> subject = new ArrayList<>(List.of(shape.trim().split("\\s+")));
        if (words.contains(ARROW)) {
            subject.add(ARROW);
            if (resultShape != null) subject.addAll(List.of(resultShape.trim().split("\\s+")));
        }
        return matches(0, subject, 0);
    }

    private boolean matches(int p, List<String> subject, int s) {
        if (p == words.size()) return s == subject.size();
        String w = words.get(p);
        if (w.equals(ANY_WORDS)) {
            for (int skip = s; skip <= subject.size(); skip++) if (matches(p + 1, subject, skip)) return true;
            return false;
        }
        return s < subject.size() && (w.equals(ANY_WORD) || w.equals(subject.get(s))) && matches(p + 1, subject, s + 1);
    }
}
