package dev.mmsim.scenarios.fuzz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The running counts of a fuzzing campaign, safe to update from every worker and to read while they
 * run: how many scenarios agreed, were unsupported or skipped (and why), differed in a known way
 * (by gap) or in an unexplained one (by signature), or broke the kernel backend.
 */
public final class CampaignStats {
    /** The error messages kept for the summary. */
    private static final int MAX_ERRORS_KEPT = 10;

    private final long startNanos = System.nanoTime();
    private final LongAdder done = new LongAdder();
    private final LongAdder agree = new LongAdder();
    private final Map<String, LongAdder> unsupported = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> skipped = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> explained = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> unexplained = new ConcurrentHashMap<>();
    private final LongAdder errors = new LongAdder();
    private final List<String> errorMessages = Collections.synchronizedList(new ArrayList<>());

    void agreed() {
        agree.increment();
        done.increment();
    }

    void unsupported(String what) {
        count(unsupported, what);
    }

    void skipped(String why) {
        count(skipped, why);
    }

    void explained(String gap) {
        count(explained, gap);
    }

    void unexplained(Signature signature) {
        count(unexplained, signature.render());
    }

    void error(long seed, String message) {
        errors.increment();
        done.increment();
        if (errorMessages.size() < MAX_ERRORS_KEPT) errorMessages.add("seed " + Long.toUnsignedString(seed) + ": " + message);
    }

    private void count(Map<String, LongAdder> map, String key) {
        map.computeIfAbsent(key, k -> new LongAdder()).increment();
        done.increment();
    }

    /** Scenarios finished so far. */
    public long done() {
        return done.sum();
    }

    public long agree() {
        return agree.sum();
    }

    /** Mismatches no known gap explains. */
    public long unexplained() {
        return total(unexplained);
    }

    public long explained() {
        return total(explained);
    }

    public long errors() {
        return errors.sum();
    }

    public long unsupported() {
        return total(unsupported);
    }

    public long skipped() {
        return total(skipped);
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** Scenarios per second since the start. */
    public double rate() {
        return done() / Math.max(1e-9, elapsed().toNanos() / 1e9);
    }

    /** The counts by reason, gap or signature, sorted. */
    public Map<String, Long> unsupportedByWhat() {
        return sorted(unsupported);
    }

    public Map<String, Long> skippedByReason() {
        return sorted(skipped);
    }

    public Map<String, Long> explainedByGap() {
        return sorted(explained);
    }

    public Map<String, Long> unexplainedBySignature() {
        return sorted(unexplained);
    }

    /** The first few error messages, with their seeds. */
    public List<String> errorMessages() {
        return List.copyOf(errorMessages);
    }

    private static long total(Map<String, LongAdder> map) {
        return map.values().stream().mapToLong(LongAdder::sum).sum();
    }

    private static Map<String, Long> sorted(Map<String, LongAdder> map) {
        Map<String, Long> out = new TreeMap<>();
        map.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * The counts as JSON ({@code $defs/fuzz_stats} of the schema): scenarios done, seconds, and
     * each outcome group with its total and its parts.
     */
    public Map<String, Object> toJsonValue() {
        Map<String, Object> m = dev.mmsim.scenarios.run.Json.object();
        m.put("done", done());
        m.put("seconds", elapsed().toMillis() / 1000.0);
        m.put("agree", agree());
        m.put("unsupported", group(unsupported(), unsupportedByWhat()));
        m.put("skipped", group(skipped(), skippedByReason()));
        m.put("explained", group(explained(), explainedByGap()));
        m.put("unexplained", group(unexplained(), unexplainedBySignature()));
        m.put("errors", errors());
        m.put("error_messages", errorMessages());
        return m;
    }

    private static Map<String, Object> group(long total, Map<String, Long> parts) {
        Map<String, Object> m = dev.mmsim.scenarios.run.Json.object();
        m.put("total", total);
        m.put("by", parts);
        return m;
    }
}
