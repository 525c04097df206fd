package dev.mmsim.scenarios.vm;

import dev.mmsim.scenarios.run.Agent;
import dev.mmsim.scenarios.run.AgentBuild;
import dev.mmsim.scenarios.run.HostProbe;
import dev.mmsim.scenarios.run.KernelTarget;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Consumer;

/**
 * A kernel under test in a VM ({@code --kernel debian:6.12}, {@code --kernel ./bzImage}): one VM
 * for the whole run, probed once, a fresh agent process in it per scenario. When a scenario kills
 * the VM (the watchdog ends a stuck agent by ending the VM), the next scenario boots a new one.
 */
public final class VmTarget implements KernelTarget {
    private final KernelSpec spec;
    private final KernelImage image;
    private final StaticBuild.Binaries binaries;
    private final Consumer<String> progress;
    private QemuVm vm;
    private HostProbe probe;
    private int boots;

    private VmTarget(KernelSpec spec, KernelImage image, StaticBuild.Binaries binaries, Consumer<String> progress) {
        this.spec = spec;
        this.image = image;
        this.binaries = binaries;
        this.progress = progress;
    }

    /**
     * Fetches (a Debian kernel) or checks (an image path) the kernel, builds the static agent and
     * boots the VM, so that every problem shows before the first scenario.
     */
    public static VmTarget open(KernelSpec spec, Consumer<String> progress) throws VmException {
        KernelImage image = switch (spec.kind()) {
            case DEBIAN -> DebianKernels.fetch(spec, DebianKernels.cacheRoot(), progress);
            case IMAGE -> {
                if (!Files.isRegularFile(spec.image())) throw new VmException("--kernel " + spec + ": no such kernel image");
                yield new KernelImage(spec.image().toAbsolutePath(), List.of(), spec.image().toString());
            }
            case HOST -> throw new IllegalArgumentException("the host kernel needs no VM");
        };
        VmTarget t = new VmTarget(spec, image, StaticBuild.build(), progress);
        t.vm = QemuVm.boot(image, t.binaries, progress);
        t.boots = 1;
        return t;
    }

    @Override
    public String label() {
        return spec.text();
    }

    /** Where the kernel came from (the Debian package and version, or the image path). */
    public String origin() {
        return image.origin();
    }

    /** kvm or tcg. */
    public String accel() {
        return vm.accel();
    }

    /** How many times the VM was booted (more than once when scenarios killed it). */
    public int boots() {
        return boots;
    }

    @Override
    public synchronized HostProbe probe() throws AgentBuild.Unavailable {
        if (probe != null) return probe;
        try (Agent a = agent(60)) {
            probe = HostProbe.parse(a.call("probe"));
            return probe;
        } catch (IOException | Agent.AgentException e) {
            throw new AgentBuild.Unavailable("probe of " + spec + " failed: " + e.getMessage());
        }
    }

    @Override
    public synchronized Agent agent(int timeoutSeconds) throws IOException, AgentBuild.Unavailable {
        if (!vm.alive()) {
            vm.close();
            try {
                progress.accept("the VM of " + spec + " ended; booting it again");
                vm = QemuVm.boot(image, binaries, progress);
                boots++;
            } catch (VmException e) {
                throw new AgentBuild.Unavailable(e.getMessage());
            }
        }
        return vm.startAgent(timeoutSeconds);
    }

    /** The running VM (for tests of its life cycle). */
    synchronized QemuVm vm() {
        return vm;
    }

    @Override
    public boolean onThisHost() {
        return false;
    }

    @Override
    public synchronized void close() {
        if (vm != null) vm.close();
    }
}
