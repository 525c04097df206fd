/**
 * Replaying scenarios: the {@link dev.mmsim.scenarios.run.Interpreter} turns each statement into
 * one {@link dev.mmsim.scenarios.run.Backend} call, on the simulator
 * ({@link dev.mmsim.scenarios.run.SimBackend}) or on the real kernel through the native agent
 * ({@link dev.mmsim.scenarios.run.KernelBackend}, {@link dev.mmsim.scenarios.run.Agent}, protocol in
 * scenarios/src/main/c/PROTOCOL.md), renders results with {@link dev.mmsim.scenarios.run.Render}
 * and records a {@link dev.mmsim.scenarios.run.Transcript}; {@link dev.mmsim.scenarios.run.Comparison}
 * finds the first line where two transcripts differ. Start with
 * {@link dev.mmsim.scenarios.run.Runner}.
 */
package dev.mmsim.scenarios.run;
