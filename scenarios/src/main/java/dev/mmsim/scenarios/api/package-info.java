/**
 * A Java API to script the simulator, as drgn's helpers script a kernel: build a simulated
 * process ({@link dev.mmsim.scenarios.api.Machine}), run system calls and accesses on it, and read
 * typed results back: {@link dev.mmsim.scenarios.api.Scan} with its
 * {@link dev.mmsim.scenarios.api.Region}s and their {@link dev.mmsim.core.PageCategory} sets,
 * {@link dev.mmsim.scenarios.api.PagemapEntry} per page, and smaps entries
 * ({@link dev.mmsim.proc.SmapsEntry}). Every result also renders as the transcript line a scenario
 * would print ({@code text()}), with addresses relative to the names given to mappings.
 *
 * <pre>{@code
 * try (Machine m = Machine.builder().host("zero_page=off").build()) {
 *     Mapping a = m.mmap("A", 10 * Machine.PAGE, "rw", MmapFlag.PRIVATE, MmapFlag.ANON);
 *     m.write(a.start(), 3 * Machine.PAGE);
 *     m.madvise(a.page(4), 2 * Machine.PAGE, Madvise.GUARD_INSTALL);
 *     Scan s = m.scan(a.start(), a.length());
 *     s.regions().get(2).categories();   // [PAGE_IS_SWAPPED, PAGE_IS_GUARD, PAGE_IS_WRITTEN]
 *     s.text();                          // 4 [A..A+3p present|written, ...] walk_end=A+10p
 * }
 * }</pre>
 *
 * <p>Mirrors no kernel file: it is the scenario interpreter's backend calls with typed arguments
 * (a {@link dev.mmsim.scenarios.run.SimBackend} underneath). A runnable example, compiled and run
 * by the tests, is {@code src/site/examples/GuardRegionScript.java}. Maven coordinates:
 * {@code dev.mmsim:scenarios} (module {@code dev.mmsim.scenarios}).
 */
package dev.mmsim.scenarios.api;
