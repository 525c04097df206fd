/**
 * Differential fuzzing ({@code mmsim fuzz}) and the engine of the property tests: seeded scenarios
 * replayed on the simulator and on the kernel, mismatches classified against the known gaps and
 * shrunk to minimal scenarios.
 *
 * <p>Where to start reading: {@link dev.mmsim.scenarios.fuzz.Generator} turns a seed into a
 * {@link dev.mmsim.scenarios.fuzz.FuzzCase} (the table of moves is {@code Moves}, the edge-biased
 * sizes and addresses {@code Ranges}); {@link dev.mmsim.scenarios.fuzz.DifferentialRunner}
 * replays a case on both backends, reusing one agent through its {@code reset} command;
 * {@link dev.mmsim.scenarios.fuzz.Campaign} runs many cases on several workers, asks
 * {@link dev.mmsim.scenarios.fuzz.KnownGaps} to explain each mismatch, and hands the unexplained
 * ones, identified by their {@link dev.mmsim.scenarios.fuzz.Signature}, to the
 * {@link dev.mmsim.scenarios.fuzz.Shrinker}. The user's guide is
 * {@code src/site/markdown/fuzzing.md}.
 */
package dev.mmsim.scenarios.fuzz;
