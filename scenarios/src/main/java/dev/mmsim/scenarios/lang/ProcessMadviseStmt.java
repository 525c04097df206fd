package dev.mmsim.scenarios.lang;

import dev.mmsim.core.Madvise;
import java.util.List;

/**
 * {@code process_madvise ADVICE ADDR SIZE [ADDR SIZE]...}: process_madvise(2) of the process on
 * itself, through a pidfd of its own, with one iovec per range, in the order written.
 *
 * @param advice the advice, spelt as for {@code madvise}
 * @param ranges the iovecs, at least one
 */
public record ProcessMadviseStmt(Madvise advice, List<Range> ranges) implements Stmt {
    /** One iovec: its base and its length. */
    public record Range(Addr addr, Size size) {}

    public ProcessMadviseStmt {
        ranges = List.copyOf(ranges);
    }

    @Override
    public String render() {
        StringBuilder s = new StringBuilder("process_madvise ").append(advice.scenarioName());
        for (Range r : ranges) {
            s.append(' ').append(r.addr().render()).append(' ').append(r.size().render());
        }
        return s.toString();
    }

    @Override
    public String keyword() {
        return "process_madvise";
    }
}
