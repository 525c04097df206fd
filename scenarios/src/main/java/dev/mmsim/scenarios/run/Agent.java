package dev.mmsim.scenarios.run;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One running agent and its line protocol ({@code scenarios/src/main/c/PROTOCOL.md}): {@link #call}
 * sends one command and returns the reply's lines (status line first, then the body lines it
 * announces). The agent runs as a process on this host ({@link #local}) or inside a VM booted with
 * the kernel under test ({@code dev.mmsim.scenarios.vm}); a {@link Transport} hides which.
 *
 * <p>Every call has a watchdog: a reply that has not come {@link #GRACE_SECONDS} after the
 * agent's own time limit would have ended it means the agent is stuck where no signal reaches it
 * (a task looping in the kernel), and the transport is killed, so that no command waits forever.
 */
public final class Agent implements AutoCloseable {
    /** The agent died or broke the protocol. */
    public static final class AgentException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final boolean timeout;

        AgentException(String message) {
            this(message, false);
        }

        AgentException(String message, boolean timeout) {
            super(message);
            this.timeout = timeout;
        }

        /** Whether the agent was ended by its time limit (its own, or the watchdog's). */
        public boolean timeout() {
            return timeout;
        }
    }

    /** How an agent's lines travel. */
    public interface Transport {
        /** Sends one command line. */
        void send(String line) throws IOException;

        /** The next reply line, or null when the agent has ended. */
        String readLine() throws IOException;

        /** Why the agent ended, as " (exit status N)" or " (timeout)", or "" when not known. */
        String exitNote();

        /** Whether the agent ended at its time limit (exit status 124), as far as known. */
        default boolean timedOut() {
            return exitNote().equals(" (timeout)");
        }

        /** Ends the agent now, whatever it is doing (the watchdog). */
        void kill();

        /** Waits for the agent to end after {@code quit} was sent, killing it if it does not. */
        void awaitEnd();
    }

    /** The agent's exit status when its worker's memory cgroup killed it (agent.h). */
    public static final int EXIT_MEMORY_CAP = 125;

    /**
     * What an agent's exit status says, for any transport: " (timeout)" for 124, the memory cap for
     * 125, the signal for 128 + N, else " (exit status N)".
     */
    public static String exitNote(int status) {
        if (status == 124) return " (timeout)";
        if (status == EXIT_MEMORY_CAP) return " (the kernel backend's memory cap: its cgroup's OOM killer ended the worker)";
        return status > 128 ? " (killed by signal " + (status - 128) + ")" : " (exit status " + status + ")";
    }

    /** Seconds past the agent's own time limit after which the watchdog kills it. */
    static final int GRACE_SECONDS = 30;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mmsim-agent-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Transport transport;
    private final int timeoutSeconds;
    private volatile boolean killedByWatchdog;

    public Agent(Transport transport, int timeoutSeconds) {
        this.transport = transport;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * An agent on this host: {@code binary --timeout SECONDS}, its supervisor started through
     * {@code setpriv --pdeathsig TERM} where util-linux has it (the supervisor also asks for that
     * signal itself, a moment later), so that when the JVM dies the supervisor ends its worker and
     * gives back what it changed instead of running on, orphaned. Its state files go to
     * {@link HostLock#stateDir()}, where the host-wide lock is too.
     */
    public static Agent local(Path binary, int timeoutSeconds) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (SETPRIV != null) cmd.addAll(List.of(SETPRIV, "--pdeathsig", "TERM"));
        cmd.addAll(List.of(binary.toString(), "--timeout", Integer.toString(timeoutSeconds)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("MMSIM_STATE_DIR", HostLock.stateDir().toString());
        return new Agent(new ProcessTransport(pb.start()), timeoutSeconds);
    }

    /** util-linux's setpriv, or null. */
    private static final String SETPRIV = java.util.stream.Stream.of("/usr/bin/setpriv", "/bin/setpriv")
            .filter(p -> java.nio.file.Files.isExecutable(Path.of(p))).findFirst().orElse(null);

    /** Sends one command; returns the status line followed by its body lines. */
    public List<String> call(String command) {
        ScheduledFuture<?> watchdog = timeoutSeconds <= 0 ? null
                : WATCHDOG.schedule(() -> {
                    killedByWatchdog = true;
                    transport.kill();
                }, timeoutSeconds + (long) GRACE_SECONDS, TimeUnit.SECONDS);
        try {
            transport.send(command);
            String status = readLine(command);
            List<String> reply = new ArrayList<>();
            reply.add(status);
            int body = bodyLines(command, status);
            if (body < 0) {
                for (String l = readLine(command); !l.equals("end"); l = readLine(command)) reply.add(l);
            } else {
                for (int i = 0; i < body; i++) reply.add(readLine(command));
            }
            return reply;
        } catch (IOException e) {
            throw new AgentException("agent I/O failed on '" + command + "': " + e.getMessage() + exitNote(), timedOut());
        } finally {
            if (watchdog != null) watchdog.cancel(false);
        }
    }

    private String readLine(String command) throws IOException {
        String l = transport.readLine();
        if (l == null) throw new AgentException("agent exited during '" + command + "'" + exitNote(), timedOut());
        return l;
    }

    private boolean timedOut() {
        return killedByWatchdog || transport.timedOut();
    }

    /** The time limit of one scenario, in seconds (0: none). */
    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    private String exitNote() {
        if (killedByWatchdog) return " (no reply " + GRACE_SECONDS + " s past the " + timeoutSeconds
                + " s time limit: killed by the watchdog)";
        return transport.exitNote();
    }

    /** How many body lines follow a status line; -1 for probe (up to "end"). */
    private static int bodyLines(String command, String status) {
        String cmd = command;
        while (cmd.startsWith("child ")) cmd = cmd.split(" ", 3)[2];   // the innermost child's command
        String verb = cmd.split(" ", 2)[0];
        if (verb.equals("probe")) return status.equals("end") || status.startsWith("err ") ? 0 : -1;   // a refused probe has no body
        if (!status.startsWith("ok ")) return 0;
        String[] parts = status.split(" ");
        return switch (verb) {
            case "scan", "pagemap", "smaps", "values" -> Integer.parseInt(parts[1]);
            case "pagemap_raw" -> (Integer.parseInt(parts[1]) + 7) / 8;
            default -> 0;
        };
    }

    @Override
    public void close() {
        try {
            transport.send("quit");
        } catch (IOException ignored) {
            // already gone
        }
        transport.awaitEnd();
    }

    /** An agent process of this host, on its standard input and output. */
    static final class ProcessTransport implements Transport {
        private final Process process;
        private final BufferedWriter in;
        private final BufferedReader out;

        ProcessTransport(Process process) {
            this.process = process;
            in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII));
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        }

        @Override
        public void send(String line) throws IOException {
            in.write(line);
            in.write('\n');
            in.flush();
        }

        @Override
        public String readLine() throws IOException {
            return out.readLine();
        }

        @Override
        public String exitNote() {
            try {
                if (process.waitFor(2, TimeUnit.SECONDS)) {
                    return Agent.exitNote(process.exitValue());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "";
        }

        /**
         * SIGTERM first: the supervisor then kills its worker with SIGKILL (which ends even a task
         * looping in the kernel) and gives back what it changed; SIGKILL if it has not ended after
         * {@value #TERM_GRACE_SECONDS} s (then the next agent to start restores, from its state file).
         */
        @Override
        public void kill() {
            process.destroy();
            try {
                if (!process.waitFor(TERM_GRACE_SECONDS, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        static final int TERM_GRACE_SECONDS = 20;

        @Override
        public void awaitEnd() {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
