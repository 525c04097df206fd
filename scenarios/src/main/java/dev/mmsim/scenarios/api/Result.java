package dev.mmsim.scenarios.api;

import dev.mmsim.core.Errno;

/**
 * What a system call returned: 0 (or a value such as mremap's new address, process_madvise's
 * bytes) or a negative errno.
 */
public record Result(long value) {
    /** Whether the call succeeded. */
    public boolean ok() {
        return value >= 0 || value < -4095;
    }

    /** The errno's name ({@code EINVAL}), or null when the call succeeded. */
    public String errno() {
        return ok() ? null : Errno.nameOf(value);
    }

    /** {@code ok}, or the errno's name, as a transcript prints it. */
    @Override
    public String toString() {
        return ok() ? "ok" : errno();
    }
}
