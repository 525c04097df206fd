package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's supervisor on this host's kernel: kill the worker, the supervisor or the JVM at a
 * point where swap is on, the hugetlb pool grown and files written, and the host is as it was
 * before (at once, or when the next agent starts, which says so); a hang ends as a timeout at its
 * statement; runs take turns on the host. Where the host lacks swap or a free hugetlb pool those
 * parts are left out of the set-up (said in the test's output); without a kernel backend at all
 * the tests are skipped with the reason.
 */
class SupervisorTest {
    private HostProbe probe;
    private boolean swap;
    private boolean hugetlb;

    @BeforeEach
    void kernelBackend() throws Exception {
        try {
            probe = HostProbe.get();
        } catch (AgentBuild.Unavailable e) {
            assumeTrue(false, "kernel backend unavailable: " + e.getMessage());
        }
        swap = probe.missing(List.of("swap")) == null && !probe.host().swap();
        hugetlb = probe.missing(List.of("hugetlb")) == null
                && HugetlbPoolTest.sysNumber(HugetlbPoolTest.HUGEPAGES.resolve("free_hugepages")) == 0
                && HugetlbPoolTest.sysNumber(HugetlbPoolTest.HUGEPAGES.resolve("resv_hugepages")) == 0;
        if (!swap) System.out.println("SupervisorTest: no swap in the set-up (" + probe.features().get("swap") + ")");
        if (!hugetlb) System.out.println("SupervisorTest: no hugetlb pool in the set-up");
    }

    /** A supervisor started here, with the resources the host allows taken. */
    private record Started(Process process, Writer in, BufferedReader out, Path err) {
        long workerPid() throws IOException {
            String kids = Files.readString(Path.of("/proc/" + process.pid() + "/task/" + process.pid() + "/children")).trim();
            assertThat(kids).as("the supervisor's one child, the worker").matches("\\d+");
            return Long.parseLong(kids);
        }

        String stderr() throws IOException {
            return Files.readString(err);
        }
    }

    private Started start(Path dir, String... extraArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(AgentBuild.agent().toString()));
        cmd.addAll(List.of(extraArgs));
        Path err = Files.createTempFile(dir, "agent", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
        pb.environment().put("MMSIM_STATE_DIR", HostLock.stateDir().toString());
        Process p = pb.start();
        Started s = new Started(p, new OutputStreamWriter(p.getOutputStream(), StandardCharsets.US_ASCII),
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII)), err);
        long lo = Layout.DEFAULT_ARENA;
        List<String> expect = new ArrayList<>();
        send(s, "file 1 1048576", expect, "ok");
        if (swap) send(s, "swap_on 4096", expect, "ok");
        if (hugetlb) send(s, "hugetlb_on 4 0x" + Long.toHexString(lo) + " 0x" + Long.toHexString(lo + Layout.ARENA_SIZE), expect, null);
        send(s, "mmap 0x" + Long.toHexString(lo) + " 16777216 3 " + 0x100022 + " -1 0", expect, "ok");
        send(s, "touch w 0x" + Long.toHexString(lo) + " 16777216", expect, "ok");
        if (swap) send(s, "madvise 0x" + Long.toHexString(lo) + " 16777216 21", expect, "ok");   // pageout: pages on swap
        s.in().flush();
        for (String e : expect) {
            String line = s.out().readLine();
            if (e == null) assertThat(line).startsWith("ok ");
            else assertThat(line).isEqualTo(e);
        }
        return s;
    }

    private static void send(Started s, String cmd, List<String> expect, String reply) throws IOException {
        s.in().write(cmd + "\n");
        expect.add(reply);
    }

    private static ProcessBuilder withStateDir(ProcessBuilder pb) {
        pb.environment().put("MMSIM_STATE_DIR", HostLock.stateDir().toString());
        return pb;
    }

    private static void awaitGone(long pid) throws InterruptedException {
        for (int i = 0; i < 400 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) Thread.sleep(50);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process " + pid + " ended").isFalse();
    }

    private static void kill(long pid) throws Exception {
        new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
    }

    @Test
    void killingTheWorkerRestoresEverythingAtOnce(@TempDir Path dir) throws Exception {
        HostState before = HostState.now();
        Started s = start(dir);
        long worker = s.workerPid();
        if (swap) assertThat(HostState.now().swaps()).hasSize(before.swaps().size() + 1);
        kill(worker);
        assertThat(s.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(s.process().exitValue()).isEqualTo(128 + 9);
        awaitGone(worker);
        assertThat(HostState.now()).isEqualTo(before);
    }

    @Test
    void aKilledSupervisorIsCleanedUpAfterByTheNextAgent(@TempDir Path dir) throws Exception {
        HostState before = HostState.now();
        Started s = start(dir);
        long worker = s.workerPid();
        kill(s.process().pid());
        assertThat(s.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        awaitGone(worker);   // PR_SET_PDEATHSIG
        HostState left = HostState.now();
        assertThat(left.stateFiles()).hasSize(before.stateFiles().size() + 1);
        if (swap) assertThat(left.swaps()).hasSize(before.swaps().size() + 1);

        Process next = withStateDir(new ProcessBuilder(AgentBuild.agent().toString()).redirectErrorStream(true)).start();
        next.getOutputStream().write("quit\n".getBytes(StandardCharsets.US_ASCII));
        next.getOutputStream().close();
        String said = new String(next.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(next.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(said).contains("mmsim-agent: restored what agent " + s.process().pid() + " left when it was killed");
        if (swap) assertThat(said).contains("swapoff ");
        if (hugetlb) assertThat(said).contains("nr_hugepages ");
        assertThat(HostState.now()).isEqualTo(before);
    }

    /**
     * Kills at random moments: the supervisor is SIGKILLed somewhere between its start and the end
     * of a session that writes files, turns swap on, grows the pool and pages out; whatever it had
     * done by then, the next agent gives it back.
     */
    @Test
    void killsAtAnyPointAreRecoveredByTheNextAgent(@TempDir Path dir) throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(13);
        for (int round = 0; round < 6; round++) {
            HostState before = HostState.now();
            List<String> cmd = List.of(AgentBuild.agent().toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("r" + round + ".err").toFile());
            pb.environment().put("MMSIM_STATE_DIR", HostLock.stateDir().toString());
            Process p = pb.start();
            long lo = Layout.DEFAULT_ARENA;
            StringBuilder session = new StringBuilder("file 1 1048576\n");
            if (swap) session.append("swap_on 4096\n");
            if (hugetlb) session.append("hugetlb_on 4 0x").append(Long.toHexString(lo)).append(" 0x")
                    .append(Long.toHexString(lo + Layout.ARENA_SIZE)).append('\n');
            session.append("mmap 0x").append(Long.toHexString(lo)).append(" 16777216 3 ").append(0x100022).append(" -1 0\n");
            session.append("touch w 0x").append(Long.toHexString(lo)).append(" 16777216\n");
            if (swap) session.append("madvise 0x").append(Long.toHexString(lo)).append(" 16777216 21\n");
            p.getOutputStream().write(session.toString().getBytes(StandardCharsets.US_ASCII));
            p.getOutputStream().flush();
            Thread.sleep(random.nextInt(400));
            kill(p.pid());
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200);   // its worker dies of PR_SET_PDEATHSIG
            Process next = withStateDir(new ProcessBuilder(AgentBuild.agent().toString()).redirectErrorStream(true)).start();
            next.getOutputStream().close();
            next.getInputStream().readAllBytes();
            assertThat(next.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(HostState.now()).as("round " + round).isEqualTo(before);
        }
    }

    @Test
    void killingTheJvmRestoresEverything(@TempDir Path dir) throws Exception {
        HostState before = HostState.now();
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String cp = String.join(java.io.File.pathSeparator, System.getProperty("jdk.module.path", ""),
                System.getProperty("java.class.path", ""));
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-cp", cp, "-Dmmsim.home=" + AgentBuild.home(),
                "-Dmmsim.agent=" + AgentBuild.agent(), AgentHolder.class.getName(), Boolean.toString(swap)));
        Process jvm = new ProcessBuilder(cmd).redirectError(dir.resolve("jvm.err").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.US_ASCII));
        String ready = out.readLine();
        assertThat(ready).as(Files.exists(dir.resolve("jvm.err")) ? Files.readString(dir.resolve("jvm.err")) : "").startsWith("ready ");
        long supervisor = Long.parseLong(ready.substring(6));
        if (swap) assertThat(HostState.now().swaps()).hasSize(before.swaps().size() + 1);
        kill(jvm.pid());
        jvm.waitFor(30, TimeUnit.SECONDS);
        awaitGone(supervisor);   // SIGTERM from PR_SET_PDEATHSIG: it ended its worker and gave everything back
        assertThat(HostState.now()).isEqualTo(before);
    }

    @Test
    void aHangIsATimeoutAtItsStatementAndLeavesNothing() throws Exception {
        assumeTrue(probe.missing(List.of("uffd_wp")) == null, "missing uffd_wp");
        HostState before = HostState.now();
        Scenario s = ScenarioParser.parse("hang.scn", """
                scenario test/hang
                mmap A 1p rw private
                uffd_register A 1p missing
                read A
                """);
        long t0 = System.nanoTime();
        Transcript t = new Runner(Layout.DEFAULT_ARENA, 2).kernel(s);
        assertThat(t.outcome().kind()).isEqualTo(Outcome.Kind.TIMEOUT);
        assertThat(t.outcome().render()).isEqualTo("timeout at line 4 (read A), 2 s");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(20);
        assertThat(HostState.now()).isEqualTo(before);
    }

    /** Whether this host has a memory cgroup controller the supervisor can use (agent's supervisor.c). */
    static boolean memoryCgroup() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            String path = f[2].equals("/") ? "" : f[2];
            if (f[0].equals("0") && f[1].isEmpty()) {
                for (String mount : List.of("/sys/fs/cgroup", "/sys/fs/cgroup/unified")) {
                    Path ctl = Path.of(mount + path + "/cgroup.subtree_control");
                    if (Files.isReadable(ctl) && Files.readString(ctl).contains("memory")) return true;
                }
            } else if (List.of(f[1].split(",")).contains("memory")
                    && Files.isWritable(Path.of("/sys/fs/cgroup/memory" + path + "/memory.limit_in_bytes"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theMemoryCapEndsAWorkerThatPopulatesTooMuch(@TempDir Path dir) throws Exception {
        assumeTrue(memoryCgroup(), "no memory cgroup controller the agent can use on this host");
        HostState before = HostState.now();
        Path err = dir.resolve("agent.err");
        ProcessBuilder pb = new ProcessBuilder(AgentBuild.agent().toString(), "--timeout", "120").redirectError(err.toFile());
        pb.environment().put("MMSIM_STATE_DIR", HostLock.stateDir().toString());
        Process p = pb.start();
        long lo = Layout.DEFAULT_ARENA;
        String four = Long.toString(4L << 30);
        p.getOutputStream().write(("mmap 0x" + Long.toHexString(lo) + " " + four + " 3 " + 0x4022 + " -1 0\n"
                + "touch w 0x" + Long.toHexString(lo) + " " + four + "\n").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(Agent.EXIT_MEMORY_CAP);
        assertThat(Files.readString(err)).contains("fatal memory cap");
        assertThat(HostState.now()).isEqualTo(before);
    }

    @Test
    void runsTakeTurnsOnTheHost(@TempDir Path dir) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        String cp = String.join(java.io.File.pathSeparator, System.getProperty("jdk.module.path", ""),
                System.getProperty("java.class.path", ""));
        Process other = new ProcessBuilder(javaBin, "-cp", cp, HoldHostLock.class.getName())
                .redirectError(dir.resolve("other.err").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.US_ASCII));
        assertThat(out.readLine()).isEqualTo("holding");
        try {
            assertThat(HostLock.tryHold(false)).as("a shared turn while another run holds it exclusively").isNull();
        } finally {
            other.getOutputStream().close();   // it lets go at end of input
            other.waitFor(30, TimeUnit.SECONDS);
        }
        try (HostLock.Hold h = HostLock.tryHold(false)) {
            assertThat(h).as("a shared turn once the other run is done").isNotNull();
        }
    }

    /** A JVM that starts an agent with swap on (when told so) and waits to be killed. */
    public static final class AgentHolder {
        public static void main(String[] args) throws Exception {
            Agent agent = Agent.local(AgentBuild.agent(), 600);
            if (Boolean.parseBoolean(args[0])) {
                String r = agent.call("swap_on 4096").get(0);
                if (!r.equals("ok")) throw new IllegalStateException(r);
            }
            agent.call("file 1 4096");
            long supervisor = ProcessHandle.current().children().findFirst().orElseThrow().pid();
            System.out.println("ready " + supervisor);
            System.out.flush();
            Thread.sleep(600_000);
        }
    }

    /** A JVM that holds the host exclusively until its input ends. */
    public static final class HoldHostLock {
        public static void main(String[] args) throws Exception {
            try (HostLock.Hold h = HostLock.hold(true)) {
                System.out.println("holding");
                System.out.flush();
                System.in.read();
            }
        }
    }
}
