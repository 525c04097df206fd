package dev.mmsim.scenarios.lang;

import java.util.OptionalLong;

/** Integer literals shared by addresses, counts and bit masks: decimal, or hex after {@code 0x}. */
final class Numbers {
    private Numbers() {}

    /**
     * Parses decimal or {@code 0x} hex digits as an unsigned 64-bit value.
     *
     * @throws NumberFormatException if {@code text} is not such a number or does not fit 64 bits
     */
    static long parseUnsigned(String text) {
        boolean hex = text.startsWith("0x") || text.startsWith("0X");
        String digits = hex ? text.substring(2) : text;
        if (digits.isEmpty() || digits.charAt(0) == '+') {
            throw new NumberFormatException(text);
        }
        return Long.parseUnsignedLong(digits, hex ? 16 : 10);
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
