package dev.mmsim.scenarios.lang;

import java.util.ArrayList;
import java.util.List;

/**
 * One statement after comments and continuations are resolved: its words, and the expectation
 * after the first {@code =>} if there is one.
 *
 * @param words the statement's tokens: an optional {@code CHILD:} prefix, the keyword, the arguments
 * @param arrow where {@code =>} starts, or null when the line has no expectation
 * @param expected the words after {@code =>} joined by single spaces (empty if there are none),
 *     or null when the line has no expectation
 */
record LogicalLine(List<Token> words, Pos arrow, String expected) {
    private static final String ARROW = "=>";

    /** Splits a line's tokens at the first {@code =>}, which need not be a word of its own. */
    static LogicalLine of(List<Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            int arrow = tokens.get(i).text().indexOf(ARROW);
            if (arrow >= 0) {
                return split(tokens, i, arrow);
            }
        }
        return new LogicalLine(tokens, null, null);
    }

    private static LogicalLine split(List<Token> tokens, int index, int arrow) {
        Token token = tokens.get(index);
        List<Token> words = new ArrayList<>(tokens.subList(0, index));
        if (arrow > 0) {
            words.add(token.head(arrow));
        }
        List<String> expected = new ArrayList<>();
        String glued = token.text().substring(arrow + ARROW.length());
        if (!glued.isEmpty()) {
            expected.add(glued);
        }
        tokens.subList(index + 1, tokens.size()).forEach(t -> expected.add(t.text()));
        return new LogicalLine(List.copyOf(words), token.posAt(arrow), String.join(" ", expected));
    }
}
