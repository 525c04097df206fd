package dev.mmsim.proc;

import java.util.List;

/**
 * One VMA as /proc/pid/smaps shows it: the range, the permission string ({@code rw-p}), the
 * VmFlags mnemonics in the order printed, and the counters mmsim compares, in kB as the file
 * prints them. The kernel backend parses the real file into the same record.
 */
public record SmapsEntry(long start, long end, String perms, List<String> vmFlags, long rssKb, long swapKb) {}
