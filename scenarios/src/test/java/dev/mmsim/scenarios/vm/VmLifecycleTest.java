package dev.mmsim.scenarios.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Nothing of a VM outlives its run: its process and its work folder go, also after a killed JVM. */
class VmLifecycleTest {
    @Test
    void workFoldersOfDeadOwnersAreRemovedOthersStay() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(10, TimeUnit.SECONDS);
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path dead = Files.createTempDirectory(tmp, QemuVm.WORK_PREFIX);
        Files.writeString(dead.resolve("owner"), p.pid() + "\n");
        Files.writeString(dead.resolve("swap.img"), "x");
        Path alive = Files.createTempDirectory(tmp, QemuVm.WORK_PREFIX);
        Files.writeString(alive.resolve("owner"), ProcessHandle.current().pid() + "\n");
        try {
            QemuVm.removeStale();
            assertThat(dead).doesNotExist();
            assertThat(alive).exists();
        } finally {
            DebianKernels.deleteTree(alive);
            DebianKernels.deleteTree(dead);
        }
    }

    @Test
    void closingTheTargetEndsQemuAndRemovesItsFiles() throws Exception {
        boolean qemu = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "qemu-system-x86_64"))) qemu = true;
        }
        Assumptions.assumeTrue(qemu, "qemu-system-x86_64 not installed (apt-get install qemu-system-x86)");
        VmTarget t;
        try {
            t = VmTarget.open(KernelSpec.parse("debian:6.12"), msg -> { });
        } catch (VmException e) {
            assertThat(e.getMessage()).as("booting debian:6.12").doesNotContain("did not come up");
            Assumptions.abort("no VM of debian:6.12: " + e.getMessage());
            return;
        }
        QemuVm vm = t.vm();
        Path work = vm.workDir();
        ProcessHandle qemuProcess = vm.process();
        assertThat(work.resolve("tmp.img")).exists();
        assertThat(qemuProcess.isAlive()).isTrue();
        t.close();
        assertThat(qemuProcess.isAlive()).isFalse();
        assertThat(work).doesNotExist();
    }
}
