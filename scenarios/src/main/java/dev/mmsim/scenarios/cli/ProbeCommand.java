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
                if (json) System.out.println("{\"schema_version\":1,\"kernel\":" + Json.str(kernel)
                        + ",\"unavailable\":" + Json.str(e.getMessage()) + "}");
                else System.out.println("kernel " + kernel + ": unavailable: " + e.getMessage());
                return 1;
            }
            String origin = target instanceof VmTarget vm ? vm.origin() + " under QEMU (" + vm.accel() + ")" : "this host";
            if (json) {
                StringBuilder sb = new StringBuilder("{\"schema_version\":1");
                sb.append(",\"kernel\":").append(Json.str(kernel)).append(",\"origin\":").append(Json.str(origin))
                        .append(",\"release\":").append(Json.str(probe.host().kernel()))
                        .append(",\"profile\":").append(Json.str(profile.name()))
                        .append(",\"host\":{\"zero_page\":").append(probe.host().zeroPage())
                        .append(",\"thp\":").append(Json.str(probe.host().thp()))
                        .append(",\"swap\":").append(probe.host().swap())
                        .append(",\"hugetlb\":").append(probe.host().hugetlb())
                        .append(",\"soft_dirty\":").append(probe.host().softDirty()).append("},\"features\":{");
                int i = 0;
                for (Map.Entry<String, String> e : probe.features().entrySet()) {
                    if (i++ > 0) sb.append(',');
                    sb.append(Json.str(e.getKey())).append(":{\"present\":").append(e.getValue() == null);
                    if (e.getValue() != null) sb.append(",\"reason\":").append(Json.str(e.getValue()));
                    sb.append('}');
                }
                System.out.println(sb.append("}}"));
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
}
