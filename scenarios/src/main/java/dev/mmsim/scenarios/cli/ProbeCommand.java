package dev.mmsim.scenarios.cli;

import dev.mmsim.core.KernelProfile;
import dev.mmsim.scenarios.run.AgentBuild;
import dev.mmsim.scenarios.run.HostProbe;
import dev.mmsim.scenarios.run.Json;
import dev.mmsim.scenarios.run.KernelTarget;
import dev.mmsim.scenarios.vm.VmTarget;

import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "probe", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Probe a kernel, as 'criu check' does: its release, the kernel profile the simulator",
            "follows for it, the host profile (zero page, THP mode, swap, hugetlb, soft-dirty) and, for",
            "each feature a scenario can require, whether the kernel has it (with the reason when not).",
            "Exits 0 when the kernel could be probed, 1 when not."},
        footer = {"", "Examples:", "  mmsim probe", "  mmsim probe --kernel debian:6.12 --json"})
final class ProbeCommand implements Callable<Integer> {
    @Option(names = "--kernel", paramLabel = "K", defaultValue = "host", description = {"The kernel: " + Common.KERNEL_HELP})
    String kernel;

    @Option(names = "--json", description = "Print the probe as one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        try (KernelTarget target = Common.openKernel(kernel)) {
            HostProbe probe;
            KernelProfile profile;
            try {
                probe = target.probe();
                profile = target.profile();
            } catch (AgentBuild.Unavailable e) {
                if (json) {
                    Map<String, Object> doc = Json.document("probe");
                    doc.put("kernel", kernel);
                    doc.put("unavailable", e.getMessage());
                    System.out.println(Json.write(doc));
                } else {
                    System.out.println("kernel " + kernel + ": unavailable: " + e.getMessage());
                }
                return 1;
            }
            String origin = target instanceof VmTarget vm ? vm.origin() + " under QEMU (" + vm.accel() + ")" : "this host";
            if (json) {
                System.out.println(Json.write(toJson(kernel, origin, probe, profile)));
            } else {
                System.out.println("kernel   " + kernel + " (" + origin + ")");
                System.out.println("release  " + probe.host().kernel());
                System.out.println("profile  " + profile.name());
                System.out.println("host     " + probe.host().render());
                System.out.println();
                for (Map.Entry<String, String> e : probe.features().entrySet()) {
                    System.out.printf("  %-16s %s%n", e.getKey(), e.getValue() == null ? "yes" : "no (" + e.getValue() + ")");
                }
            }
            return 0;
        }
    }

    /** The probe as a document ({@code $defs/probe} of the schema). */
    static Map<String, Object> toJson(String kernel, String origin, HostProbe probe, KernelProfile profile) {
        Map<String, Object> doc = Json.document("probe");
        doc.put("kernel", kernel);
        doc.put("unavailable", null);
        doc.put("origin", origin);
        doc.put("release", probe.host().kernel());
        doc.put("profile", profile.name());
        Map<String, Object> host = Json.object();
        host.put("zero_page", probe.host().zeroPage());
        host.put("thp", probe.host().thp());
        host.put("swap", probe.host().swap());
        host.put("hugetlb", probe.host().hugetlb());
        host.put("soft_dirty", probe.host().softDirty());
        host.put("render", probe.host().render());
        doc.put("host", host);
        Map<String, Object> features = Json.object();
        for (Map.Entry<String, String> e : probe.features().entrySet()) {
            Map<String, Object> f = Json.object();
            f.put("present", e.getValue() == null);
            if (e.getValue() != null) f.put("reason", e.getValue());
            features.put(e.getKey(), f);
        }
        doc.put("features", features);
        return doc;
    }
}
