package dev.mmsim.scenarios.fuzz;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The names in a fuzz case's lines, for the shrinker and for known gaps: which mappings are
 * defined, and the lines without a mapping or a child, or with a mapping renamed.
 */
final class Names {
    private Names() {}

    /** The mappings the lines create with {@code mmap}, in order. */
    static List<String> mappings(List<String> lines) {
        List<String> names = new ArrayList<>();
        for (String line : lines) {
            List<String> words = FuzzCase.statementWords(line);
            if (words.get(0).equals("mmap")) names.add(words.get(1));
        }
        return names;
    }

    /**
     * The lines without the mapping: every line that names it goes, and so, in turn, does every
     * line naming a mapping that was placed relative to it.
     */
    static List<String> without(List<String> lines, String mapping) {
        return FuzzCase.without(lines, usingMapping(lines, mapping));
    }

    /** The indices of the lines that name the mapping, or a mapping placed relative to it. */
    static Set<Integer> usingMapping(List<String> lines, String mapping) {
        Set<String> gone = new HashSet<>(Set.of(mapping));
        for (String line : lines) {
            List<String> words = FuzzCase.statementWords(line);
            if (words.get(0).equals("mmap") && gone.stream().anyMatch(g -> uses(line, g))) gone.add(words.get(1));
        }
        Set<Integer> indices = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (gone.stream().anyMatch(g -> uses(line, g))) indices.add(i);
        }
        return indices;
    }

    /** The indices of the fork of the child and of the lines it runs. */
    static Set<Integer> ofChild(List<String> lines, String child) {
        Set<Integer> indices = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals("fork " + child) || lines.get(i).startsWith(child + ": ")) indices.add(i);
        }
        return indices;
    }

    /** Whether the line names the mapping (creating it, or in an address). */
    private static boolean uses(String line, String mapping) {
        for (String word : line.trim().split("\\s+")) if (base(word).equals(mapping)) return true;
        return false;
    }

    /** The lines without from's mmap, every address from {@code from} written from {@code to}. */
    static List<String> merge(List<String> lines, String from, String to) {
        List<String> merged = new ArrayList<>();
        for (String line : lines) {
            List<String> words = FuzzCase.statementWords(line);
            if (words.get(0).equals("mmap") && words.get(1).equals(from)) continue;
            merged.add(rename(line, from, to));
        }
        return merged;
    }

    private static String rename(String line, String from, String to) {
        String[] words = line.trim().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            if (base(words[i]).equals(from)) words[i] = to + words[i].substring(from.length());
        }
        return String.join(" ", words);
    }

    /** The word up to its first + or - after the first character: {@code A} of {@code A+4p}. */
    private static String base(String word) {
        int end = 1;
        while (end < word.length() && word.charAt(end) != '+' && word.charAt(end) != '-') end++;
        return word.substring(0, Math.min(end, word.length()));
    }
}
