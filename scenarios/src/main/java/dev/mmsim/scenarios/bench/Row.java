package dev.mmsim.scenarios.bench;

import java.util.List;

/**
 * One line of the benchmark table.
 *
 * @param id         the workload's letter, as in the documentation
 * @param workload   what was measured
 * @param unit       the unit of both columns: "ms", "ns/op" or "B/PTE"
 * @param sim        the simulator's measurement
 * @param kernel     the kernel's measurement, or null (see kernelNote)
 * @param kernelNote why there is no kernel measurement, or null
 * @param target     the target, as text ("sim/kernel <= 0.5"), or null
 * @param met        whether the target was met, null when it could not be judged
 * @param notes      cross-checks and breakdowns, one sentence each
 */
public record Row(String id, String workload, String unit, Stat sim, Stat kernel, String kernelNote, String target,
                  Boolean met, List<String> notes) {

    /** sim / kernel of the medians, or NaN without a kernel measurement. */
    public double ratio() {
        return kernel == null || kernel.median() == 0 ? Double.NaN : sim.median() / kernel.median();
    }
}
