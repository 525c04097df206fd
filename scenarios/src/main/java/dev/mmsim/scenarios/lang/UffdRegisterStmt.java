package dev.mmsim.scenarios.lang;

import java.util.Set;
import java.util.StringJoiner;

/**
 * {@code uffd_register ADDR SIZE MODE... [async] [sigbus] [event_fork] [event_remap]}: UFFDIO_REGISTER on the scenario's
 * userfaultfd.
 *
 * @param addr the start
 * @param size the length
 * @param modes at least one mode
 * @param async whether the userfaultfd asks for UFFD_FEATURE_WP_ASYNC (and WP_UNPOPULATED)
 * @param sigbus whether it asks for UFFD_FEATURE_SIGBUS: a fault that would wait for a handler
 *               raises SIGBUS instead
 * @param eventFork UFFD_FEATURE_EVENT_FORK: a forked child keeps the registration (and the uffd-wp
 *                  bits), with a userfaultfd of its own that the agent's event reader holds
 * @param eventRemap UFFD_FEATURE_EVENT_REMAP: mremap keeps the registration and the uffd-wp bits
 */
public record UffdRegisterStmt(Addr addr, Size size, Set<UffdMode> modes, boolean async, boolean sigbus,
                               boolean eventFork, boolean eventRemap)
        implements Stmt {
    /** Copies the mode set. */
    public UffdRegisterStmt {
        modes = Set.copyOf(modes);
    }

    /** Without UFFD_FEATURE_SIGBUS. */
    public UffdRegisterStmt(Addr addr, Size size, Set<UffdMode> modes, boolean async) {
        this(addr, size, modes, async, false, false, false);
    }

    @Override
    public String render() {
        StringJoiner out = new StringJoiner(" ");
        out.add("uffd_register").add(addr.render()).add(size.render());
        for (UffdMode mode : UffdMode.values()) {
            if (modes.contains(mode)) {
                out.add(mode.word());
            }
        }
        if (async) {
            out.add("async");
        }
        if (sigbus) {
            out.add("sigbus");
        }
        if (eventFork) {
            out.add("event_fork");
        }
        if (eventRemap) {
            out.add("event_remap");
        }
        return out.toString();
    }

    @Override
    public String keyword() {
        return "uffd_register";
    }
}
