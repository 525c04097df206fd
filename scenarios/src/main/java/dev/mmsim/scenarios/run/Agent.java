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
import java.util.concurrent.TimeUnit;

/**
 * One running agent process and its line protocol ({@code scenarios/src/main/c/PROTOCOL.md}):
 * {@link #call} sends one command and returns the reply's lines (status line first, then the body
 * lines it announces).
 */
public final class Agent implements AutoCloseable {
    /** The agent died or broke the protocol. */
    public static final class AgentException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AgentException(String message) {
            super(message);
        }
    }

    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;

    public Agent(Path binary, int timeoutSeconds) throws IOException {
        process = new ProcessBuilder(binary.toString(), "--timeout", Integer.toString(timeoutSeconds))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII));
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** Sends one command; returns the status line followed by its body lines. */
    public List<String> call(String command) {
        try {
            in.write(command);
            in.write('\n');
            in.flush();
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
            throw new AgentException("agent I/O failed on '" + command + "': " + e.getMessage() + exitNote());
        }
    }

    private String readLine(String command) throws IOException {
        String l = out.readLine();
        if (l == null) throw new AgentException("agent exited during '" + command + "'" + exitNote());
        return l;
    }

    private String exitNote() {
        try {
            if (process.waitFor(2, TimeUnit.SECONDS)) {
                int code = process.exitValue();
                return code == 124 ? " (timeout)" : " (exit status " + code + ")";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    /** How many body lines follow a status line; -1 for probe (up to "end"). */
    private static int bodyLines(String command, String status) {
        String cmd = command;
        while (cmd.startsWith("child ")) cmd = cmd.split(" ", 3)[2];   // the innermost child's command
        String verb = cmd.split(" ", 2)[0];
        if (verb.equals("probe")) return status.equals("end") ? 0 : -1;
        if (!status.startsWith("ok ")) return 0;
        String[] parts = status.split(" ");
        return switch (verb) {
            case "scan", "pagemap", "smaps" -> Integer.parseInt(parts[1]);
            case "pagemap_raw" -> (Integer.parseInt(parts[1]) + 7) / 8;
            default -> 0;
        };
    }

    @Override
    public void close() {
        try {
            in.write("quit\n");
            in.flush();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
