package dev.mmsim.scenarios.vm;

import dev.mmsim.scenarios.run.Agent;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One kernel under test, booted under QEMU (KVM where /dev/kvm works, TCG otherwise) with the
 * initramfs of {@link Initramfs}: its PID 1 ({@code scenarios/src/main/c/vm/mmsim_init.c}) runs a
 * fresh agent for each scenario on a virtio-serial port that is QEMU's standard input and output
 * here, and restores the guest after each (the comment at the top of mmsim_init.c has the
 * protocol). The guest has 2 GiB, one CPU, a 72 MiB virtio disk for swap (a swap file on a tmpfs
 * cannot be swapped on) and a sparse 1 GiB ext4 disk for /tmp, made here with mke2fs. Its CPU has
 * neither LA57 nor PKU, as the hosts' have not: without LA57 the guest uses 4-level page tables
 * and a 47-bit user address space (TCG's "max" CPU would give it 5 levels and 56 bits); without
 * PKU a PROT_EXEC-only mapping stays readable (with it, the kernel gives such a mapping the
 * execute-only protection key, and reads fault).
 *
 * <p>Nothing outlives the run: QEMU dies with the JVM ({@code setpriv --pdeathsig KILL}), the work
 * folder ({@code $TMPDIR/mmsim-vm-*}: initramfs, swap disk, console log) is removed on close and by
 * a shutdown hook, and one left by a killed JVM is removed by the next boot.
 */
public final class QemuVm implements AutoCloseable {
    static final String INIT = "%%mmsim-init ";
    /** How long a boot may take to reach the ready line (TCG on a loaded 2-core host is slow). */
    static final int BOOT_SECONDS = 240;
    static final long SWAP_DISK_BYTES = 72L << 20;
    /** The guest's /tmp, where the agent's files live: ext4, as the hosts' /tmp is. */
    static final String TMP_DISK_SIZE = "1G";
    static final String WORK_PREFIX = "mmsim-vm-";

    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;
    private final Path work;
    private final String release;
    private final String accel;
    private final Thread cleaner;
    private volatile boolean dead;

    private QemuVm(Process process, Path work, String release, String accel, BufferedReader out) {
        this.process = process;
        this.work = work;
        this.release = release;
        this.accel = accel;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII));
        this.out = out;
        this.cleaner = new Thread(this::destroy, "mmsim-vm-cleanup");
        Runtime.getRuntime().addShutdownHook(cleaner);
    }

    /** Boots {@code kernel}; returns once its init is ready for the first agent. */
    public static QemuVm boot(KernelImage kernel, StaticBuild.Binaries bin, Consumer<String> progress) throws VmException {
        String qemu = Tools.require("qemu-system-x86_64", "qemu-system-x86");
        String setpriv = Tools.require("setpriv", "util-linux");
        String mke2fs = Tools.require("mke2fs", "e2fsprogs");
        removeStale();
        Path work;
        try {
            work = Files.createTempDirectory(WORK_PREFIX);
        } catch (IOException e) {
            throw new VmException("cannot make the VM's work folder: " + e.getMessage());
        }
        try {
            Files.writeString(work.resolve("owner"), ProcessHandle.current().pid() + "\n");
            Initramfs.write(Initramfs.entries(bin.init(), bin.agent(), kernel.modules()), work.resolve("initramfs.gz"));
            try (RandomAccessFile f = new RandomAccessFile(work.resolve("swap.img").toFile(), "rw")) {
                f.setLength(SWAP_DISK_BYTES);
            }
            Tools.check(List.of(mke2fs, "-q", "-F", "-t", "ext4", work.resolve("tmp.img").toString(), TMP_DISK_SIZE), null, 120);
        } catch (IOException | VmException e) {
            deleteQuietly(work);
            throw new VmException("cannot prepare the VM's files: " + e.getMessage());
        }
        boolean kvm = kvmUsable();
        String accel = kvm ? "kvm" : "tcg";
        List<String> cmd = new ArrayList<>(List.of(setpriv, "--pdeathsig", "KILL", qemu,
                "-nodefaults", "-no-user-config", "-machine", "pc", "-accel", accel, "-cpu", kvm ? "host,-la57,-pku" : "max,-la57,-pku",
                "-smp", "1", "-m", "2048", "-display", "none", "-no-reboot",
                "-kernel", kernel.image().toString(), "-initrd", work.resolve("initramfs.gz").toString(),
                "-append", "console=ttyS0 panic=-1 transparent_hugepage=madvise loglevel=4",
                "-serial", "file:" + work.resolve("console.log"),
                "-chardev", "stdio,id=agent,signal=off", "-device", "virtio-serial-pci",
                "-device", "virtserialport,chardev=agent,name=mmsim",
                "-drive", "file=" + work.resolve("swap.img") + ",if=virtio,format=raw",
                "-drive", "file=" + work.resolve("tmp.img") + ",if=virtio,format=raw"));
        progress.accept("booting " + kernel.origin() + " under QEMU (" + accel + ")");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectError(work.resolve("qemu.err").toFile()).start();
        } catch (IOException e) {
            deleteQuietly(work);
            throw new VmException("cannot start " + qemu + ": " + e.getMessage());
        }
        BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String ready = readWithin(p, reader, BOOT_SECONDS);
        if (ready == null || !ready.startsWith(INIT + "ready ")) {
            p.destroyForcibly();
            String why = ready == null ? "no ready line within " + BOOT_SECONDS + " s" : "unexpected line '" + ready + "'";
            String console = tail(work.resolve("console.log")) + " " + tail(work.resolve("qemu.err"));
            deleteQuietly(work);
            throw new VmException("the kernel " + kernel.origin() + " did not come up (" + why + "): " + console.strip()
                    + (kernel.modules().isEmpty() ? " (an image needs CONFIG_VIRTIO_PCI, CONFIG_VIRTIO_CONSOLE and"
                    + " CONFIG_VIRTIO_BLK built in)" : ""));
        }
        return new QemuVm(p, work, ready.substring((INIT + "ready ").length()).strip(), accel, reader);
    }

    /** Reads one line, killing QEMU if none comes within {@code seconds}. */
    private static String readWithin(Process p, BufferedReader reader, int seconds) {
        Thread timer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(seconds * 1000L);
                p.destroyForcibly();
            } catch (InterruptedException e) {
                // the line came in time
            }
        });
        try {
            return reader.readLine();
        } catch (IOException e) {
            return null;
        } finally {
            timer.interrupt();
        }
    }

    /** The guest's kernel release, as its init reported it (uname -r). */
    public String release() {
        return release;
    }

    /** kvm or tcg. */
    public String accel() {
        return accel;
    }

    /** The work folder (initramfs, disks, console log); gone once the VM is closed. */
    Path workDir() {
        return work;
    }

    /** The QEMU process. */
    ProcessHandle process() {
        return process.toHandle();
    }

    public boolean alive() {
        return !dead && process.isAlive();
    }

    /** Starts a fresh agent in the guest; the previous one must have ended. */
    public synchronized Agent startAgent(int timeoutSeconds) throws IOException {
        if (!alive()) throw new IOException("the VM is not running");
        send("start " + Math.max(0, timeoutSeconds));
        String l = readWithin(process, out, 60);
        if (l == null || !l.equals(INIT + "started")) {
            kill();
            throw new IOException("the VM's init did not start an agent (" + (l == null ? "no reply" : l) + ")");
        }
        return new Agent(new Transport(), timeoutSeconds);
    }

    private void send(String line) throws IOException {
        in.write(line);
        in.write('\n');
        in.flush();
    }

    /** Ends the VM now (the watchdog's way). */
    public void kill() {
        dead = true;
        process.destroyForcibly();
    }

    @Override
    public void close() {
        if (alive()) {
            try {
                send("poweroff");
                if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        destroy();
        try {
            Runtime.getRuntime().removeShutdownHook(cleaner);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs anyway
        }
    }

    private void destroy() {
        dead = true;
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(work);
    }

    /** The agent in the guest: its lines on the port, its end announced by init. */
    private final class Transport implements Agent.Transport {
        private Integer exitStatus;

        @Override
        public void send(String line) throws IOException {
            if (exitStatus != null) throw new IOException("the agent has exited");
            QemuVm.this.send(line);
        }

        @Override
        public String readLine() throws IOException {
            if (exitStatus != null) return null;
            String l = out.readLine();
            if (l == null) {
                dead = true;
                return null;
            }
            if (l.startsWith(INIT + "exited ")) {
                exitStatus = Integer.parseInt(l.substring((INIT + "exited ").length()).strip());
                return null;
            }
            return l;
        }

        @Override
        public String exitNote() {
            if (exitStatus == null) return dead ? " (the VM ended: " + tail(work.resolve("console.log")) + ")" : "";
            return dev.mmsim.scenarios.run.Agent.exitNote(exitStatus);
        }

        @Override
        public void kill() {
            QemuVm.this.kill();
        }

        @Override
        public void awaitEnd() {
            while (exitStatus == null && alive()) {
                String l = readWithin(process, out, 30);
                if (l == null) {
                    kill();
                    return;
                }
                if (l.startsWith(INIT + "exited ")) exitStatus = Integer.parseInt(l.substring((INIT + "exited ").length()).strip());
            }
        }
    }

    static boolean kvmUsable() {
        Path kvm = Path.of("/dev/kvm");
        return Files.isReadable(kvm) && Files.isWritable(kvm);
    }

    /** Work folders of VMs whose JVM is gone (killed before its shutdown hook ran). */
    static void removeStale() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (Stream<Path> s = Files.list(tmp)) {
            for (Path d : s.filter(p -> p.getFileName().toString().startsWith(WORK_PREFIX)).toList()) {
                try {
                    long owner = Long.parseLong(Files.readString(d.resolve("owner")).strip());
                    if (ProcessHandle.of(owner).isEmpty()) deleteQuietly(d);
                } catch (IOException | NumberFormatException e) {
                    // not ours, or being created: leave it
                }
            }
        } catch (IOException e) {
            // no temp folder listing: nothing to clean
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            return Tools.lastLines(text, 4);
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            DebianKernels.deleteTree(dir);
        } catch (IOException e) {
            // best effort
        }
    }
}
