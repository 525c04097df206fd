package dev.mmsim.scenarios.fuzz;

import dev.mmsim.scenarios.lang.Addr;
import dev.mmsim.scenarios.lang.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The argument mutation of a coverage-guided campaign: one size or address of one statement set
 * to a boundary value ({@link Ranges#boundarySize}, {@link Ranges#boundaryOffset}). The statement
 * keyword, names and options stay; a result that no longer parses is thrown away by the caller.
 */
final class Tweak {
    private static final Pattern SIZE = Pattern.compile("0x[0-9a-fA-F]+|[0-9]+[pKMG]?");
    private static final Pattern ADDRESS = Pattern.compile("(arena|[A-Z][A-Za-z0-9_]*)([+-].*)?");

    private Tweak() {}

    /** The line with one of its sizes or addresses changed, or null when it has neither. */
    static String line(GenState g, String line) {
        List<String> words = new ArrayList<>(List.of(line.trim().split("\\s+")));
        int first = words.get(0).endsWith(":") ? 2 : 1;   // past the child prefix and the keyword
        // what /proc shows past the arena is the kernel backend's own memory (Ranges.observed)
        if (Set.of("maps", "smaps", "pagemap", "pagemap_raw").contains(words.get(first - 1))) return null;
        List<Integer> candidates = new ArrayList<>();
        boolean names = words.get(first - 1).equals("mmap");
        for (int i = names ? first + 1 : first; i < words.size(); i++) {
            String w = words.get(i);
            if (SIZE.matcher(w).matches() || ADDRESS.matcher(w).matches() && base(g, w) != null) candidates.add(i);
        }
        if (candidates.isEmpty()) return null;
        int i = candidates.get(g.rng.nextInt(candidates.size()));
        String w = words.get(i);
        words.set(i, SIZE.matcher(w).matches() ? new Size(size(g, words)).render() : address(g, w));
        return String.join(" ", words);
    }

    /**
     * A boundary size; for a statement that touches what it covers (an access, mlock, populating
     * advice or flags) at most {@link Ranges#MAX_TOUCH}: a write of 1 GiB would fault in 1 GiB on both
     * backends.
     */
    private static long size(GenState g, List<String> words) {
        // and mmap: the simulator maps a huge length at a hint that the kernel refuses (ENOMEM),
        // and then walks it page by page (findings/mmap-huge-length-hint.scn)
        boolean touches = words.stream().anyMatch(TOUCHING::contains) || words.contains("mmap");
        for (int tries = 0; ; tries++) {
            long size = Ranges.boundarySize(g);
            if (!touches || Long.compareUnsigned(size, Ranges.MAX_TOUCH) <= 0 || tries == 8) {
                return touches && Long.compareUnsigned(size, Ranges.MAX_TOUCH) > 0 ? Ranges.TABLE_SPAN : size;
            }
        }
    }

    /** The words of the statements that fault in what they cover. */
    private static final Set<String> TOUCHING = Set.of("read", "write", "mlock", "populate", "locked",
            "populate_read", "populate_write", "willneed", "collapse", "pageout", "cold", "process_madvise");

    /** A boundary address relative to the same base (a mapping's region, or the arena). */
    private static String address(GenState g, String word) {
        String name = word.split("[+-]", 2)[0];
        GenState.Region r = base(g, word);
        long start = g.layout.resolve(new Addr(name, 0));
        return new Addr(name, Ranges.boundaryOffset(g, start, r == null ? Ranges.TABLE_SPAN : r.size())).render();
    }

    /** The region named by the word's base, the arena's placeholder for {@code arena}, or null. */
    private static GenState.Region base(GenState g, String word) {
        String name = word.split("[+-]", 2)[0];
        if (name.equals(Addr.ARENA)) return new GenState.Region(Addr.ARENA, 0, g.layout.arena(), Ranges.TABLE_SPAN, false, false);
        for (GenState.Region r : g.regions) if (r.base().equals(name) && r.offset() == 0) return r;
        return null;
    }
}
