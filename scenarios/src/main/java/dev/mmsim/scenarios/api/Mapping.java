package dev.mmsim.scenarios.api;

/**
 * A mapping a {@link Machine} created: its name (used when addresses are rendered, {@code A+3p}),
 * where it starts and the length it was asked for.
 */
public record Mapping(String name, long start, long length) {
    /** The address of page {@code n} of the mapping. */
    public long page(long n) {
        return start + n * Machine.PAGE;
    }

    /** The end of the mapping, page aligned. */
    public long end() {
        return start + Math.ceilDiv(length, Machine.PAGE) * Machine.PAGE;
    }
}
