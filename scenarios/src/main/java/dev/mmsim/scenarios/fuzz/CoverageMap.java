package dev.mmsim.scenarios.fuzz;

import org.jacoco.core.data.ExecutionData;
import org.jacoco.core.data.ExecutionDataStore;

import java.util.HashMap;
import java.util.Map;

/** The probes a campaign's cases reached, all together: what a new case must add to to be kept. */
final class CoverageMap {
    private final Map<Long, boolean[]> probes = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private long hit;

    /** Adds the probes of one run; returns how many of them no earlier run reached. */
    synchronized int merge(ExecutionDataStore run) {
        int fresh = 0;
        for (ExecutionData d : run.getContents()) {
            boolean[] p = d.getProbes();
            boolean[] seen = probes.get(d.getId());
            if (seen == null) {
                boolean any = false;
                for (boolean b : p) any |= b;
                if (!any) continue;
                seen = new boolean[p.length];
                probes.put(d.getId(), seen);
                names.put(d.getId(), d.getName());
            }
            for (int i = 0; i < p.length && i < seen.length; i++) {
                if (p[i] && !seen[i]) {
                    seen[i] = true;
                    fresh++;
                }
            }
        }
        hit += fresh;
        return fresh;
    }

    /** How many probes the runs reached. */
    synchronized long hit() {
        return hit;
    }

    /** The union, as execution data a report is made from. */
    synchronized ExecutionDataStore store() {
        ExecutionDataStore store = new ExecutionDataStore();
        probes.forEach((id, p) -> store.put(new ExecutionData(id, names.get(id), p.clone())));
        return store;
    }
}
