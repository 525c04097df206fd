package dev.mmsim.scenarios.lang;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lexical layer: turns scenario text into {@link LogicalLine}s.
 *
 * <p>{@code #} starts a comment that runs to the end of the physical line, wherever it appears.
 * Tokens are runs of characters other than spaces and tabs. A line whose last token ends with
 * {@code \} continues on the next physical line, as if the line break were a space; a blank or
 * comment-only line ends the statement. Every token keeps the physical line and column it was
 * read from.
 */
final class LineReader {
    private static final Pattern WORD = Pattern.compile("\\S+");

    private final String file;
    private final Consumer<SyntaxError> errors;
    private final List<LogicalLine> lines = new ArrayList<>();
    private final List<Token> pending = new ArrayList<>();
    /** The backslash that continues the line being read, or null. */
    private Pos continuation;

    private LineReader(String file, Consumer<SyntaxError> errors) {
        this.file = file;
        this.errors = errors;
    }

    /** Reads {@code text}; a backslash continuing past its end is reported to {@code errors}. */
    static List<LogicalLine> read(String file, String text, Consumer<SyntaxError> errors) {
        LineReader reader = new LineReader(file, errors);
        List<String> physical = text.lines().toList();
        for (int i = 0; i < physical.size(); i++) {
            reader.add(i + 1, physical.get(i));
        }
        reader.finish();
        return reader.lines;
    }

    private void add(int line, String text) {
        List<Token> tokens = tokenize(line, withoutComment(text));
        continuation = takeBackslash(tokens);
        pending.addAll(tokens);
        if (continuation == null) {
            flush();
        }
    }

    private void finish() {
        if (continuation != null) {
            errors.accept(new SyntaxError(continuation, "'\\' on the last line continues nothing"));
        }
        flush();
    }

    private void flush() {
        if (!pending.isEmpty()) {
            lines.add(LogicalLine.of(List.copyOf(pending)));
            pending.clear();
        }
    }

    private static String withoutComment(String text) {
        int hash = text.indexOf('#');
        return hash < 0 ? text : text.substring(0, hash);
    }

    private List<Token> tokenize(int line, String text) {
        List<Token> tokens = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            int col = text.codePointCount(0, m.start()) + 1;
            tokens.add(new Token(m.group(), new Pos(file, line, col)));
        }
        return tokens;
    }

    /**
     * Strips a trailing backslash from the last token, dropping the token if nothing is left of it.
     * Returns the position of the backslash, or null if there was none.
     */
    private static Pos takeBackslash(List<Token> tokens) {
        if (tokens.isEmpty()) {
            return null;
        }
        Token last = tokens.getLast();
        int backslash = last.text().length() - 1;
        if (last.text().charAt(backslash) != '\\') {
            return null;
        }
        tokens.removeLast();
        if (backslash > 0) {
            tokens.add(last.head(backslash));
        }
        return last.posAt(backslash);
    }
}
