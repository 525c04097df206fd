package dev.mmsim.scenarios.lang;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a scenario file ({@code .scn}) into a {@link Scenario}; the entry point of this package.
 *
 * <p>Parsing goes in three layers: {@link LineReader} turns text into logical lines (comments,
 * continuations, the {@code =>} expectation); this class handles what concerns a line as a whole
 * (the {@code CHILD:} prefix, the keyword, the order of header statements); and
 * {@link StatementParser} reads a statement's arguments, checking names against a {@link Scope}.
 *
 * <p>An error abandons the rest of its line only: parsing goes on with the next line, so one run
 * reports every bad line (up to {@value #MAX_ERRORS}), and a bad line does not cause errors on
 * the lines that depend on it.
 */
public final class ScenarioParser {
    /** The most errors one file reports. */
    public static final int MAX_ERRORS = 50;

    private static final Comparator<SyntaxError> BY_POSITION = Comparator
            .comparingInt((SyntaxError e) -> e.pos().line())
            .thenComparingInt(e -> e.pos().col());

    private final String fileName;
    private final List<SyntaxError> errors = new ArrayList<>();
    private final Scope scope = new Scope();
    private final StatementParser statements = new StatementParser(scope);
    private final List<Step> steps = new ArrayList<>();
    /** Children that ran {@code exit}, with its line: no statement may run in them after it. */
    private final Map<String, Integer> exited = new java.util.HashMap<>();
    /** Where each header keyword first appeared. */
    private final Map<Keyword, Pos> headers = new EnumMap<>(Keyword.class);
    /** Where the first operation (any statement but a header) appeared, or null. */
    private Pos firstOperation;
    /** Whether a line was parsed already, successfully or not. */
    private boolean started;

    private ScenarioParser(String fileName) {
        this.fileName = fileName;
    }

    /**
     * Parses the UTF-8 scenario file {@code file}; errors name it as given. Bytes that are not
     * UTF-8 are a syntax error at the first bad byte.
     *
     * @throws ScenarioSyntaxException if the file has syntax errors
     * @throws IOException if it cannot be read, or is not a regular file (it is not opened then,
     *     so that a FIFO cannot block the reader)
     */
    public static Scenario parse(Path file) throws ScenarioSyntaxException, IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": not a regular file");
        }
        String name = file.toString();
        return new ScenarioParser(name).run(file, decode(name, Files.readAllBytes(file)));
    }

    /**
     * Decodes the bytes of a scenario file as UTF-8; errors name {@code fileName}.
     *
     * @throws ScenarioSyntaxException at the first byte that is not valid UTF-8: its line, and its
     *     column counted in code points as for any token
     */
    static String decode(String fileName, byte[] bytes) throws ScenarioSyntaxException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 has no more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int bad = in.position();
            out.flip();
            Pos at = endOf(fileName, out);
            String what = bad < bytes.length
                    ? String.format("invalid UTF-8 (byte 0x%02x at offset %d)", bytes[bad] & 0xff, bad)
                    : "invalid UTF-8 (truncated at the end of the file)";
            throw new ScenarioSyntaxException(List.of(new SyntaxError(at, what)));
        }
        out.flip();
        return out.toString();
    }

    /**
     * The position just after {@code text}: line breaks are {@code \n}, {@code \r} or
     * {@code \r\n}, as {@link String#lines()} splits them.
     */
    private static Pos endOf(String fileName, CharSequence text) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                line++;
                lineStart = i + 1;
            }
        }
        String last = text.subSequence(lineStart, text.length()).toString();
        return new Pos(fileName, line, last.codePointCount(0, last.length()) + 1);
    }

    /**
     * Parses the bytes of a scenario read from elsewhere than a file (standard input); errors
     * name {@code fileName}, and bytes that are not UTF-8 are a syntax error as in a file.
     *
     * @throws ScenarioSyntaxException if the bytes are not UTF-8 or have syntax errors
     */
    public static Scenario parse(String fileName, byte[] bytes) throws ScenarioSyntaxException {
        return new ScenarioParser(fileName).run(null, decode(fileName, bytes));
    }

    /**
     * Parses scenario text; errors name {@code fileName}.
     *
     * @throws ScenarioSyntaxException if the text has syntax errors
     */
    public static Scenario parse(String fileName, String text) throws ScenarioSyntaxException {
        return new ScenarioParser(fileName).run(null, text);
    }

    private Scenario run(Path file, String text) throws ScenarioSyntaxException {
        for (LogicalLine line : LineReader.read(fileName, text, this::report)) {
            if (errors.size() >= MAX_ERRORS) {
                break;
            }
            parseLine(line);
        }
        if (!started) {
            report(new SyntaxError(new Pos(fileName, 1, 1), "missing 'scenario NAME'"));
        }
        if (!errors.isEmpty()) {
            errors.sort(BY_POSITION);
            throw new ScenarioSyntaxException(errors);
        }
        return assemble(file);
    }

    private void report(SyntaxError error) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(error);
        }
    }

    private void parseLine(LogicalLine line) {
        try {
            steps.add(step(line));
        } catch (LineError e) {
            report(e.toSyntaxError());
        } finally {
            scope.commit();
            started = true;
        }
    }

    /** {@code [CHILD:] KEYWORD ARGUMENTS [=> EXPECTED]}. */
    private Step step(LogicalLine line) {
        List<Token> words = line.words();
        if (words.isEmpty()) {
            throw new LineError(line.arrow(), "'=>' needs a statement before it");
        }
        Token first = words.getFirst();
        String child = childPrefix(first);
        List<Token> statement = child == null ? words : words.subList(1, words.size());
        if (statement.isEmpty()) {
            throw new LineError(first, Words.quote(first.text()) + " needs a statement after it");
        }
        Token keywordToken = statement.getFirst();
        if (child == null && Keyword.byWord(keywordToken.text()) == null && statement.size() > 1
                && Keyword.byWord(statement.get(1).text()) != null) {
            throw new LineError(keywordToken, "unknown statement " + Words.quote(keywordToken.text())
                    + " (a statement of a child process is written '" + keywordToken.text() + ": "
                    + statement.get(1).text() + " ...', with a colon)");
        }
        Keyword keyword = keyword(keywordToken);
        checkOrder(keyword, keywordToken.pos());
        List<Token> arguments = statement.subList(1, statement.size());
        if (child != null && exited.containsKey(child)) {
            throw new LineError(first, "child " + Words.quote(child) + " has exited (line " + exited.get(child) + ")");
        }
        Stmt stmt = statements.parse(new Arguments(keyword, keywordToken, arguments));
        if (stmt instanceof ExitStmt && child == null) {
            throw new LineError(keywordToken, "exit needs a CHILD: prefix (only a child can exit)");
        }
        if (stmt instanceof ScanStmt s && s.of() != null && child != null) {
            throw new LineError(first, "'of' works only in the main process, not in a child");
        }
        if (stmt instanceof ExitStmt) {
            exited.put(child, first.pos().line());
        }
        return new Step(first.pos(), child, stmt, expectation(line));
    }

    /** The child named by a {@code CHILD:} prefix, or null if {@code token} is not one. */
    private String childPrefix(Token token) {
        String text = token.text();
        if (!text.endsWith(":")) {
            return null;
        }
        return scope.use(Scope.Kind.CHILD, token, text.substring(0, text.length() - 1));
    }

    private static Keyword keyword(Token token) {
        Keyword keyword = Keyword.byWord(token.text());
        if (keyword == null) {
            throw Spelling.unknown("statement", token, Keyword.words());
        }
        return keyword;
    }

    /**
     * {@code scenario} comes first, then the other header statements, each at most once, then the
     * operations. A statement out of order is reported but still parsed, so that the names it
     * defines exist for the lines after it.
     */
    private void checkOrder(Keyword keyword, Pos at) {
        if (!started && keyword != Keyword.SCENARIO) {
            report(at, "the first statement must be 'scenario NAME', not '" + keyword.word() + "'");
        }
        if (keyword.isHeader()) {
            checkHeader(keyword, at);
        } else if (firstOperation == null) {
            firstOperation = at;
        }
    }

    private void checkHeader(Keyword keyword, Pos at) {
        Pos earlier = headers.putIfAbsent(keyword, at);
        if (earlier != null) {
            report(at, keyword.word() + " repeated (first at line " + earlier.line() + ")");
        } else if (keyword == Keyword.SCENARIO && started) {
            report(at, "scenario must be the first statement");
        } else if (firstOperation != null) {
            report(at, keyword.word() + " must come before the first operation (line "
                    + firstOperation.line() + ")");
        }
    }

    private void report(Pos at, String message) {
        report(new SyntaxError(at, message));
    }

    private static String expectation(LogicalLine line) {
        if (line.arrow() != null && line.expected().isEmpty()) {
            throw new LineError(line.arrow(), "'=>' needs an expected result after it");
        }
        return line.expected();
    }

    /** Builds the scenario of a file without errors, taking its header from the header statements. */
    private Scenario assemble(Path file) {
        String name = null;
        String mirrors = null;
        List<String> requires = List.of();
        String profile = ProfileStmt.NEWEST;
        boolean status = false;
        for (Step step : steps) {
            switch (step.stmt()) {
                case ScenarioStmt s -> name = s.name();
                case MirrorsStmt m -> mirrors = m.text();
                case RequiresStmt r -> requires = r.features();
                case ProfileStmt p -> profile = p.name();
                case StatusStmt s -> status = true;
                default -> { } // an operation
            }
        }
        // a status statement needs exact counters (kernels before 6.16 cache them per CPU or task)
        if (status && !requires.contains("status")) {
            requires = new java.util.ArrayList<>(requires);
            requires.add("status");
        }
        return new Scenario(file, name, mirrors, requires, profile, steps);
    }
}
