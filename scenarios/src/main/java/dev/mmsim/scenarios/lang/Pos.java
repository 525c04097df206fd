package dev.mmsim.scenarios.lang;

/**
 * A place in a scenario file: the physical line and column of the first character of a token.
 *
 * <p>Both are 1-based; columns count Unicode code points, so a tab is one column.
 *
 * @param file the file name as given to the parser
 * @param line the physical line, continuation lines counted
 * @param col the column
 */
public record Pos(String file, int line, int col) {
    /** {@code file:line:col}, the prefix of every syntax error. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + col;
    }
}
