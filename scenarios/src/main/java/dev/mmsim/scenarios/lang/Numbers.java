package dev.mmsim.scenarios.lang;

import java.util.OptionalLong;

/**
 * Integer literals shared by addresses, counts and bit masks: decimal, or hex after {@code 0x}.
 * Digits are ASCII only: Java's own parsers also take other Unicode digits (fullwidth {@code ４},
 * Arabic-Indic {@code ٤}), which a scenario must not.
 */
final class Numbers {
    /** Appended to a number's error when the text holds a digit outside ASCII. */
    static final String ASCII_ONLY = " (digits must be ASCII 0-9)";

    private Numbers() {}

    /**
     * Parses decimal or {@code 0x} hex digits as an unsigned 64-bit value.
     *
     * @throws NumberFormatException if {@code text} is not such a number or does not fit 64 bits
     */
    static long parseUnsigned(String text) {
        boolean hex = text.startsWith("0x") || text.startsWith("0X");
        String digits = hex ? text.substring(2) : text;
        if (digits.isEmpty() || !allDigits(digits, hex)) {
            throw new NumberFormatException(text);
        }
        return Long.parseUnsignedLong(digits, hex ? 16 : 10);
    }

    private static boolean allDigits(String digits, boolean hex) {
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            boolean ok = isAsciiDigit(c) || hex && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code 0} to {@code 9}, and no other Unicode digit. */
    static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@link #ASCII_ONLY} if {@code text} holds a digit other than ASCII 0-9, else empty. */
    static String asciiNote(String text) {
        return text.codePoints().anyMatch(c -> Character.isDigit(c) && !(c >= '0' && c <= '9'))
                ? ASCII_ONLY : "";
    }

    /** Parses decimal or {@code 0x} hex digits as a value from 0 to 2^63-1; empty if it is not one. */
    static OptionalLong nonNegative(String text) {
        try {
            long value = parseUnsigned(text);
            return value < 0 ? OptionalLong.empty() : OptionalLong.of(value);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** {@code 0x} and lower-case hex digits, the unsigned value of {@code value}. */
    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
