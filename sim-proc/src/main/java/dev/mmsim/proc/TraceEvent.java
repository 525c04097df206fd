package dev.mmsim.proc;

/**
 * One walker callback made during a traced scan: which callback (test_walk, pmd_entry, pte_hole),
 * the range it was given, and for pte_hole the depth at which the table was missing
 * (0 pgd, 2 pud, 3 pmd, -1 outside any VMA).
 */
public record TraceEvent(String callback, long start, long end, int depth) {}
