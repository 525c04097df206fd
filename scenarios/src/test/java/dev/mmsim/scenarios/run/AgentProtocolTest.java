package dev.mmsim.scenarios.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The agent's command table (agent_main.c): a command that does not match its spec (argument
 * count, numbers, which process may run it) gets "err EPROTO" without reaching its handler, and
 * the agent carries on. Runs the real agent; skipped with the reason where it cannot be built.
 */
class AgentProtocolTest {
    @Test
    void commandsOutsideTheirSpecAreEprotoAndTheAgentCarriesOn() throws Exception {
        java.nio.file.Path binary;
        try {
            binary = AgentBuild.agent();
        } catch (AgentBuild.Unavailable e) {
            assumeTrue(false, "kernel backend unavailable: " + e.getMessage());
            return;
        }
        try (Agent agent = Agent.local(binary, 30)) {
            for (String bad : List.of("", "nosuchcommand", "munmap 1", "munmap 1 2 3", "munmap x 4096", "mmap 1 2 3",
                    "touch q 0x100000000000 4096", "touch r x 4096", "scan 1 2 3", "pagemap_raw 0", "process_madvise 20",
                    "exit", "swap_on", "probe extra", "fork", "clear_refs -", "uffd_wp 1 2")) {
                assertThat(agent.call(bad)).as("'%s'", bad).containsExactly("err EPROTO");
            }
            // in a child: what only the agent process may do
            assertThat(agent.call("fork c1")).containsExactly("ok");
            assertThat(agent.call("child c1 probe extra")).containsExactly("err EPROTO");
            for (String workerOnly : List.of("file 1 4096", "memfd 1 4096", "swap_off", "reset 0 0", "quit")) {
                assertThat(agent.call("child c1 " + workerOnly)).as("child: '%s'", workerOnly).containsExactly("err EPROTO");
            }
            // and what matches its spec still works
            long a = Layout.DEFAULT_ARENA;
            assertThat(agent.call("mmap 0x" + Long.toHexString(a) + " 4096 3 " + 0x100022 + " -1 0")).containsExactly("ok");
            assertThat(agent.call("touch w 0x" + Long.toHexString(a) + " 4096")).containsExactly("ok");
            assertThat(agent.call("process_madvise 20 1 0x" + Long.toHexString(a) + " 4096")).containsExactly("ok 4096");
            assertThat(agent.call("munmap 0x" + Long.toHexString(a) + " 4096")).containsExactly("ok");
            assertThat(agent.call("child c1 exit")).containsExactly("ok");
        }
    }

    @Test
    void storeAndValuesWriteAndLoadTheFirst8BytesOfEachPage() throws Exception {
        java.nio.file.Path binary;
        try {
            binary = AgentBuild.agent();
        } catch (AgentBuild.Unavailable e) {
            assumeTrue(false, "kernel backend unavailable: " + e.getMessage());
            return;
        }
        try (Agent agent = Agent.local(binary, 30)) {
            String a = "0x" + Long.toHexString(Layout.DEFAULT_ARENA);
            String a1 = "0x" + Long.toHexString(Layout.DEFAULT_ARENA + 4096);
            String a2 = "0x" + Long.toHexString(Layout.DEFAULT_ARENA + 8192);
            String a3 = "0x" + Long.toHexString(Layout.DEFAULT_ARENA + 12288);
            for (String bad : List.of("store " + a + " 4096", "store " + a + "1 4096 7", "values " + a,
                    "values " + a + " 2097153", "values " + a + "1 1")) {
                assertThat(agent.call(bad)).as("'%s'", bad).containsExactly("err EPROTO");
            }
            // three pages, the middle one PROT_NONE: a store stops there, a load goes past it
            assertThat(agent.call("mmap " + a + " 12288 3 " + 0x100022 + " -1 0")).containsExactly("ok");
            assertThat(agent.call("mprotect " + a1 + " 4096 0")).containsExactly("ok");
            assertThat(agent.call("store " + a + " 12288 18446744073709551615")).containsExactly("sig SIGSEGV " + a1);
            assertThat(agent.call("store " + a2 + " 4096 0x2a")).containsExactly("ok");
            assertThat(agent.call("values " + a + " 4")).containsExactly("ok 4",
                    a + " " + a1 + " 18446744073709551615", a1 + " " + a2 + " SIGSEGV", a2 + " " + a3 + " 42",
                    a3 + " 0x" + Long.toHexString(Layout.DEFAULT_ARENA + 16384) + " SIGSEGV");
            // a child's reply comes through with its body
            assertThat(agent.call("fork c1")).containsExactly("ok");
            assertThat(agent.call("child c1 values " + a2 + " 1")).containsExactly("ok 1", a2 + " " + a3 + " 42");
            assertThat(agent.call("child c1 exit")).containsExactly("ok");
        }
    }
}
