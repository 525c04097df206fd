package dev.mmsim.scenarios.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Host-wide turns on this host's kernel. Swap and the hugetlb pool belong to the whole host: a
 * scenario paging out while another run's swap file is on sees its pages swapped (a false
 * DIFFER), and one mapping hugetlb memory sees another run's pool. So a scenario that turns swap
 * on or grows the pool holds the host {@linkplain #hold(boolean) exclusively}, every other kernel
 * scenario (and the probe) holds it shared: concurrent runs in different clones then give the
 * transcripts each would give alone.
 *
 * <p>The lock is a record lock on {@code STATE_DIR/host.lock}, the directory where the agent's
 * supervisors keep their state files ({@link #stateDir()}); the kernel drops it when the JVM dies.
 * Within one JVM holds are counted, not exclusive of each other: a fuzz campaign's swap device and
 * its workers' scenarios belong to the same run.
 */
public final class HostLock {
    private HostLock() {}

    /** One hold; closing it gives it back. */
    public static final class Hold implements AutoCloseable {
        private boolean closed;

        private Hold() {}

        @Override
        public void close() {
            synchronized (HostLock.class) {
                if (closed) return;
                closed = true;
                release();
            }
        }
    }

    private static FileChannel channel;
    private static FileLock lock;
    private static int holders;

    /**
     * The agent's state dir: {@code $MMSIM_STATE_DIR}, else {@code /run/mmsim} where {@code /run}
     * is writable (root), else {@code $TMPDIR/mmsim-state-USER}; created with mode 0700.
     */
    public static Path stateDir() {
        String env = System.getenv("MMSIM_STATE_DIR");
        Path dir;
        if (env != null && !env.isEmpty()) dir = Path.of(env);
        else if (Files.isWritable(Path.of("/run"))) dir = Path.of("/run/mmsim");
        else dir = Path.of(System.getProperty("java.io.tmpdir"), "mmsim-state-" + System.getProperty("user.name"));
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS))
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state dir " + dir, e);
        }
        return dir;
    }

    /**
     * Takes a turn: exclusive for a scenario that needs swap or the hugetlb pool, shared otherwise.
     * Waits (saying so on stderr, once) while another run holds it the other way.
     */
    public static synchronized Hold hold(boolean exclusive) {
        try {
            if (holders == 0) {
                lock = acquire(exclusive, openChannel());
            } else if (exclusive && lock.isShared()) {
                // upgrade: give the shared turn back, wait for an exclusive one
                lock.release();
                lock = acquire(true, lockFile());
            }
            holders++;
            return new Hold();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the host for the kernel backend", e);
        }
    }

    /** A turn if one can be had at once, else null (for tests: whether another run holds it). */
    static synchronized Hold tryHold(boolean exclusive) {
        if (holders > 0) return hold(exclusive);
        try {
            openChannel();
            lock = channel.tryLock(0, Long.MAX_VALUE, !exclusive);
            if (lock == null) {
                channel.close();
                channel = null;
                return null;
            }
            holders = 1;
            return new Hold();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the host for the kernel backend", e);
        }
    }

    private static Path lockFile() {
        return stateDir().resolve("host.lock");
    }

    /** Opens the lock file as {@link #channel}; returns its path. */
    private static Path openChannel() throws IOException {
        Path file = lockFile();
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return file;
    }

    private static FileLock acquire(boolean exclusive, Path file) throws IOException {
        FileLock l = channel.tryLock(0, Long.MAX_VALUE, !exclusive);
        if (l != null) return l;
        if (!saidWaiting) System.err.println("mmsim: waiting for another mmsim run on this host's kernel ("
                + (exclusive ? "this scenario needs swap or the hugetlb pool to itself" : "it uses swap or the hugetlb pool")
                + "; lock " + file + "); further waits of this run go unannounced");
        saidWaiting = true;
        return channel.lock(0, Long.MAX_VALUE, !exclusive);
    }

    /** Whether this run has said that it waits (once is enough: it may wait before many scenarios). */
    private static boolean saidWaiting;

    private static void release() {
        if (--holders > 0) return;
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel drops the lock anyway
        } finally {
            lock = null;
            channel = null;
        }
    }
}
