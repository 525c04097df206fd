/**
 * The scenario language: reads {@code .scn} files into {@link dev.mmsim.scenarios.lang.Scenario}s
 * that the interpreter replays on the simulator or the running kernel. The user guide's chapter
 * "The scenario language" describes the language; this package is its reference implementation.
 *
 * <p>Where to start reading:
 * <ol>
 *   <li>{@link dev.mmsim.scenarios.lang.ScenarioParser}, the entry point, and what it returns:
 *       {@link dev.mmsim.scenarios.lang.Scenario}, a list of
 *       {@link dev.mmsim.scenarios.lang.Step}s (position, child, statement, expectation).
 *   <li>{@link dev.mmsim.scenarios.lang.Stmt}, the sealed interface over one record per
 *       statement ({@code MmapStmt}, {@code ScanStmt}, ...); each record's javadoc gives its
 *       syntax and the system call or /proc file it stands for. {@link
 *       dev.mmsim.scenarios.lang.Size} and {@link dev.mmsim.scenarios.lang.Addr} are the two
 *       value types the statements share.
 *   <li>The parser's three layers, all package-private: {@code LineReader} (comments,
 *       continuation lines, the {@code =>} expectation, token positions), {@code ScenarioParser}
 *       itself (child prefixes, keywords, header order) and {@code StatementParser} (one switch
 *       arm or method per keyword, over an {@code Arguments} cursor, checking names against a
 *       {@code Scope}).
 * </ol>
 *
 * <p>Invariants: {@link dev.mmsim.scenarios.lang.Stmt#render()} is canonical, and parsing it
 * gives back an equal record. Parsing throws nothing but
 * {@link dev.mmsim.scenarios.lang.ScenarioSyntaxException} (with every error, as
 * {@code file:line:col: message}) and, for files, {@link java.io.IOException}. An error abandons
 * only its own line, and a bad line does not cause errors on the lines after it. The parser checks
 * the language only; what the kernel makes of a statement is for the replay to find out.
 */
package dev.mmsim.scenarios.lang;
