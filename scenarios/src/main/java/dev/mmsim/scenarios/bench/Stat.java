package dev.mmsim.scenarios.bench;

import java.util.Arrays;

/**
 * The summary of one measurement in the unit its row is shown in: median, smallest and largest
 * repetition, and how many repetitions there were.
 */
public record Stat(double median, double min, double max, int n) {

    /** Summarises raw samples, each divided by divisor (for example nanoseconds to milliseconds). */
    static Stat of(long[] samples, double divisor) {
        if (samples.length == 0) throw new IllegalArgumentException("no samples");
        long[] s = samples.clone();
        Arrays.sort(s);
        int n = s.length;
        double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
        return new Stat(median / divisor, s[0] / divisor, s[n - 1] / divisor, n);
    }

    /** A single value, measured once. */
    static Stat single(double value) {
        return new Stat(value, value, value, 1);
    }

    /** (max - min) / median: 0.05 means the repetitions lay within 5% of the median. */
    public double spread() {
        return median == 0 ? 0 : (max - min) / median;
    }
}
