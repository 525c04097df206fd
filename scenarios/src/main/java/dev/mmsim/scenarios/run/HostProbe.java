package dev.mmsim.scenarios.run;

import dev.mmsim.core.HostProfile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent's {@code probe} measured on this host: the {@link HostProfile} the simulator must
 * follow, and for each feature of the scenario language whether the host has it (with the reason
 * when not). Probed once per kernel target.
 *
 * @param host     the host profile
 * @param features feature name to null (present) or the reason it is missing
 */
public record HostProbe(HostProfile host, Map<String, String> features) {

    /** The probe of this host's kernel ({@link KernelTarget#host()}); throws when the agent is unavailable. */
    public static HostProbe get() throws AgentBuild.Unavailable {
        return KernelTarget.host().probe();
    }

    /** Parses the probe reply (PROTOCOL.md, "probe keys"). */
    public static HostProbe parse(List<String> lines) {
        Map<String, String> kv = new LinkedHashMap<>();
        Map<String, String> features = new LinkedHashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ", 4);
            if (parts[0].equals("feature") && parts.length >= 3) {
                features.put(parts[1], parts[2].equals("yes") ? null : (parts.length > 3 ? parts[3] : "not available"));
            } else if (parts.length >= 2) {
                kv.put(parts[0], line.substring(parts[0].length() + 1));
            }
        }
        HostProfile host = new HostProfile(kv.getOrDefault("kernel", "unknown"), "on".equals(kv.get("zero_page")),
                kv.getOrDefault("thp", "never"), "yes".equals(kv.get("swap")), "yes".equals(kv.get("hugetlb")),
                "on".equals(kv.get("soft_dirty")), "on".equals(kv.get("la57")));
        return new HostProbe(host, features);
    }

    /** The first required feature the host lacks, as "FEATURE (reason)", or null when all are there. */
    public String missing(List<String> required) {
        for (String f : required) {
            if (!features.containsKey(f)) return f + " (not probed)";
            String reason = features.get(f);
            if (reason != null) return f;
        }
        return null;
    }
}
