package dev.mmsim.scenarios.vm;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host programs a kernel under test needs, and running them. */
final class Tools {
    private Tools() {}

    /** The program's path on PATH, or a {@link VmException} naming the Debian package to install. */
    static String require(String program, String debianPackage) throws VmException {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, program);
                if (Files.isExecutable(p)) return p.toString();
            }
        }
        throw new VmException(program + " not found: install the Debian package " + debianPackage
                + " (apt-get install " + debianPackage + ")");
    }

    /** A command's output. */
    record Result(int status, String out) {}

    /** Runs a command in {@code dir} (null: here), standard error merged, within {@code seconds}. */
    static Result run(List<String> command, Path dir, int seconds) throws VmException {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (dir != null) pb.directory(dir.toFile());
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new VmException(command.get(0) + " took longer than " + seconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new VmException("cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmException("interrupted while running " + command.get(0));
        }
    }

    /** Runs a command that must succeed; its output otherwise becomes the message. */
    static String check(List<String> command, Path dir, int seconds) throws VmException {
        Result r = run(command, dir, seconds);
        if (r.status() != 0)
            throw new VmException(String.join(" ", command) + " failed (exit " + r.status() + "): " + lastLines(r.out(), 3));
        return r.out();
    }

    static String lastLines(String text, int n) {
        String[] lines = text.strip().split("\n");
        return String.join(" / ", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - n), lines.length));
    }
}
