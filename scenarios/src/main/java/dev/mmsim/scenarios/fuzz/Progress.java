package dev.mmsim.scenarios.fuzz;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Shows a campaign's progress while it runs: on a terminal, one line rewritten in place twice a
 * second; otherwise (a log, a pipe) a line every {@value #LOG_PERIOD_SECONDS} seconds.
 */
public final class Progress implements AutoCloseable {
    private static final long TERMINAL_PERIOD_MILLIS = 500;
    private static final long LOG_PERIOD_SECONDS = 10;

    private final CampaignStats stats;
    private final PrintStream out;
    private final boolean terminal;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fuzz-progress");
        t.setDaemon(true);
        return t;
    });

    private Progress(CampaignStats stats, PrintStream out, boolean terminal) {
        this.stats = stats;
        this.out = out;
        this.terminal = terminal;
    }

    /** Starts reporting stats on out. */
    public static Progress start(CampaignStats stats, PrintStream out, boolean terminal) {
        Progress p = new Progress(stats, out, terminal);
        long period = terminal ? TERMINAL_PERIOD_MILLIS : TimeUnit.SECONDS.toMillis(LOG_PERIOD_SECONDS);
        p.timer.scheduleAtFixedRate(p::report, period, period, TimeUnit.MILLISECONDS);
        return p;
    }

    /** One progress line: {@code 12000 scenarios, 810/s, 0 unexplained, 3 explained, ... 15s}. */
    public static String line(CampaignStats s) {
        return String.format("%d scenarios, %.0f/s, %d unexplained, %d explained, %d unsupported, %d skipped, %d errors, %ds",
                s.done(), s.rate(), s.unexplained(), s.explained(), s.unsupported(), s.skipped(), s.errors(),
                s.elapsed().toSeconds());
    }

    private void report() {
        if (terminal) {
            out.print("\r\033[K" + line(stats));
            out.flush();
        } else {
            out.println("# " + line(stats));
        }
    }

    /** Stops reporting; on a terminal, ends the progress line. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (terminal) out.print("\r\033[K");
    }
}
