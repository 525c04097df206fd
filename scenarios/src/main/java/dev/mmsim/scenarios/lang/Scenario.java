package dev.mmsim.scenarios.lang;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed scenario file: its header, and every statement in file order.
 *
 * @param file the file it was read from, or null when parsed from a string
 * @param name the {@code scenario} name
 * @param mirrors the {@code mirrors} text, or null
 * @param requires the {@code requires} features, empty if none
 * @param profile the {@code profile} name, {@value ProfileStmt#NEWEST} if none was given
 * @param steps every statement, the header statements included
 */
public record Scenario(Path file, String name, String mirrors, List<String> requires, String profile,
        List<Step> steps) {
    /** Copies the lists. */
    public Scenario {
        requires = List.copyOf(requires);
        steps = List.copyOf(steps);
    }
}
