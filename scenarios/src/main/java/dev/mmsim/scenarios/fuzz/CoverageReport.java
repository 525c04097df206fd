package dev.mmsim.scenarios.fuzz;

import org.jacoco.core.analysis.Analyzer;
import org.jacoco.core.analysis.CoverageBuilder;
import org.jacoco.core.analysis.IClassCoverage;
import org.jacoco.core.analysis.ICounter;
import org.jacoco.core.analysis.IMethodCoverage;
import org.jacoco.core.data.ExecutionDataStore;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The branch coverage a campaign reached, from its execution data and the class files of sim-mm
 * and sim-proc (JaCoCo's analyzer, so the figures are those of a JaCoCo report): of each module,
 * and of its <em>modelled kernel functions</em>, the methods whose javadoc names a kernel function
 * ({@code move_page_tables()}, or a system call such as {@code mremap()}), read from the sources
 * when they are there (a source tree; a release has none). A modelled function's branches include
 * those of the lambdas in its body.
 *
 * @param mm the branches of sim-mm
 * @param proc the branches of sim-proc
 * @param modelled the branches of the modelled kernel functions, or null without the sources
 * @param functions the modelled kernel functions, least covered first (empty without the sources)
 */
public record CoverageReport(Counts mm, Counts proc, Counts modelled, List<Function> functions) {
    /** Below this share of its branches a modelled function is listed. */
    public static final double GOAL = 0.9;

    /**
     * Branches covered of a total.
     *
     * @param covered how many ran
     * @param total how many there are
     */
    public record Counts(int covered, int total) {
        public double percent() {
            return total == 0 ? 100 : 100.0 * covered / total;
        }

        public String render() {
            return String.format(Locale.ROOT, "%.1f %% (%d of %d branches)", percent(), covered, total);
        }

        Counts plus(int c, int t) {
            return new Counts(covered + c, total + t);
        }
    }

    /**
     * One modelled kernel function.
     *
     * @param method {@code Class.method}
     * @param kernel the kernel functions its javadoc names
     * @param source its source file, relative to the module's source root
     * @param line the line of its declaration
     * @param branches its branches (with its lambdas')
     */
    public record Function(String method, List<String> kernel, String source, int line, Counts branches) {
        public boolean belowGoal() {
            return branches.total() > 0 && branches.covered() < GOAL * branches.total();
        }
    }

    /** The modelled functions with branches below {@link #GOAL}, least covered first. */
    public List<Function> belowGoal() {
        return functions.stream().filter(Function::belowGoal).toList();
    }

    /** System calls a javadoc names without an underscore ({@code mremap()}); other such names are Java's. */
    private static final Set<String> SYSCALLS = Set.of("mmap", "munmap", "mprotect", "mremap", "madvise", "mlock",
            "munlock", "mlockall", "mseal", "fork", "swapon", "swapoff", "kstrtoint", "ioctl", "userfaultfd", "exit",
            "ftruncate", "fallocate", "brk");
    private static final Pattern KERNEL_NAME = Pattern.compile("\\b([a-z][a-z0-9]*(?:_[a-z0-9]+)*)\\(\\)");
    private static final Pattern DECLARATION = Pattern.compile(
            "\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*(?:(?:public|private|protected|static|final|synchronized|abstract|default)\\s+)*"
            + "(?:<[^>]+>\\s*)?([\\w.<>\\[\\], ?]+?)\\s+(\\w+)\\s*\\(");

    /**
     * The coverage of reached over the classes of sim-mm and sim-proc as loaded here; the modelled
     * functions from the sources under home ({@code sim-mm/src/main/java}, ...) when they exist.
     */
    public static CoverageReport of(ExecutionDataStore reached, Path home) {
        Map<String, IClassCoverage> classes = new HashMap<>();
        Counts mm = analyze(reached, location(dev.mmsim.mm.Mm.class), classes);
        Counts proc = analyze(reached, location(dev.mmsim.proc.PagemapScan.class), classes);
        List<Function> functions = new ArrayList<>();
        for (String module : List.of("sim-mm", "sim-proc")) {
            Path root = home == null ? null : home.resolve(module).resolve("src/main/java");
            if (root == null || !Files.isDirectory(root)) return new CoverageReport(mm, proc, null, List.of());
            functions.addAll(modelled(root, classes));
        }
        Counts modelled = new Counts(0, 0);
        for (Function f : functions) modelled = modelled.plus(f.branches().covered(), f.branches().total());
        functions.sort(Comparator.comparingDouble((Function f) -> f.branches().percent())
                .thenComparing(f -> -f.branches().total()).thenComparing(Function::method));
        return new CoverageReport(mm, proc, modelled, List.copyOf(functions));
    }

    private static Counts analyze(ExecutionDataStore reached, File location, Map<String, IClassCoverage> classes) {
        CoverageBuilder builder = new CoverageBuilder();
        try {
            new Analyzer(reached, builder).analyzeAll(location);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot analyze " + location, e);
        }
        int covered = 0;
        int total = 0;
        for (IClassCoverage c : builder.getClasses()) {
            classes.put(c.getName(), c);
            ICounter b = c.getBranchCounter();
            covered += b.getCoveredCount();
            total += b.getTotalCount();
        }
        return new Counts(covered, total);
    }

    /** Where a class was loaded from: a directory of classes or a jar. */
    private static File location(Class<?> c) {
        try {
            return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The modelled functions of the sources under root, with their coverage. */
    private static List<Function> modelled(Path root, Map<String, IClassCoverage> classes) {
        List<Function> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String rel = root.relativize(file).toString().replace(File.separatorChar, '/');
                String text = Files.readString(file);
                for (Declared d : declarations(text)) {
                    Counts branches = branches(classes, rel, d);
                    String simple = rel.substring(rel.lastIndexOf('/') + 1, rel.length() - ".java".length());
                    out.add(new Function(simple + "." + d.name(), d.kernel(), rel, d.line(), branches));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** A method declared after a javadoc naming kernel functions. */
    record Declared(String name, int line, List<String> kernel) {}

    /** The methods of a source file whose javadoc names a kernel function. */
    static List<Declared> declarations(String text) {
        List<Declared> out = new ArrayList<>();
        for (int at = text.indexOf("/**"); at >= 0; at = text.indexOf("/**", at + 3)) {
            int end = text.indexOf("*/", at);
            if (end < 0) break;
            String doc = text.substring(at, end);
            int stop = end + 2;
            while (stop < text.length() && text.charAt(stop) != '{' && text.charAt(stop) != ';' && text.charAt(stop) != '=')
                stop++;
            Matcher m = DECLARATION.matcher(text.substring(end + 2, stop));
            if (!m.lookingAt() || Set.of("new", "return", "class", "record", "interface", "enum").contains(m.group(1).trim()))
                continue;
            List<String> kernel = new ArrayList<>();
            Matcher k = KERNEL_NAME.matcher(doc);
            while (k.find()) {
                String name = k.group(1);
                if ((name.contains("_") || SYSCALLS.contains(name)) && !kernel.contains(name + "()")) kernel.add(name + "()");
            }
            if (kernel.isEmpty()) continue;
            int line = 1 + (int) text.substring(0, end + 2 + m.start(2)).chars().filter(c -> c == '\n').count();
            out.add(new Declared(m.group(2), line, kernel));
        }
        return out;
    }

    /**
     * The branches of the method declared at d.line() in the source file rel: the method of that name
     * in a class of the file whose code starts first at or after the line, and its lambdas.
     */
    private static Counts branches(Map<String, IClassCoverage> classes, String rel, Declared d) {
        String pkg = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : "";
        String file = rel.substring(rel.lastIndexOf('/') + 1);
        IClassCoverage owner = null;
        IMethodCoverage best = null;
        for (IClassCoverage c : classes.values()) {
            if (!file.equals(c.getSourceFileName()) || !pkg.equals(c.getPackageName())) continue;
            for (IMethodCoverage m : c.getMethods()) {
                if (!m.getName().equals(d.name()) || m.getFirstLine() < d.line()) continue;
                if (best == null || m.getFirstLine() < best.getFirstLine()) {
                    best = m;
                    owner = c;
                }
            }
        }
        if (best == null) return new Counts(0, 0);
        int covered = best.getBranchCounter().getCoveredCount();
        int total = best.getBranchCounter().getTotalCount();
        for (IMethodCoverage m : owner.getMethods()) {
            if (m.getName().startsWith("lambda$" + d.name() + "$") && m.getFirstLine() >= best.getFirstLine()
                    && m.getLastLine() <= best.getLastLine()) {
                covered += m.getBranchCounter().getCoveredCount();
                total += m.getBranchCounter().getTotalCount();
            }
        }
        return new Counts(covered, total);
    }

    /** The report as text: the totals, then every modelled function below the goal (or all). */
    public String render(boolean all) {
        StringBuilder sb = new StringBuilder();
        sb.append("sim-mm    ").append(mm.render()).append('\n');
        sb.append("sim-proc  ").append(proc.render()).append('\n');
        if (modelled == null) {
            sb.append("modelled kernel functions: no sources here (a source tree has them)\n");
            return sb.toString();
        }
        sb.append("modelled kernel functions (").append(functions.size()).append(" methods): ").append(modelled.render())
                .append("; ").append(belowGoal().size()).append(" below ").append((int) (GOAL * 100)).append(" %\n");
        for (Function f : all ? functions : belowGoal()) {
            sb.append(String.format(Locale.ROOT, "  %5.1f %% %4d/%-4d %-45s %s:%d  %s%n", f.branches().percent(),
                    f.branches().covered(), f.branches().total(), f.method(), f.source(), f.line(),
                    String.join(" ", f.kernel())));
        }
        return sb.toString();
    }
}
