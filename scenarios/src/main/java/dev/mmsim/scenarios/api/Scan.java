package dev.mmsim.scenarios.api;

import java.util.List;

/**
 * The result of a PAGEMAP_SCAN ioctl.
 *
 * @param ret     the ioctl's return: the number of regions, or a negative errno
 * @param walkEnd where the walk ended (the arg's walk_end)
 * @param regions the regions, in address order
 * @param text    the result as a transcript prints it: {@code 2 [A..A+4p present|written, ...] walk_end=A+10p}
 */
public record Scan(long ret, long walkEnd, List<Region> regions, String text) {
    /** Whether the ioctl succeeded. */
    public boolean ok() {
        return ret >= 0;
    }
}
