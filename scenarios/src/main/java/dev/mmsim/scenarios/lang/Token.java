package dev.mmsim.scenarios.lang;

/**
 * A white-space separated word of a scenario and where it starts.
 *
 * @param text the word
 * @param pos its first character
 */
record Token(String text, Pos pos) {
    /** The position of the character at {@code index} in {@link #text}. */
    Pos posAt(int index) {
        return new Pos(pos.file(), pos.line(), pos.col() + text.codePointCount(0, index));
    }

    /** The first {@code end} characters of this token, at the same position. */
    Token head(int end) {
        return new Token(text.substring(0, end), pos);
    }
}
