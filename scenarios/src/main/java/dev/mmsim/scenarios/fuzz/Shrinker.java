package dev.mmsim.scenarios.fuzz;

import dev.mmsim.scenarios.lang.ScenarioSyntaxException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Shrinks a failing {@link FuzzCase} to a small one that still fails. Passes run until none makes
 * progress (or the budget of tries is spent): drop chunks of statements, halving the chunk size
 * down to single statements (as delta debugging does); drop a mapping with every statement that
 * uses it; merge a mapping into an earlier one (its statements then aim at the earlier one); and
 * simplify single words, dropping optional words and options and making sizes and offsets smaller
 * ({@link Smaller}). A candidate counts only if it parses and the predicate holds for it.
 */
public final class Shrinker {
    /** The most candidates one shrink tries. */
    static final int DEFAULT_BUDGET = 3000;

    private final Predicate<FuzzCase> stillFails;
    private final int budget;
    private final Set<List<String>> tried = new HashSet<>();
    private int tries;

    /** A shrinker keeping what stillFails accepts. */
    public Shrinker(Predicate<FuzzCase> stillFails) {
        this(stillFails, DEFAULT_BUDGET);
    }

    Shrinker(Predicate<FuzzCase> stillFails, int budget) {
        this.stillFails = stillFails;
        this.budget = budget;
    }

    /** The smallest failing case found from failing. */
    public FuzzCase shrink(FuzzCase failing) {
        FuzzCase current = failing;
        boolean progress = true;
        while (progress && tries < budget) {
            FuzzCase before = current;
            current = dropChunks(current);
            current = dropMappings(current);
            current = mergeMappings(current);
            current = simplifyWords(current);
            progress = !current.equals(before);
        }
        return current;
    }

    /** How many candidates were tried. */
    public int tries() {
        return tries;
    }

    private FuzzCase dropChunks(FuzzCase c) {
        for (int chunk = Math.max(1, c.lines().size() / 2); chunk >= 1; chunk /= 2) {
            for (int i = 0; i < c.lines().size(); ) {
                List<String> lines = new ArrayList<>(c.lines());
                lines.subList(i, Math.min(lines.size(), i + chunk)).clear();
                FuzzCase candidate = c.withLines(lines);
                if (accepts(candidate)) c = candidate;
                else i += chunk;
            }
        }
        return c;
    }

    private FuzzCase dropMappings(FuzzCase c) {
        for (String name : Names.mappings(c.lines())) {
            FuzzCase candidate = c.withLines(Names.without(c.lines(), name));
            if (accepts(candidate)) c = candidate;
        }
        return c;
    }

    private FuzzCase mergeMappings(FuzzCase c) {
        List<String> names = Names.mappings(c.lines());
        for (int later = names.size() - 1; later > 0; later--) {
            for (int earlier = 0; earlier < later; earlier++) {
                FuzzCase candidate = c.withLines(Names.merge(c.lines(), names.get(later), names.get(earlier)));
                if (accepts(candidate)) {
                    c = candidate;
                    break;
                }
            }
        }
        return c;
    }

    private FuzzCase simplifyWords(FuzzCase c) {
        for (int i = 0; i < c.lines().size(); i++) {
            for (String simpler : Smaller.lines(c.lines().get(i))) {
                List<String> lines = new ArrayList<>(c.lines());
                lines.set(i, simpler);
                FuzzCase candidate = c.withLines(lines);
                if (accepts(candidate)) {
                    c = candidate;
                    i--;   // simplify the new line further
                    break;
                }
            }
        }
        return c;
    }

    private boolean accepts(FuzzCase candidate) {
        if (tries >= budget || !tried.add(candidate.lines())) return false;
        try {
            candidate.scenario();
        } catch (ScenarioSyntaxException invalid) {
            return false;
        }
        tries++;
        return stillFails.test(candidate);
    }
}
