package dev.mmsim.proc;

import java.util.List;

/**
 * What a PAGEMAP_SCAN ioctl returned: the number of regions written (or a negative errno), the
 * walk_end written back into the argument, and the regions themselves.
 */
public record ScanResult(long ret, long walkEnd, List<PageRegion> regions) {}
