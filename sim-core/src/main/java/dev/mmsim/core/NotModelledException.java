package dev.mmsim.core;

/**
 * Thrown by the simulator when asked for behaviour it does not model yet (for example
 * MADV_PAGEOUT before swap is modelled). A scenario that hits it counts as
 * {@code unsupported (<what>)}, never as passed: the simulator does not guess.
 */
public final class NotModelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotModelledException(String what) {
        super(what);
    }

    /** What is not modelled, e.g. "madvise pageout". */
    public String what() {
        return getMessage();
    }
}
