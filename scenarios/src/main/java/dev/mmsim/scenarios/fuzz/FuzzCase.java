package dev.mmsim.scenarios.fuzz;

import dev.mmsim.scenarios.lang.Scenario;
import dev.mmsim.scenarios.lang.ScenarioParser;
import dev.mmsim.scenarios.lang.ScenarioSyntaxException;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One fuzzed scenario: the seed it was generated from and its statements, one canonical line each
 * ({@code mmap A 4p rw private anon}, {@code c1: read A}). The header is derived, not stored:
 * {@code scenario fuzz/seed-SEED}, then a {@code requires} line naming the host features the
 * statements need, so that the kernel backend skips the case on a host without them. The shrinker
 * edits the lines; the header follows.
 *
 * @param seed the generator seed
 * @param lines the statements in canonical form
 * @param swap generated for a campaign with a swap device ({@code mmsim fuzz --swap}): a case
 *             that pages out then requires {@code swap}, so that both backends page out to swap
 * @param origin null for a case generated from its seed; for a mutation of a coverage-guided
 *             campaign's corpus, how it was made ({@code seed 12 + 5 moves})
 */
public record FuzzCase(long seed, List<String> lines, boolean swap, String origin) {
    /** Copies the lines. */
    public FuzzCase {
        lines = List.copyOf(lines);
    }

    /** A case generated from its seed alone. */
    public FuzzCase(long seed, List<String> lines, boolean swap) {
        this(seed, lines, swap, null);
    }

    /** A case of a campaign without swap. */
    public FuzzCase(long seed, List<String> lines) {
        this(seed, lines, false);
    }

    /** The same seed (and origin) with other statements. */
    public FuzzCase withLines(List<String> newLines) {
        return new FuzzCase(seed, newLines, swap, origin);
    }

    /**
     * Whether {@code mmsim fuzz --seed SEED --count 1} regenerates it: false for a case a
     * coverage-guided campaign made by mutating its corpus ({@link #origin()} says how), whose text
     * is then the only way to replay it.
     */
    public boolean fromSeedAlone() {
        return origin == null;
    }

    /** The same seed without the lines at these indices. */
    FuzzCase without(Set<Integer> indices) {
        return withLines(without(lines, indices));
    }

    /** The lines but those at these indices. */
    static List<String> without(List<String> lines, Set<Integer> indices) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) if (!indices.contains(i)) kept.add(lines.get(i));
        return kept;
    }

    /** {@code fuzz/seed-SEED}, the seed read as unsigned. */
    public String name() {
        return "fuzz/seed-" + Long.toUnsignedString(seed);
    }

    /** The scenario file's text: the derived header, then the lines. */
    public String text() {
        StringBuilder sb = new StringBuilder("scenario ").append(name()).append('\n');
        Set<String> features = requires();
        if (!features.isEmpty()) sb.append("requires ").append(String.join(" ", features)).append('\n');
        for (String line : lines) sb.append(line).append('\n');
        return sb.toString();
    }

    /** Parses {@link #text()}. */
    public Scenario scenario() throws ScenarioSyntaxException {
        return ScenarioParser.parse(name() + ".scn", text());
    }

    /** The features the statements need, in the order they first appear. */
    Set<String> requires() {
        Set<String> features = new LinkedHashSet<>();
        for (String line : lines) features.addAll(requires(line, swap));
        return features;
    }

    /** The features one statement needs ({@code swap}: the campaign pages out to swap). */
    static Set<String> requires(String line, boolean swap) {
        Set<String> features = new LinkedHashSet<>();
        List<String> words = statementWords(line);
        String keyword = words.get(0).equals("trace") ? words.get(1) : words.get(0);
        String last = words.get(words.size() - 1);
        if (keyword.equals("scan")) features.add("pagemap_scan");
        if (keyword.equals("madvise") && last.startsWith("guard_")) features.add("guard_regions");
        if (keyword.equals("process_madvise")) {
            if (words.get(1).startsWith("guard_")) features.add("guard_regions");
            features.add("process_madvise");
        }
        if (keyword.startsWith("uffd_")) features.add("uffd_wp_async");
        if (keyword.equals("status")) features.add("status");
        if (keyword.equals("mseal")) features.add("mseal");
        if (keyword.equals("prctl")) features.add("ksm");
        if (keyword.equals("uprobe")) features.add("uprobe");
        if (keyword.equals("mmap") && words.contains("hugetlb")) features.add("hugetlb");
        if (swap && keyword.equals("madvise") && last.equals("pageout")) features.add("swap");
        return features;
    }

    /**
     * The same case without the statements that need one of {@code missing} (features a kernel
     * under test lacks), so that it still runs there; a statement that names a mapping (a hugetlb
     * mmap) stays, and the case is skipped as before.
     */
    FuzzCase leavingOut(Set<String> missing) {
        if (missing.isEmpty()) return this;
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            boolean names = statementWords(line).get(0).equals("mmap");
            Set<String> needs = requires(line, swap);
            needs.retainAll(missing);
            if (needs.isEmpty() || names) kept.add(line);
        }
        return withLines(kept);
    }

    /** The words of a line without its {@code CHILD:} prefix. */
    static List<String> statementWords(String line) {
        List<String> words = new ArrayList<>(List.of(line.trim().split("\\s+")));
        if (words.get(0).endsWith(":")) words.remove(0);
        return words;
    }
}
