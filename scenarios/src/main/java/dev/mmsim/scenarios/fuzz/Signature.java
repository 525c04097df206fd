package dev.mmsim.scenarios.fuzz;

import dev.mmsim.scenarios.run.Comparison;
import dev.mmsim.scenarios.run.Transcript;

import java.util.List;

/**
 * The fingerprint of a mismatch, the same for every scenario that runs into the same difference:
 * the {@linkplain StatementShape shape} of the first statement whose results differ and the
 * {@linkplain ResultDelta delta} between the two results. Rendered as
 * {@code STATEMENT-SHAPE => DELTA}, for instance
 * {@code scan @ # => -[present|written] +[written]}.
 *
 * @param statement the shape of the first differing statement
 * @param delta what differs between its results
 */
public record Signature(String statement, String delta) {
    private static final String ARROW = " => ";

    /** The signature of a comparison whose verdict is DIFFER. */
    static Signature of(Comparison c) {
        Transcript.Line sim = line(c.sim(), c.index());
        Transcript.Line kernel = line(c.kernel(), c.index());
        Transcript.Line any = sim != null ? sim : kernel;
        String delta = sim == null || kernel == null
                ? "line:" + (sim == null ? "kernel-only" : "sim-only")
                : ResultDelta.of(sim.result(), kernel.result());
        return new Signature(new StatementShape(statements(c.sim())).of(any.statement()), delta);
    }

    public String render() {
        return statement + ARROW + delta;
    }

    /** Every statement of a transcript, in order. */
    static List<String> statements(Transcript t) {
        return t.lines().stream().map(Transcript.Line::statement).toList();
    }

    private static Transcript.Line line(Transcript t, int index) {
        return index < t.lines().size() ? t.lines().get(index) : null;
    }
}
