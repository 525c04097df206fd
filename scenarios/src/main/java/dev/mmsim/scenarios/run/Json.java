package dev.mmsim.scenarios.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON that mmsim prints with {@code --json}: every command prints one document, an object
 * that begins with {@code schema_version} ({@link #SCHEMA_VERSION}) and {@code command}, whose
 * shape the JSON Schema {@code scenarios/src/main/resources/dev/mmsim/scenarios/mmsim-output.schema.json}
 * describes. Values are built as {@link Map}s (insertion order kept), {@link List}s, strings,
 * numbers, booleans and null, and written by {@link #write}.
 */
public final class Json {
    private Json() {}

    /**
     * The version of the output format. 2: every command's document carries {@code command};
     * transcript lines carry a structured {@code detail}. A change that removes or renames a field
     * raises it; a new field does not.
     */
    public static final int SCHEMA_VERSION = 2;

    /** Where the schema is, as a class-path resource of this module. */
    public static final String SCHEMA_RESOURCE = "/dev/mmsim/scenarios/mmsim-output.schema.json";

    /** A new document of {@code command}: {@code {"schema_version": 2, "command": command}}. */
    public static Map<String, Object> document(String command) {
        Map<String, Object> m = object();
        m.put("schema_version", SCHEMA_VERSION);
        m.put("command", command);
        return m;
    }

    /** An empty object that keeps its fields in the order they are put. */
    public static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    /** An address as JSON: a hex string ({@code "0x100000000000"}), exact where a double is not. */
    public static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    /** A lower-case enum name ({@code PASSED} -> {@code passed}), so that new constants need no table. */
    public static String name(Enum<?> e) {
        return e == null ? null : e.name().toLowerCase(Locale.ROOT);
    }

    /** A value of JSON text written as it is (already serialised). */
    public record Raw(String json) {}

    /** Serialises a value: Map, List, String, Number, Boolean, Enum (its {@link #name}), Raw or null. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v) {
        switch (v) {
            case null -> sb.append("null");
            case String s -> sb.append(str(s));
            case Boolean b -> sb.append(b);
            case Double d -> sb.append(Double.isFinite(d) ? num(d) : "null");
            case Float f -> sb.append(Float.isFinite(f) ? num(f) : "null");
            case Number n -> sb.append(n);
            case Enum<?> e -> sb.append(str(name(e)));
            case Raw r -> sb.append(r.json());
            case Map<?, ?> m -> {
                sb.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (!first) sb.append(',');
                    first = false;
                    sb.append(str(String.valueOf(e.getKey()))).append(':');
                    write(sb, e.getValue());
                }
                sb.append('}');
            }
            case Iterable<?> it -> {
                sb.append('[');
                boolean first = true;
                for (Object o : it) {
                    if (!first) sb.append(',');
                    first = false;
                    write(sb, o);
                }
                sb.append(']');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    public static String str(String s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    public static String strings(List<String> items) {
        return write(items);
    }
}
