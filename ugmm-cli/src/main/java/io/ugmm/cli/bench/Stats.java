package io.ugmm.cli.bench;

import java.util.Arrays;

/** Order statistics of small samples; inputs are not modified. */
final class Stats {
    private Stats() {
    }

    static double median(double[] values) {
        return quantile(values, 0.5);
    }

    /** Linear interpolation between the closest ranks; {@code q} in [0, 1]. */
    static double quantile(double[] values, double q) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** The {@code q} quantile of the first {@code count} values (nearest rank); sorts them in place. */
    static long quantileInPlace(long[] values, int count, double q) {
        if (count == 0) {
            throw new IllegalArgumentException("no values");
        }
        Arrays.sort(values, 0, count);
        int rank = (int) Math.ceil(q * count) - 1;
        return values[Math.max(0, Math.min(count - 1, rank))];
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
