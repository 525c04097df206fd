package dev.mmsim.scenarios.fuzz;

import dev.mmsim.scenarios.run.Comparison;
import dev.mmsim.scenarios.run.Transcript;

import java.util.ArrayList;
import java.util.List;

/**
 * A fuzz case whose transcripts differ, with the {@link Signature} of the difference.
 *
 * @param fuzzCase the case
 * @param comparison its comparison, verdict DIFFER
 * @param signature the signature of the difference
 */
record Mismatch(FuzzCase fuzzCase, Comparison comparison, Signature signature) {
    /**
     * One line of the case as the kernel ran it.
     *
     * @param line the line
     * @param result the kernel's result
     */
    record Executed(String line, String result) {}

    static Mismatch of(FuzzCase c, Comparison comparison) {
        return new Mismatch(c, comparison, Signature.of(comparison));
    }

    /** Every line of the case with the kernel's result, as far as the kernel ran. */
    List<Executed> executed() {
        List<Executed> out = new ArrayList<>();
        List<Transcript.Line> ran = comparison.kernel().lines().stream()
                .filter(l -> StatementShape.isOperationOrObservation(l.statement())).toList();
        for (int i = 0; i < Math.min(ran.size(), fuzzCase.lines().size()); i++) {
            out.add(new Executed(fuzzCase.lines().get(i), ran.get(i).result()));
        }
        return out;
    }

    /** The index of the first differing line among the case's lines. */
    int differingLine() {
        List<Transcript.Line> lines = comparison.sim().lines();
        return (int) lines.subList(0, Math.min(lines.size(), comparison.index())).stream()
                .filter(l -> StatementShape.isOperationOrObservation(l.statement())).count();
    }
}
