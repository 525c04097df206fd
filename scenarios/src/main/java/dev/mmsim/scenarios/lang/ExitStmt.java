package dev.mmsim.scenarios.lang;

/**
 * {@code CHILD: exit}: the child process exits. Its parent does not reap it, so it stays a zombie
 * (its address space gone) to the end of the scenario: opening its /proc/PID/pagemap
 * ({@code scan ... of CHILD}) then fails with ESRCH. No statement may run in it afterwards.
 */
public record ExitStmt() implements Stmt {
    @Override
    public String render() {
        return "exit";
    }

    @Override
    public String keyword() {
        return "exit";
    }
}
