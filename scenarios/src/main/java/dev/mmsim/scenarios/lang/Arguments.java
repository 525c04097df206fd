package dev.mmsim.scenarios.lang;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The arguments of one statement, read left to right by {@link StatementParser}.
 *
 * <p>Positional arguments are read with {@link #next}; their absence is reported at the keyword
 * with the statement's synopsis ({@code munmap needs ADDR SIZE (missing SIZE)}). Option words
 * ({@code at ADDR}, {@code maymove}, {@code populate}, ...) are read with {@link #option}, which
 * rejects unknown and repeated words and remembers the rest for {@link #has} and the consistency
 * checks.
 */
final class Arguments {
    private final Keyword keyword;
    private final Token keywordToken;
    private final List<Token> tokens;
    private final Map<String, Token> options = new HashMap<>();
    private int next;

    Arguments(Keyword keyword, Token keywordToken, List<Token> tokens) {
        this.keyword = keyword;
        this.keywordToken = keywordToken;
        this.tokens = tokens;
    }

    Keyword keyword() {
        return keyword;
    }

    boolean hasMore() {
        return next < tokens.size();
    }

    /** The next argument, not read yet; null if there is none. */
    Token peek() {
        return hasMore() ? tokens.get(next) : null;
    }

    /** Reads the required argument shown as {@code placeholder} in the synopsis. */
    <T> T next(String placeholder, Function<Token, T> convert) {
        requireMore(placeholder);
        return convert.apply(tokens.get(next++));
    }

    /** Reads an optional trailing argument; null if there is none. */
    <T> T optional(Function<Token, T> convert) {
        return hasMore() ? convert.apply(tokens.get(next++)) : null;
    }

    /** Reads all remaining words, joined by single spaces; at least one is required. */
    String rest(String placeholder) {
        requireMore(placeholder);
        String text = tokens.subList(next, tokens.size()).stream()
                .map(Token::text)
                .collect(Collectors.joining(" "));
        next = tokens.size();
        return text;
    }

    /** Fails unless another argument follows. */
    void requireMore(String placeholder) {
        if (!hasMore()) {
            throw new LineError(keywordToken,
                    keyword.word() + " needs " + keyword.arguments() + " (missing " + placeholder + ")");
        }
    }

    /** Reads an option word, one of {@code words}; {@code kind} names them in errors. */
    Token option(String kind, Collection<String> words) {
        Token word = tokens.get(next++);
        if (!words.contains(word.text())) {
            throw Spelling.unknown(kind, word, words);
        }
        if (options.putIfAbsent(word.text(), word) != null) {
            throw new LineError(word, Words.quote(word.text()) + " repeated");
        }
        return word;
    }

    /** Reads the value of option {@code key}, shown as {@code placeholder} in errors. */
    <T> T value(Token key, String placeholder, Function<Token, T> convert) {
        if (!hasMore()) {
            throw new LineError(key, Words.quote(key.text()) + " needs " + placeholder);
        }
        return convert.apply(tokens.get(next++));
    }

    /** Whether option word {@code word} was read. */
    boolean has(String word) {
        return options.containsKey(word);
    }

    /** Fails if option words {@code a} and {@code b} were both given, at the later one. */
    void exclusive(String a, String b) {
        if (has(a) && has(b)) {
            Token first = options.get(a);
            Token second = options.get(b);
            if (tokens.indexOf(first) > tokens.indexOf(second)) {
                first = options.get(b);
                second = options.get(a);
            }
            throw new LineError(second,
                    Words.quote(second.text()) + " conflicts with " + Words.quote(first.text()));
        }
    }

    /** Fails if option word {@code word} was given without {@code needed}. */
    void dependency(String word, String needed, String synopsis) {
        if (has(word) && !has(needed)) {
            throw new LineError(options.get(word), "'" + word + "' needs '" + synopsis + "'");
        }
    }

    /** Fails at the keyword with {@code message}. */
    LineError fail(String message) {
        return new LineError(keywordToken, message);
    }

    /** Fails if arguments are left over. */
    void end() {
        if (hasMore()) {
            Token extra = tokens.get(next);
            throw new LineError(extra,
                    "unexpected " + Words.quote(extra.text()) + " after " + keyword.synopsis());
        }
    }
}
