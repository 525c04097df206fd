package dev.mmsim.scenarios.lang;

import dev.mmsim.core.Geometry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A length in bytes, written as a number with an optional unit: {@code p} (base pages of
 * {@value Geometry#PAGE_SIZE} bytes), {@code K}, {@code M}, {@code G} (binary), or none for bytes;
 * a bare byte count may also be hexadecimal ({@code 0x10}).
 *
 * <p>{@link #render()} picks the unit a reader expects: {@code 2M}, {@code 2p}, {@code 6K}, {@code 100}.
 *
 * @param bytes the length, never negative
 */
public record Size(long bytes) {
    private static final long K = 1L << 10;
    private static final long M = 1L << 20;
    private static final long G = 1L << 30;

    /** Optional minus (to reject it by name), hex or decimal digits, then whatever follows as the unit. */
    private static final Pattern SYNTAX =
            Pattern.compile("(?<minus>-?)(?:0[xX](?<hex>[0-9a-fA-F]+)|(?<dec>[0-9]+))(?<unit>.*)");

    /** Rejects a negative length. */
    public Size {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
    }

    /**
     * Parses a size as scenarios write it.
     *
     * @throws IllegalArgumentException with a message naming {@code text} if it is malformed,
     *     negative or larger than {@link Long#MAX_VALUE} bytes
     */
    public static Size parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw bad(text, "expected a number with an optional unit p, K, M or G");
        }
        if (!m.group("minus").isEmpty()) {
            throw bad(text, "sizes cannot be negative");
        }
        String unit = m.group("unit");
        if (m.group("hex") != null && !unit.isEmpty()) {
            throw bad(text, "a hex size counts bytes and takes no unit");
        }
        try {
            long number = m.group("hex") != null
                    ? Long.parseLong(m.group("hex"), 16)
                    : Long.parseLong(m.group("dec"));
            return new Size(Math.multiplyExact(number, unitBytes(text, unit)));
        } catch (ArithmeticException | NumberFormatException e) {
            throw bad(text, "larger than 2^63-1 bytes");
        }
    }

    private static long unitBytes(String text, String unit) {
        return switch (unit) {
            case "" -> 1;
            case "p" -> Geometry.PAGE_SIZE;
            case "K" -> K;
            case "M" -> M;
            case "G" -> G;
            default -> throw bad(text, "unknown unit " + Words.quote(unit) + " (expected p, K, M, G or none)");
        };
    }

    private static IllegalArgumentException bad(String text, String why) {
        return new IllegalArgumentException("bad size " + Words.quote(text) + ": " + why + Numbers.asciiNote(text));
    }

    /**
     * The canonical spelling: the largest of G and M that divides the length exactly, else pages
     * when it is a page multiple, else K when a multiple of 1024, else plain bytes ({@code 0} for 0).
     */
    public String render() {
        if (bytes == 0) {
            return "0";
        }
        if (bytes % G == 0) {
            return bytes / G + "G";
        }
        if (bytes % M == 0) {
            return bytes / M + "M";
        }
        if (bytes % Geometry.PAGE_SIZE == 0) {
            return bytes / Geometry.PAGE_SIZE + "p";
        }
        if (bytes % K == 0) {
            return bytes / K + "K";
        }
        return Long.toString(bytes);
    }
}
