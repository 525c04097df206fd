package dev.mmsim.scenarios.lang;

/**
 * How error messages show a word of the scenario: quoted, and cut short when it is long, so that
 * a hostile file (a one-megabyte word) cannot flood the terminal.
 */
final class Words {
    /** The most characters of a word an error message shows. */
    static final int MAX_SHOWN = 60;

    private Words() {}

    /**
     * {@code 'word'}; a word longer than {@value #MAX_SHOWN} characters (code points) shows its
     * first {@value #MAX_SHOWN} and its length: {@code 'xxx...' (1048576 characters)}.
     */
    static String quote(String word) {
        if (word.length() <= MAX_SHOWN) {
            return "'" + word + "'";
        }
        int length = word.codePointCount(0, word.length());
        if (length <= MAX_SHOWN) {
            return "'" + word + "'";
        }
        return "'" + word.substring(0, word.offsetByCodePoints(0, MAX_SHOWN)) + "...' ("
                + length + " characters)";
    }
}
