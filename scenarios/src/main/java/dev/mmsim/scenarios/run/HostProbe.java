package dev.mmsim.scenarios.run;

import dev.mmsim.core.HostProfile;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent's {@code probe} measured on this host: the {@link HostProfile} the simulator must
 * follow, and for each feature of the scenario language whether the host has it (with the reason
 * when not). Probed once per JVM.
 *
 * @param host     the host profile
 * @param features feature name to null (present) or the reason it is missing
 */
public record HostProbe(HostProfile host, Map<String, String> features) {

    private static HostProbe cached;
    private static String failure;

    /** The probe of this host, running the agent once; throws when the agent is unavailable. */
    public static synchronized HostProbe get() throws AgentBuild.Unavailable {
        if (cached != null) return cached;
        if (failure != null) throw new AgentBuild.Unavailable(failure);
        try (Agent agent = new Agent(AgentBuild.agent(), 60)) {
            cached = parse(agent.call("probe"));
            return cached;
        } catch (AgentBuild.Unavailable e) {
            failure = e.getMessage();
            throw e;
        } catch (IOException | Agent.AgentException e) {
            failure = "agent failed to start: " + e.getMessage();
            throw new AgentBuild.Unavailable(failure);
        }
    }

    /** Parses the probe reply (PROTOCOL.md, "probe keys"). */
    static HostProbe parse(List<String> lines) {
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
                "on".equals(kv.get("soft_dirty")));
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
