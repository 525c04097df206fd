package dev.mmsim.scenarios.fuzz;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Statements with what varies from one instance of a mismatch to the next left out. The shape of a
 * statement keeps its words and replaces addresses (and the names of mappings) by {@code @},
 * numbers and sizes other than zero by {@code #}, file names by {@code FILE} and the
 * {@code CHILD:} prefix and child names by {@code CHILD}: {@code c1: madvise A+2p 4p guard_install}
 * has the shape {@code CHILD: madvise @ # guard_install}, {@code write A 0} the shape
 * {@code write @ 0}.
 */
final class StatementShape {
    private static final Pattern NUMBER = Pattern.compile("0x[0-9a-fA-F]+|[0-9]+[pKMG]?");
    private static final Set<String> HEADERS = Set.of("scenario", "mirrors", "requires", "profile");

    /** The names a scenario defines, by kind, read from its statements. */
    private final Set<String> mappings = new HashSet<>(Set.of("arena"));
    private final Set<String> files = new HashSet<>();
    private final Set<String> children = new HashSet<>();

    /** Collects the names the statements define. */
    StatementShape(List<String> statements) {
        for (String statement : statements) {
            List<String> words = FuzzCase.statementWords(statement);
            switch (words.get(0)) {
                case "mmap" -> mappings.add(words.get(1));
                case "file", "memfd" -> files.add(words.get(1));
                case "fork" -> children.add(words.get(1));
                default -> { }
            }
            int as = words.indexOf("as");
            if (words.get(0).equals("mremap") && as > 0) mappings.add(words.get(as + 1));
        }
    }

    /** The shape of one statement. */
    String of(String statement) {
        StringJoiner out = new StringJoiner(" ");
        String[] words = statement.trim().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (i == 0 && w.endsWith(":")) out.add("CHILD:");
            else if (i > 0 && isAddress(w)) out.add("@");
            else if (i > 0 && NUMBER.matcher(w).matches()) out.add(w.equals("0") ? "0" : "#");
            else if (files.contains(w)) out.add("FILE");
            else if (children.contains(w)) out.add("CHILD");
            else out.add(w);
        }
        return out.toString();
    }

    private boolean isAddress(String word) {
        int sign = 1;
        while (sign < word.length() && word.charAt(sign) != '+' && word.charAt(sign) != '-') sign++;
        return mappings.contains(word.substring(0, sign));
    }

    /** Whether the statement is an operation or an observation, not a header statement. */
    static boolean isOperationOrObservation(String statement) {
        return !HEADERS.contains(FuzzCase.statementWords(statement).get(0));
    }
}
