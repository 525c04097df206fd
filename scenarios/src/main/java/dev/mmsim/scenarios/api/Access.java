package dev.mmsim.scenarios.api;

/**
 * What a read or write of memory did: completed, or raised {@code signal} ({@code SIGSEGV},
 * {@code SIGBUS}) at {@code address}, the first address that faulted.
 */
public record Access(String signal, long address) {
    /** Whether every page was touched without a signal. */
    public boolean ok() {
        return signal == null;
    }
}
