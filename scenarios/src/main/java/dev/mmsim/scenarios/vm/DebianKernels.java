package dev.mmsim.scenarios.vm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's {@code linux-image-*-cloud-amd64} kernels as kernels under test: {@code debian:6.12}
 * resolves to the newest package of the series that {@code apt-cache} knows, {@code debian:6.12.111}
 * to that upstream point release; the package is fetched with {@code apt-get download}, unpacked
 * with {@code dpkg-deb -x}, and its image and the virtio modules the VM needs are kept in the cache
 * ({@link #cacheRoot()}), one folder per package version, so a second run fetches nothing.
 */
public final class DebianKernels {
    private DebianKernels() {}

    /** Drivers the VM needs: the virtio PCI transport, the serial port the agent talks on, the swap disk. */
    static final List<String> NEEDED_MODULES = List.of("virtio_pci", "virtio_console", "virtio_blk");

    /** A package of the series and its upstream point release. */
    record Candidate(String pkg, String version, int point, int abi) {}

    /**
     * The kernel cache: {@code $MMSIM_CACHE/kernels}, else {@code $XDG_CACHE_HOME/mmsim/kernels},
     * else {@code ~/.cache/mmsim/kernels}.
     */
    public static Path cacheRoot() {
        String mmsim = System.getenv("MMSIM_CACHE");
        if (mmsim != null && !mmsim.isEmpty()) return Path.of(mmsim, "kernels");
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty()) return Path.of(xdg, "mmsim", "kernels");
        return Path.of(System.getProperty("user.home"), ".cache", "mmsim", "kernels");
    }

    /** The cached (or freshly fetched) kernel of {@code spec}. */
    public static KernelImage fetch(KernelSpec spec, Path cacheRoot, Consumer<String> progress) throws VmException {
        String aptCache = Tools.require("apt-cache", "apt");
        Candidate c = choose(spec, candidates(spec.series(), aptCache));
        Path dir = cacheRoot.resolve(c.pkg() + "_" + c.version().replaceAll("[^A-Za-z0-9.+~-]", "_"));
        try {
            Files.createDirectories(cacheRoot);
            try (FileChannel lockFile = FileChannel.open(cacheRoot.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                if (!Files.exists(dir.resolve("complete"))) unpack(c, dir, progress);
                return load(dir, c.pkg() + " " + c.version());
            }
        } catch (IOException | UncheckedIOException e) {
            throw new VmException("kernel cache " + cacheRoot + ": " + e.getMessage());
        }
    }

    /** Every non-meta {@code linux-image-SERIES*-cloud-amd64} package apt knows, with its version. */
    static List<Candidate> candidates(String series, String aptCache) throws VmException {
        String prefix = "linux-image-" + series;
        String out = Tools.check(List.of(aptCache, "search", "--names-only", "^" + prefix.replace(".", "\\.") + "[.-].*-cloud-amd64$"),
                null, 120);
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n")) {
            String name = line.split(" ", 2)[0].trim();
            if (isImagePackage(name, series)) names.add(name);
        }
        if (names.isEmpty())
            throw new VmException("no Debian package " + prefix + ".*-cloud-amd64 is known to apt"
                    + " (run apt-get update first, or check the series: debian:6.1, debian:6.12)");
        List<String> cmd = new ArrayList<>(List.of(aptCache, "show", "--no-all-versions"));
        cmd.addAll(names);
        return parseShow(Tools.check(cmd, null, 120), series);
    }

    /** Whether a package name is a kernel image of the series, not the meta-package. */
    static boolean isImagePackage(String name, String series) {
        String prefix = "linux-image-" + series;
        if (!name.startsWith(prefix) || !name.endsWith("-cloud-amd64")) return false;
        String middle = name.substring(prefix.length(), name.length() - "-cloud-amd64".length());
        return middle.matches("[.-][0-9].*") && !name.contains("-dbg");
    }

    private static final Pattern ABI = Pattern.compile("-(\\d+)-cloud-amd64$");

    /** Parses {@code apt-cache show} stanzas into candidates (Package, Version). */
    static List<Candidate> parseShow(String text, String series) {
        List<Candidate> out = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : (text + "\n\n").split("\n", -1)) {
            if (line.isBlank()) {
                String pkg = fields.get("Package");
                String version = fields.get("Version");
                if (pkg != null && version != null) {
                    int point = upstreamPoint(version, series);
                    Matcher m = ABI.matcher(pkg);
                    if (point >= 0) out.add(new Candidate(pkg, version, point, m.find() ? Integer.parseInt(m.group(1)) : 0));
                }
                fields.clear();
            } else if (!line.startsWith(" ")) {
                int colon = line.indexOf(':');
                if (colon > 0) fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    /** 118 of {@code 6.12.118-1~deb12u1} for series 6.12; -1 when the version is not of the series. */
    static int upstreamPoint(String version, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + "\\.(\\d+)").matcher(version);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The newest candidate, or the one of the requested point release. */
    static Candidate choose(KernelSpec spec, List<Candidate> candidates) throws VmException {
        Comparator<Candidate> order = Comparator.comparingInt(Candidate::point).thenComparingInt(Candidate::abi);
        List<Candidate> fit = candidates.stream().filter(c -> spec.point() < 0 || c.point() == spec.point()).toList();
        if (fit.isEmpty()) {
            String known = String.join(", ", candidates.stream().sorted(order)
                    .map(c -> spec.series() + "." + c.point()).distinct().toList());
            throw new VmException("no Debian kernel " + spec.series() + "." + spec.point() + " (apt knows " + known + ")");
        }
        return fit.stream().max(order).orElseThrow();
    }

    private static void unpack(Candidate c, Path dir, Consumer<String> progress) throws VmException, IOException {
        String aptGet = Tools.require("apt-get", "apt");
        String dpkgDeb = Tools.require("dpkg-deb", "dpkg");
        Path work = Files.createTempDirectory(dir.getParent(), ".fetch-");
        try {
            progress.accept("fetching " + c.pkg() + " " + c.version() + " (apt-get download)");
            Tools.check(List.of(aptGet, "download", c.pkg() + "=" + c.version()), work, 900);
            Path deb;
            try (Stream<Path> s = Files.list(work)) {
                deb = s.filter(p -> p.toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IOException("apt-get download left no .deb"));
            }
            Path x = work.resolve("x");
            Tools.check(List.of(dpkgDeb, "-x", deb.toString(), x.toString()), null, 300);
            Path image = only(x.resolve("boot"), "vmlinuz-");
            Path modulesDir = only(x.resolve("lib/modules"), "");
            Path tmpDir = work.resolve("kernel");
            Files.createDirectories(tmpDir.resolve("modules"));
            Files.copy(image, tmpDir.resolve("vmlinuz"));
            Path config = x.resolve("boot").resolve("config-" + modulesDir.getFileName());
            if (Files.exists(config)) Files.copy(config, tmpDir.resolve("config"));
            List<String> order = new ArrayList<>();
            for (String m : Modules.order(modulesDir, NEEDED_MODULES)) {
                Files.copy(Path.of(m), tmpDir.resolve("modules").resolve(Path.of(m).getFileName()));
                order.add(Path.of(m).getFileName().toString());
            }
            Files.write(tmpDir.resolve("modules.list"), order);
            Files.writeString(tmpDir.resolve("release"), modulesDir.getFileName() + "\n");
            Files.writeString(tmpDir.resolve("complete"), c.pkg() + " " + c.version() + "\n");
            if (Files.exists(dir)) deleteTree(dir);
            Files.move(tmpDir, dir, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            deleteTree(work);
        }
    }

    private static Path only(Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new IOException("no " + prefix + "* in " + dir));
        }
    }

    private static KernelImage load(Path dir, String origin) throws IOException {
        List<Path> modules = new ArrayList<>();
        for (String m : Files.readAllLines(dir.resolve("modules.list"), StandardCharsets.UTF_8)) {
            if (!m.isBlank()) modules.add(dir.resolve("modules").resolve(m.strip()));
        }
        return new KernelImage(dir.resolve("vmlinuz"), modules, origin);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
