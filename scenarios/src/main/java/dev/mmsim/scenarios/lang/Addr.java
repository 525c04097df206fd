package dev.mmsim.scenarios.lang;

import dev.mmsim.core.Geometry;

/**
 * An address as scenarios write it: a base plus a byte offset.
 *
 * <p>The base is a mapping name ({@code A}, {@code A+4p}, {@code A-1p}, {@code A+4p+0x10}), the
 * reserved name {@value #ARENA} for the start of the arena, or null for a raw absolute address,
 * written as a plain number ({@code 0x800000000000}). Which forms a statement accepts, and whether
 * the name is defined, is the parser's business: raw addresses are allowed only where the kernel is
 * to be handed a bad pointer on purpose.
 *
 * @param base the mapping name, {@value #ARENA}, or null for a raw address
 * @param offset bytes from the base (may be negative); for a raw address, the address itself,
 *     read as unsigned
 */
public record Addr(String base, long offset) {
    /** The reserved base naming the first byte of the arena. */
    public static final String ARENA = "arena";

    /**
     * Parses {@code NAME}, {@code NAME+SIZE}, {@code NAME-SIZE} (with any number of {@code +SIZE}
     * and {@code -SIZE} terms), or a raw number. NAME ends at the first {@code +} or {@code -},
     * which is why mapping names cannot contain {@code -}.
     *
     * @throws IllegalArgumentException with a message naming {@code text} if it is malformed
     */
    public static Addr parse(String text) {
        if (!text.isEmpty() && Character.isDigit(text.charAt(0))) {
            return raw(text);
        }
        int end = nextSign(text, 0);
        if (end == 0) {
            throw new IllegalArgumentException(
                    "bad address " + Words.quote(text) + ": expected NAME, NAME+SIZE or NAME-SIZE");
        }
        return new Addr(text.substring(0, end), offset(text, end));
    }

    private static Addr raw(String text) {
        try {
            return new Addr(null, Numbers.parseUnsigned(text));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "bad address " + Words.quote(text) + ": expected a decimal or 0x hex number"
                    + Numbers.asciiNote(text), e);
        }
    }

    /** Sums the {@code +SIZE} and {@code -SIZE} terms from {@code start} on. */
    private static long offset(String text, int start) {
        long offset = 0;
        for (int sign = start; sign < text.length(); ) {
            int next = nextSign(text, sign + 1);
            long bytes = Size.parse(text.substring(sign + 1, next)).bytes();
            try {
                offset = text.charAt(sign) == '+'
                        ? Math.addExact(offset, bytes)
                        : Math.subtractExact(offset, bytes);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("bad address " + Words.quote(text) + ": offset too large", e);
            }
            sign = next;
        }
        if (offset == Long.MIN_VALUE) {
            throw new IllegalArgumentException("bad address " + Words.quote(text) + ": offset too large");
        }
        return offset;
    }

    private static int nextSign(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) == '+' || text.charAt(i) == '-') {
                return i;
            }
        }
        return text.length();
    }

    /**
     * The canonical spelling: the base, then the offset's whole pages as {@code +Np} and any rest as
     * {@code +0xHEX} (both with {@code -} below the base): {@code A}, {@code A+4p+0x10},
     * {@code A-1p}. A raw address renders as hex.
     */
    public String render() {
        if (base == null) {
            return Numbers.hex(offset);
        }
        String sign = offset < 0 ? "-" : "+";
        long magnitude = Math.abs(offset);
        long pages = magnitude / Geometry.PAGE_SIZE;
        long rest = magnitude % Geometry.PAGE_SIZE;
        return base
                + (pages == 0 ? "" : sign + pages + "p")
                + (rest == 0 ? "" : sign + Numbers.hex(rest));
    }
}
