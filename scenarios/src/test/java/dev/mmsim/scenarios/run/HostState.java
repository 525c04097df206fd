package dev.mmsim.scenarios.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a run of the kernel agent may change on the host, read in one go so that tests can compare
 * before and after: the swap areas, nr_hugepages, the agent's temp dirs and its state files.
 */
record HostState(List<String> swaps, long nrHugepages, List<String> tempDirs, List<String> stateFiles) {
    static HostState now() throws IOException {
        List<String> swaps = Files.readAllLines(Path.of("/proc/swaps")).stream().skip(1).map(l -> l.split("\\s+")[0]).toList();
        long pool;
        try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/sys/vm/nr_hugepages"))) {
            pool = Long.parseLong(r.readLine().trim());   // one read(2): a sysctl file has no size
        }
        String tmp = System.getenv("TMPDIR") == null || System.getenv("TMPDIR").isEmpty() ? "/tmp" : System.getenv("TMPDIR");
        return new HostState(swaps, pool, list(Path.of(tmp), "mmsim-agent."), list(HostLock.stateDir(), "agent-"));
    }

    private static List<String> list(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        }
    }
}
