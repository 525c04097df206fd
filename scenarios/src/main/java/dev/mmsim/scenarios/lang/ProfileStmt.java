package dev.mmsim.scenarios.lang;

/**
 * {@code profile NAME}: the kernel release whose semantics the simulator should follow.
 *
 * @param name {@code linux-6.N} for N from {@value #OLDEST_MINOR} to {@value #NEWEST_MINOR}, or
 *     {@value #NEWEST}
 */
public record ProfileStmt(String name) implements Stmt {
    /** The profile of the newest kernel the simulator models; the default. */
    public static final String NEWEST = "newest";
    /** The oldest 6.x release with a profile. */
    public static final int OLDEST_MINOR = 1;
    /** The newest 6.x release with a profile. */
    public static final int NEWEST_MINOR = 19;

    @Override
    public String render() {
        return "profile " + name;
    }

    @Override
    public String keyword() {
        return "profile";
    }
}
