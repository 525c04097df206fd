/**
 * {@code mmsim exercise}: small generated scenarios with their observations left for the student
 * to predict, after the OSTEP simulators ({@code -s SEED} for the exercise, {@code -c} for the
 * answers). Where to start: {@link dev.mmsim.scenarios.exercise.Exercises#generate}; the answers
 * are the simulator's transcript of the same scenario ({@link dev.mmsim.scenarios.exercise.Exercise#answer}).
 *
 * <p>Invariant: an exercise depends only on its seed and topic, never on the host; its answers
 * depend on the host profile they are computed for, which they name.
 */
package dev.mmsim.scenarios.exercise;
