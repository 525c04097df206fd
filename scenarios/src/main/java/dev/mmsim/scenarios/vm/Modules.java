package dev.mmsim.scenarios.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Kernel modules of an unpacked kernel package, without depmod: each module's dependencies come
 * from the {@code depends=} field of its {@code .modinfo} section, read from the file itself
 * (decompressed with {@code xz} or {@code zstd} when it is compressed).
 */
final class Modules {
    private Modules() {}

    /**
     * The module files that provide {@code wanted}, each preceded by what it depends on. A wanted
     * module with no file is built into the kernel and needs nothing loaded.
     */
    static List<String> order(Path modulesDir, List<String> wanted) throws IOException, VmException {
        Map<String, Path> index = new HashMap<>();
        try (Stream<Path> s = Files.walk(modulesDir)) {
            s.filter(p -> p.getFileName().toString().contains(".ko")).forEach(p -> index.put(name(p), p));
        }
        Set<String> out = new LinkedHashSet<>();
        for (String w : wanted) visit(w.replace('-', '_'), index, out, new LinkedHashSet<>());
        List<String> files = new ArrayList<>();
        for (String m : out) files.add(index.get(m).toString());
        return files;
    }

    private static void visit(String module, Map<String, Path> index, Set<String> out, Set<String> path)
            throws IOException, VmException {
        if (out.contains(module) || !index.containsKey(module) || !path.add(module)) return;
        for (String dep : depends(contents(index.get(module)))) visit(dep, index, out, path);
        out.add(module);
    }

    /** virtio_pci of {@code .../virtio_pci.ko.xz}; dashes and underscores are the same to the kernel. */
    static String name(Path p) {
        String f = p.getFileName().toString();
        return f.substring(0, f.indexOf(".ko")).replace('-', '_');
    }

    /** The {@code depends=} list of a module's bytes: names separated by commas, NUL-terminated. */
    static List<String> depends(byte[] module) {
        String text = new String(module, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\0depends=");
        if (at < 0) return List.of();
        int from = at + "\0depends=".length();
        String list = text.substring(from, text.indexOf('\0', from));
        List<String> deps = new ArrayList<>();
        for (String d : list.split(",")) if (!d.isBlank()) deps.add(d.strip().replace('-', '_'));
        return deps;
    }

    private static byte[] contents(Path p) throws IOException, VmException {
        String f = p.getFileName().toString();
        if (f.endsWith(".xz")) return decompress(Tools.require("xz", "xz-utils"), p);
        if (f.endsWith(".zst")) return decompress(Tools.require("zstd", "zstd"), p);
        return Files.readAllBytes(p);
    }

    private static byte[] decompress(String tool, Path p) throws IOException {
        Process proc = new ProcessBuilder(tool, "-dc", p.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = proc.getInputStream().readAllBytes();
        try {
            if (proc.waitFor() != 0) throw new IOException(tool + " -dc " + p + " failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return out;
    }
}
