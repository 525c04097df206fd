package dev.mmsim.scenarios.fuzz;

import java.nio.file.Path;

/**
 * An unexplained mismatch as a campaign reports it: shrunk to a minimal scenario that still shows
 * it, and written to a file.
 *
 * @param signature what the mismatch looks like
 * @param seed the seed of the scenario that first showed it
 * @param minimal the shrunk scenario (the original one when the mismatch did not reproduce)
 * @param reproducible whether replaying the original scenario showed the mismatch again
 * @param file where the minimal scenario was written
 */
public record Finding(Signature signature, long seed, FuzzCase minimal, boolean reproducible, Path file) {}
