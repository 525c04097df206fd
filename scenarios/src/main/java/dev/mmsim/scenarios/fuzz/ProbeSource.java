package dev.mmsim.scenarios.fuzz;

import org.jacoco.core.data.ExecutionDataReader;
import org.jacoco.core.data.ExecutionDataStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Where a coverage-guided campaign reads which probes of the simulator ran: JaCoCo's runtime
 * agent in this JVM ({@code -javaagent:org.jacoco.agent-VERSION-runtime.jar}, which the
 * {@code mmsim} launcher attaches to {@code mmsim fuzz}, instrumenting {@code dev.mmsim.mm} and
 * {@code dev.mmsim.proc}). A probe is JaCoCo's mark that a stretch of bytecode ran; the branches
 * of a method are covered when the probes after them are.
 */
public interface ProbeSource {
    /** Forgets the probes that ran so far. */
    void reset();

    /** The probes that ran since the last {@link #reset} or take, forgetting them. */
    ExecutionDataStore take();

    /**
     * JaCoCo's agent, if this JVM runs with it; else null. The agent's API is reached by reflection
     * (its classes are on the class path only with {@code -javaagent}).
     */
    static ProbeSource agent() {
        Object agent;
        Method executionData;
        Method reset;
        try {
            Class<?> rt = Class.forName("org.jacoco.agent.rt.RT", true, ClassLoader.getSystemClassLoader());
            Class<?> api = Class.forName("org.jacoco.agent.rt.IAgent", true, ClassLoader.getSystemClassLoader());
            agent = rt.getMethod("getAgent").invoke(null);
            executionData = api.getMethod("getExecutionData", boolean.class);
            reset = api.getMethod("reset");
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            return null;
        } catch (InvocationTargetException e) {
            return null;   // RT.getAgent(): the agent's classes are there but it was not started
        }
        return new ProbeSource() {
            @Override
            public void reset() {
                call(reset);
            }

            @Override
            public ExecutionDataStore take() {
                return parse((byte[]) call(executionData, true));
            }

            private Object call(Method m, Object... args) {
                try {
                    return m.invoke(agent, args);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("JaCoCo's agent: " + e, e);
                }
            }
        };
    }

    /** Execution data in JaCoCo's exec format (what the agent dumps), as a store. */
    static ExecutionDataStore parse(byte[] exec) {
        ExecutionDataStore store = new ExecutionDataStore();
        ExecutionDataReader reader = new ExecutionDataReader(new ByteArrayInputStream(exec));
        reader.setExecutionDataVisitor(store);
        reader.setSessionInfoVisitor(info -> { });
        try {
            reader.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return store;
    }
}
