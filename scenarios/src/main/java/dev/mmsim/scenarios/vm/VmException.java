package dev.mmsim.scenarios.vm;

/**
 * A kernel under test cannot be fetched, built for or booted: a missing tool (with the Debian
 * package that brings it), an unknown release, a kernel that did not come up. One line, for the
 * user; never a silent skip.
 */
public final class VmException extends Exception {
    private static final long serialVersionUID = 1L;

    public VmException(String message) {
        super(message);
    }
}
