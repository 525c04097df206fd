package dev.mmsim.proc;

/** struct page_region: [start, end) with the categories shared by all its pages. */
public record PageRegion(long start, long end, long categories) {}
