package dev.mmsim.scenarios.vm;

import dev.mmsim.scenarios.run.AgentBuild;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The two programs of the initramfs, linked statically (the initramfs has no libc):
 * {@code scenarios/target/native/static/mmsim-agent} from {@code scenarios/src/main/c/*.c} and
 * {@code .../init} from {@code scenarios/src/main/c/vm/mmsim_init.c}, rebuilt when a source is
 * newer. Each is built under a temporary name and renamed, so that a concurrent run never sees a
 * half-written binary.
 */
public final class StaticBuild {
    private StaticBuild() {}

    /** The static agent and init. */
    public record Binaries(Path agent, Path init) {}

    public static synchronized Binaries build() throws VmException {
        String cc = Tools.require("cc", "gcc");
        Path src = AgentBuild.home().resolve("scenarios/src/main/c");
        if (!Files.isDirectory(src)) throw new VmException("agent sources not found under " + src);
        Path out = AgentBuild.home().resolve("scenarios/target/native/static");
        try {
            Files.createDirectories(out);
            List<Path> agentSources;
            try (Stream<Path> s = Files.list(src)) {
                agentSources = s.filter(p -> p.toString().endsWith(".c") || p.toString().endsWith(".h")).sorted().toList();
            }
            Path agent = out.resolve("mmsim-agent");
            Path init = out.resolve("init");
            compile(cc, agentSources, agent);
            compile(cc, List.of(src.resolve("vm/mmsim_init.c")), init);
            return new Binaries(agent, init);
        } catch (IOException e) {
            throw new VmException("cannot build the static agent: " + e.getMessage());
        }
    }

    private static void compile(String cc, List<Path> sources, Path target) throws IOException, VmException {
        if (Files.isExecutable(target) && !stale(target, sources)) return;
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp" + ProcessHandle.current().pid());
        List<String> cmd = new ArrayList<>(List.of(cc, "-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "-static",
                "-o", tmp.toString()));
        for (Path p : sources) if (p.toString().endsWith(".c")) cmd.add(p.toString());   // headers only count for staleness
        Tools.Result r = Tools.run(cmd, null, 300);
        if (r.status() != 0) {
            Files.deleteIfExists(tmp);
            throw new VmException("cc -static failed (a static libc comes with the Debian package libc6-dev): "
                    + Tools.lastLines(r.out(), 3));
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean stale(Path bin, List<Path> sources) throws IOException {
        var built = Files.getLastModifiedTime(bin);
        for (Path s : sources) if (Files.getLastModifiedTime(s).compareTo(built) > 0) return true;
        return false;
    }
}
