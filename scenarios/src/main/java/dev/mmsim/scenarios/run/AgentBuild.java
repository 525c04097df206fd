package dev.mmsim.scenarios.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Finds or builds the native kernel agent: {@code scenarios/src/main/c/*.c} compiled with the
 * host's {@code cc -Wall -Wextra -Werror} into {@code scenarios/target/native/mmsim-agent}, rebuilt
 * whenever a source file is newer than the binary. {@code MMSIM_HOST_KERNEL=off} in the
 * environment turns the host's kernel backend off (scenarios are then skipped with that reason),
 * for a developer who must not touch the host's swap or hugetlb pool while another run does. The project root comes from the system property
 * {@code mmsim.home} (set by the launcher and by the Maven build) or the working directory.
 */
public final class AgentBuild {
    private AgentBuild() {}

    /** Why the agent is not available, as a short phrase for "skipped: ..." lines. */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unavailable(String reason) {
            super(reason);
        }
    }

    public static Path home() {
        String h = System.getProperty("mmsim.home");
        return Path.of(h != null ? h : ".").toAbsolutePath().normalize();
    }

    /** The agent binary, built if missing or stale. */
    public static synchronized Path agent() throws Unavailable {
        if ("off".equals(System.getenv("MMSIM_HOST_KERNEL")))
            throw new Unavailable("the host kernel backend is off (MMSIM_HOST_KERNEL=off)");
        String override = System.getProperty("mmsim.agent");
        if (override != null) return Path.of(override);
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux"))
            throw new Unavailable("not linux");
        Path src = home().resolve("scenarios/src/main/c");
        if (!Files.isDirectory(src)) throw new Unavailable("agent sources not found under " + src);
        Path bin = home().resolve("scenarios/target/native/mmsim-agent");
        try {
            List<Path> sources;
            try (Stream<Path> s = Files.list(src)) {
                sources = s.filter(p -> p.toString().endsWith(".c") || p.toString().endsWith(".h")).sorted().toList();
            }
            if (Files.isExecutable(bin) && !stale(bin, sources)) return bin;
            Files.createDirectories(bin.getParent());
            // built under a temporary name and renamed: a concurrent run never executes a half-written binary
            Path tmp = bin.resolveSibling(bin.getFileName() + ".tmp" + ProcessHandle.current().pid());
            List<String> cmd = new ArrayList<>(List.of("cc", "-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-o",
                    tmp.toString()));
            for (Path p : sources) if (p.toString().endsWith(".c")) cmd.add(p.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                Files.deleteIfExists(tmp);
                throw new Unavailable("agent build failed: " + out.strip());
            }
            Files.move(tmp, bin, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return bin;
        } catch (IOException e) {
            throw new Unavailable("cannot build the agent (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted");
        }
    }

    private static boolean stale(Path bin, List<Path> sources) throws IOException {
        FileTime built = Files.getLastModifiedTime(bin);
        for (Path s : sources) if (Files.getLastModifiedTime(s).compareTo(built) > 0) return true;
        return false;
    }
}
