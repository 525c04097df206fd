package dev.mmsim.scenarios.lang;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The names a scenario defines, in three namespaces: mappings ({@code mmap NAME},
 * {@code mremap ... as NAME}), files ({@code file NAME}) and children ({@code fork NAME}).
 *
 * <p>A name is defined once and stays defined to the end of the file (munmap does not undefine it:
 * addresses relative to it still mean something). A declaration takes effect when its line is
 * {@linkplain #commit() committed}, whether or not the rest of the line parsed, so that
 * {@code mmap A 4p rw private at A} is an error and a bad {@code mmap A} line does not make every
 * later use of {@code A} an error too. (No statement declares more than one name, so a name
 * cannot clash with one declared on its own line.)
 */
final class Scope {
    /** A namespace, with the spelling its names must have. */
    enum Kind {
        MAPPING("[A-Za-z][A-Za-z0-9_]*", "letters, digits and _, starting with a letter"),
        FILE("[a-z][a-z0-9_-]*", "lower-case letters, digits, _ and -, starting with a letter"),
        CHILD("[a-z][a-z0-9_-]*", "lower-case letters, digits, _ and -, starting with a letter");

        private final Pattern syntax;
        private final String rule;

        Kind(String syntax, String rule) {
            this.syntax = Pattern.compile(syntax);
            this.rule = rule;
        }

        String noun() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private record Declaration(Kind kind, String name, int line) {}

    private final Map<Kind, Map<String, Integer>> defined = new EnumMap<>(Kind.class);
    private final List<Declaration> pending = new ArrayList<>();

    Scope() {
        for (Kind kind : Kind.values()) {
            defined.put(kind, new HashMap<>());
        }
    }

    /** Declares the name spelt by {@code token}, effective at the next {@link #commit()}; returns it. */
    String declare(Kind kind, Token token) {
        String name = token.text();
        if (!kind.syntax.matcher(name).matches()) {
            throw new LineError(token,
                    "bad " + kind.noun() + " name " + Words.quote(name) + " (" + kind.rule + ")");
        }
        if (kind == Kind.MAPPING && name.equals(Addr.ARENA)) {
            throw new LineError(token, "'" + Addr.ARENA + "' is reserved for the start of the arena");
        }
        Integer line = defined.get(kind).get(name);
        if (line != null) {
            throw new LineError(token,
                    kind.noun() + " " + Words.quote(name) + " already defined at line " + line);
        }
        pending.add(new Declaration(kind, name, token.pos().line()));
        return name;
    }

    /** Checks that {@code name}, read from {@code token}, is defined; returns it. */
    String use(Kind kind, Token token, String name) {
        if (!defined.get(kind).containsKey(name)) {
            throw new LineError(token, "undefined " + kind.noun() + " " + Words.quote(name));
        }
        return name;
    }

    /** Makes the declarations of the line just parsed visible to the lines after it. */
    void commit() {
        pending.forEach(d -> defined.get(d.kind).put(d.name, d.line));
        pending.clear();
    }
}
