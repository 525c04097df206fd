/**
 * The /proc views, built on the generic walker as fs/proc/task_mmu.c builds them:
 * {@link dev.mmsim.proc.PagemapScan} (the PAGEMAP_SCAN ioctl), {@link dev.mmsim.proc.Pagemap}
 * (/proc/pid/pagemap) and {@link dev.mmsim.proc.Smaps} (smaps and maps). Results are plain records
 * ({@link dev.mmsim.proc.ScanResult}, {@link dev.mmsim.proc.SmapsEntry}) that the kernel backend
 * also produces from the real files, so both render through the same code. Start with
 * {@link dev.mmsim.proc.PagemapScan#doPagemapScan}.
 */
package dev.mmsim.proc;
