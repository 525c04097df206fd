/**
 * The /proc views, built on the generic walker as fs/proc/task_mmu.c builds them. Results are
 * plain records ({@link dev.mmsim.proc.ScanResult}, {@link dev.mmsim.proc.SmapsEntry}) that the
 * kernel backend also produces from the real files, so both render through the same code.
 *
 * <table>
 *   <caption>Classes and what they mirror in fs/proc/task_mmu.c</caption>
 *   <tr><th>class</th><th>kernel</th></tr>
 *   <tr><td>{@link dev.mmsim.proc.PagemapScan}, {@link dev.mmsim.proc.PmScanArg},
 *       {@link dev.mmsim.proc.PageRegion}, {@link dev.mmsim.proc.ScanResult}, {@link dev.mmsim.proc.TraceEvent}</td>
 *       <td>pagemap_ioctl(), do_pagemap_cmd(), do_pagemap_scan() and its walk; struct pm_scan_arg, struct page_region</td></tr>
 *   <tr><td>{@link dev.mmsim.proc.Pagemap}</td><td>pagemap_read() and its walk (/proc/pid/pagemap)</td></tr>
 *   <tr><td>{@link dev.mmsim.proc.Smaps}, {@link dev.mmsim.proc.SmapsEntry}</td><td>show_smap(), smaps_pte_range(), show_map()</td></tr>
 *   <tr><td>{@link dev.mmsim.proc.ClearRefs}</td><td>clear_refs_write() and clear_refs_walk_ops</td></tr>
 *   <tr><td>{@link dev.mmsim.proc.TaskMem}</td><td>task_mem(): the memory lines of /proc/pid/status</td></tr>
 * </table>
 *
 * <p>Start with {@link dev.mmsim.proc.PagemapScan#doPagemapCmd}.
 */
package dev.mmsim.proc;
