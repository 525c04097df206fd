package dev.mmsim.scenarios.bench;

import java.util.List;
import java.util.Locale;

/**
 * The result of one {@code mmsim bench} run, rendered as the text table or as one JSON object.
 *
 * @param date       when the run ended (UTC, ISO-8601)
 * @param host       the host profile the simulator followed (the probed host when the agent works)
 * @param cpus       available processors
 * @param load       the 1, 5 and 15 minute load averages when the run started, or null
 * @param java       the Java runtime version
 * @param options    the options of the run
 * @param sizes      the workload sizes at its scale
 * @param kernelNote why the kernel side did not run (or stopped), or null
 * @param rows       one per workload
 */
public record BenchReport(String date, String host, int cpus, String load, String java, Bench.Options options, Bench.Sizes sizes,
                          String kernelNote, List<Row> rows) {

    /** The table: header comments, one line per row, then the notes of each row. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# mmsim bench, ").append(date).append('\n');
        sb.append("# host: ").append(host).append(", ").append(cpus).append(" CPUs, java ").append(java).append('\n');
        if (load != null) sb.append("# load average at start: ").append(load).append('\n');
        sb.append(String.format(Locale.ROOT,
                "# scale %s, warm-up >= %d repetitions and >= %s s, %d timed repetitions; medians, spread = (max - min) / median%n",
                fmt(options.scale()), options.warmup(), fmt(options.warmupSeconds()), options.reps()));
        if (kernelNote != null) sb.append("# kernel: ").append(kernelNote).append('\n');
        int w = rows.stream().mapToInt(r -> r.workload().length()).max().orElse(8);
        String line = "%-2s  %-" + w + "s  %-5s  %9s %6s  %9s %6s  %10s  %s%n";
        sb.append(String.format(Locale.ROOT, line, "id", "workload", "unit", "sim", "spread", "kernel", "spread",
                "sim/kernel", "target"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, line, r.id(), r.workload(), r.unit(), fmt(r.sim().median()),
                    spread(r.sim()), r.kernel() == null ? "-" : fmt(r.kernel().median()), spread(r.kernel()),
                    Double.isNaN(r.ratio()) ? "-" : String.format(Locale.ROOT, "%.2f", r.ratio()), verdict(r)));
        }
        for (Row r : rows) {
            if (r.kernelNote() != null && !r.kernelNote().equals(kernelNote))
                sb.append(r.id()).append(": kernel: ").append(r.kernelNote()).append('\n');
            for (String n : r.notes()) sb.append(r.id()).append(": ").append(n).append('\n');
        }
        return sb.toString();
    }

    private static String verdict(Row r) {
        if (r.target() == null) return "-";
        String state = r.met() == null ? "not judged" : r.met() ? "met" : "MISSED";
        return state + " (" + r.target() + ")";
    }

    private static String spread(Stat s) {
        return s == null || s.n() < 2 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * s.spread());
    }

    /** Three significant digits, without an exponent. */
    static String fmt(double v) {
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }

    /** The whole report as one JSON object. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        field(sb, "schema_version", Integer.toString(dev.mmsim.scenarios.run.Json.SCHEMA_VERSION)).append(',');
        field(sb, "command", str("bench")).append(',');
        field(sb, "date", str(date)).append(',');
        field(sb, "host", str(host)).append(',');
        field(sb, "cpus", Integer.toString(cpus)).append(',');
        field(sb, "load", str(load)).append(',');
        field(sb, "java", str(java)).append(',');
        field(sb, "scale", num(options.scale())).append(',');
        field(sb, "warmup", Integer.toString(options.warmup())).append(',');
        field(sb, "warmup_seconds", num(options.warmupSeconds())).append(',');
        field(sb, "reps", Integer.toString(options.reps())).append(',');
        field(sb, "kernel_note", str(kernelNote)).append(',');
        sb.append("\"rows\":[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (i > 0) sb.append(',');
            sb.append('{');
            field(sb, "id", str(r.id())).append(',');
            field(sb, "workload", str(r.workload())).append(',');
            field(sb, "unit", str(r.unit())).append(',');
            field(sb, "sim", stat(r.sim())).append(',');
            field(sb, "kernel", stat(r.kernel())).append(',');
            field(sb, "kernel_note", str(r.kernelNote())).append(',');
            field(sb, "ratio", Double.isNaN(r.ratio()) ? "null" : num(r.ratio())).append(',');
            field(sb, "target", str(r.target())).append(',');
            field(sb, "met", r.met() == null ? "null" : r.met().toString()).append(',');
            sb.append("\"notes\":[");
            for (int j = 0; j < r.notes().size(); j++) sb.append(j > 0 ? "," : "").append(str(r.notes().get(j)));
            sb.append("]}");
        }
        return sb.append("]}").toString();
    }

    private static StringBuilder field(StringBuilder sb, String name, String json) {
        return sb.append(str(name)).append(':').append(json);
    }

    private static String stat(Stat s) {
        if (s == null) return "null";
        return "{\"median\":" + num(s.median()) + ",\"min\":" + num(s.min()) + ",\"max\":" + num(s.max())
                + ",\"n\":" + s.n() + "}";
    }

    private static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "null";
    }

    /** A JSON string literal, or null. */
    private static String str(String s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
