/**
 * {@code mmsim bench}: the simulator's speed and memory next to the host kernel's, on the same
 * layouts. {@link dev.mmsim.scenarios.bench.Bench} runs the workloads through a
 * {@code BenchTarget} on each side (the simulator, or the agent, which times the kernel work
 * itself with clock_gettime), and {@link dev.mmsim.scenarios.bench.BenchReport} renders the
 * table. The JMH microbenchmarks of the walker, the scan and the VMA tree are in the separate
 * {@code bench} module.
 */
package dev.mmsim.scenarios.bench;
