package dev.mmsim.scenarios.run;

import java.util.List;

/**
 * The comparison of a simulator and a kernel transcript of one scenario: the first statement line
 * whose rendered result differs (header and trace lines are never compared).
 *
 * @param sim     the simulator's transcript
 * @param kernel  the kernel's transcript
 * @param verdict AGREE, DIFFER, SKIPPED (the kernel did not run it), UNSUPPORTED (the simulator
 *                does not model it), TIMEOUT (a backend hit the time limit) or ERROR
 * @param index   the index of the first differing line, or -1
 */
public record Comparison(Transcript sim, Transcript kernel, Verdict verdict, int index) {
    public enum Verdict { AGREE, DIFFER, SKIPPED, UNSUPPORTED, TIMEOUT, ERROR }

    public static Comparison of(Transcript sim, Transcript kernel) {
        if (sim.outcome().kind() == Outcome.Kind.ERROR || kernel.outcome().kind() == Outcome.Kind.ERROR)
            return new Comparison(sim, kernel, Verdict.ERROR, -1);
        if (sim.outcome().kind() == Outcome.Kind.TIMEOUT || kernel.outcome().kind() == Outcome.Kind.TIMEOUT)
            return new Comparison(sim, kernel, Verdict.TIMEOUT, -1);
        if (sim.outcome().kind() == Outcome.Kind.UNSUPPORTED) return new Comparison(sim, kernel, Verdict.UNSUPPORTED, -1);
        if (kernel.outcome().kind() == Outcome.Kind.SKIPPED) return new Comparison(sim, kernel, Verdict.SKIPPED, -1);
        List<Transcript.Line> a = sim.lines();
        List<Transcript.Line> b = kernel.lines();
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            if (!a.get(i).render().equals(b.get(i).render())) return new Comparison(sim, kernel, Verdict.DIFFER, i);
        }
        if (a.size() != b.size()) return new Comparison(sim, kernel, Verdict.DIFFER, n);
        return new Comparison(sim, kernel, Verdict.AGREE, -1);
    }

    /** For DIFFER: the statement and both results at the first differing line. */
    public String explain() {
        switch (verdict) {
            case DIFFER -> {
                Transcript.Line s = index < sim.lines().size() ? sim.lines().get(index) : null;
                Transcript.Line k = index < kernel.lines().size() ? kernel.lines().get(index) : null;
                Transcript.Line any = s != null ? s : k;
                String where = (sim.file() == null ? sim.scenario() : sim.file().toString()) + ":" + any.line();
                return where + ": " + any.statement() + "\n  sim:    " + (s == null ? "(no line)" : s.result())
                        + "\n  kernel: " + (k == null ? "(no line)" : k.result());
            }
            case ERROR -> {
                return "error: " + (sim.outcome().kind() == Outcome.Kind.ERROR ? "sim " + sim.outcome().reason()
                        : "kernel " + kernel.outcome().reason());
            }
            case TIMEOUT -> {
                return sim.outcome().kind() == Outcome.Kind.TIMEOUT ? "sim " + sim.outcome().render()
                        : "kernel " + kernel.outcome().render();
            }
            case SKIPPED -> {
                return kernel.outcome().render();
            }
            case UNSUPPORTED -> {
                return sim.outcome().render();
            }
            default -> {
                return "agree";
            }
        }
    }

    /** The line of the first difference in the scenario file (DIFFER), else -1. */
    public int line() {
        if (verdict != Verdict.DIFFER) return -1;
        return index < sim.lines().size() ? sim.lines().get(index).line() : kernel.lines().get(index).line();
    }

    /**
     * The structured form for {@code --json} ({@code $defs/comparison} of the schema): the
     * verdict in lower case, the reason where it is not agree or differ, both outcomes and, for
     * differ, the first differing statement with both results (text and detail).
     */
    public java.util.Map<String, Object> toJsonValue(String label) {
        java.util.Map<String, Object> m = Json.object();
        m.put("scenario", sim.scenario());
        m.put("label", label);
        m.put("file", sim.file() == null ? null : sim.file().toString());
        m.put("verdict", Json.name(verdict));
        m.put("reason", switch (verdict) {
            case AGREE, DIFFER -> null;
            default -> explain();
        });
        m.put("sim_outcome", outcome(sim));
        m.put("kernel_outcome", outcome(kernel));
        java.util.Map<String, Object> first = null;
        if (verdict == Verdict.DIFFER) {
            Transcript.Line s = index < sim.lines().size() ? sim.lines().get(index) : null;
            Transcript.Line k = index < kernel.lines().size() ? kernel.lines().get(index) : null;
            Transcript.Line any = s != null ? s : k;
            first = Json.object();
            first.put("line", any.line());
            first.put("statement", any.statement());
            first.put("sim", s == null ? null : s.result());
            first.put("kernel", k == null ? null : k.result());
            first.put("sim_detail", s == null ? null : s.detail());
            first.put("kernel_detail", k == null ? null : k.detail());
        }
        m.put("first_difference", first);
        return m;
    }

    private static java.util.Map<String, Object> outcome(Transcript t) {
        java.util.Map<String, Object> m = Json.object();
        m.put("kind", Json.name(t.outcome().kind()));
        m.put("reason", t.outcome().reason());
        return m;
    }
}
