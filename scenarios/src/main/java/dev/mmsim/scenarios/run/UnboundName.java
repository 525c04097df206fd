package dev.mmsim.scenarios.run;

/**
 * A statement names a mapping or child whose creating statement failed (a {@code mremap ... as
 * NAME} or {@code fork NAME} that returned an errno). The statement is not run; its result reads
 * {@code unbound NAME (its mremap failed with EINVAL)}, the same on both backends when both
 * failed, and the replay goes on.
 */
public final class UnboundName extends RuntimeException {
    private final String name;
    private final String reason;

    public UnboundName(String name, String reason) {
        super(name + ": " + reason, null, false, false);
        this.name = name;
        this.reason = reason;
    }

    /** The statement's result, structured ({@link Detail#unbound}). */
    public java.util.Map<String, Object> detail() {
        return Detail.unbound(name, reason);
    }

    /** The statement's result. */
    public String render() {
        return "unbound " + name + " (" + reason + ")";
    }
}
