package dev.mmsim.scenarios.run;

import dev.mmsim.core.KernelProfile;

import java.io.IOException;

/**
 * The kernel a run checks the simulator against: this host's ({@link #host()}) or one booted in a
 * VM ({@code dev.mmsim.scenarios.vm.VmTarget}, {@code --kernel debian:6.12} or an image path).
 * It is probed once; its release and probe pick the semantics the simulator follows
 * ({@link ReleaseProfile}), and it starts a fresh agent for each scenario.
 */
public interface KernelTarget extends AutoCloseable {
    /** How the user named it: {@code host}, {@code debian:6.12}, a path. */
    String label();

    /** The probe of this kernel (cached after the first call). */
    HostProbe probe() throws AgentBuild.Unavailable;

    /** A fresh agent for one scenario, with the given time limit. */
    Agent agent(int timeoutSeconds) throws IOException, AgentBuild.Unavailable;

    /** Whether the agent runs on this host (so host-wide counters such as khugepaged's are its own). */
    boolean onThisHost();

    /** The kernel profile this kernel's release (and probe) picks. */
    default KernelProfile profile() throws AgentBuild.Unavailable {
        return ReleaseProfile.of(probe());
    }

    /** Ends whatever the target started (a VM); the host target has nothing to end. */
    @Override
    void close();

    /** This host's kernel, through an agent process per scenario. */
    static KernelTarget host() {
        return HostKernel.INSTANCE;
    }

    /** This host's kernel. */
    final class HostKernel implements KernelTarget {
        static final HostKernel INSTANCE = new HostKernel();

        private HostProbe cached;
        private String failure;

        private HostKernel() {}

        @Override
        public String label() {
            return "host";
        }

        @Override
        public synchronized HostProbe probe() throws AgentBuild.Unavailable {
            if (cached != null) return cached;
            if (failure != null) throw new AgentBuild.Unavailable(failure);
            try (HostLock.Hold turn = HostLock.hold(false); Agent agent = Agent.local(AgentBuild.agent(), 60)) {
                cached = HostProbe.parse(agent.call("probe"));
                return cached;
            } catch (AgentBuild.Unavailable e) {
                failure = e.getMessage();
                throw e;
            } catch (IOException | Agent.AgentException e) {
                failure = "agent failed to start: " + e.getMessage();
                throw new AgentBuild.Unavailable(failure);
            }
        }

        @Override
        public Agent agent(int timeoutSeconds) throws IOException, AgentBuild.Unavailable {
            return Agent.local(AgentBuild.agent(), timeoutSeconds);
        }

        @Override
        public boolean onThisHost() {
            return true;
        }

        @Override
        public void close() {
            // nothing to end: every agent ends with its scenario
        }
    }
}
