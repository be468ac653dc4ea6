package io.ugmm.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-feature standardisation {@code (x - mean) / std}: the statistics are measured once (on the training
 * part) and then applied unchanged to every other row, so nothing about test data or new inputs leaks into
 * the model. This is the one implementation: training ({@code ugmm-datasets}' {@code Standardizer}), model
 * files ({@link UgmmModel}) and the command line all use it.
 *
 * <p>A feature that did not vary in the fitting data ({@code std == 0}, e.g. a border pixel that is always 0)
 * is only centred, not divided, so it stays finite. The arithmetic is {@code (float) ((x - mean) * (1 / std))}
 * in double, rounded once to float. Immutable and thread-safe.
 */
public final class FeatureStandardization {
    /** Variances at or below this, relative to max(1, mean²), count as zero: they are rounding noise. */
    private static final double ZERO_VARIANCE = 1e-12;

    private final double[] mean;
    private final double[] std;
    private final double[] inverseScale;

    private FeatureStandardization(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
        this.inverseScale = new double[std.length];
        for (int f = 0; f < std.length; f++) {
            inverseScale[f] = std[f] == 0 ? 1 : 1 / std[f];
        }
    }

    /**
     * Given statistics, one mean and one standard deviation per feature.
     *
     * @throws IllegalArgumentException when the lengths differ, a value is not finite or a std is negative
     */
    public static FeatureStandardization of(double[] mean, double[] std) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.length != std.length) {
            throw new IllegalArgumentException("standardisation has " + mean.length + " means but " + std.length
                    + " standard deviations; expected one of each per feature");
        }
        if (mean.length == 0) {
            throw new IllegalArgumentException("standardisation needs at least one feature");
        }
        for (int f = 0; f < mean.length; f++) {
            if (!Double.isFinite(mean[f]) || !Double.isFinite(std[f]) || std[f] < 0) {
                throw new IllegalArgumentException("standardisation of feature " + f + " has mean " + mean[f]
                        + " and std " + std[f] + "; expected a finite mean and a finite std >= 0");
            }
        }
        return new FeatureStandardization(mean.clone(), std.clone());
    }

    /**
     * Measures each feature's mean and (population) standard deviation on {@code rows} row-major rows of
     * {@code features} values in {@code x}.
     *
     * @throws IllegalArgumentException when there are no rows or the array does not hold exactly those rows
     */
    public static FeatureStandardization fit(float[] x, int rows, int features) {
        Objects.requireNonNull(x, "x");
        if (rows < 1) {
            throw new IllegalArgumentException("cannot measure the mean and std of features on 0 rows; the training"
                    + " part is empty");
        }
        if (features < 1 || (long) rows * features != x.length) {
            throw new IllegalArgumentException(rows + " rows of " + features + " features need "
                    + (long) rows * features + " values, found " + x.length);
        }
        // Two passes in double: one-pass sums of squares lose all precision on large, offset features.
        double[] mean = new double[features];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                mean[f] += x[r * features + f];
            }
        }
        for (int f = 0; f < features; f++) {
            mean[f] /= rows;
        }
        double[] variance = new double[features];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                double d = x[r * features + f] - mean[f];
                variance[f] += d * d;
            }
        }
        double[] std = new double[features];
        for (int f = 0; f < features; f++) {
            double v = variance[f] / rows;
            std[f] = v <= ZERO_VARIANCE * Math.max(1, mean[f] * mean[f]) ? 0 : Math.sqrt(v);
        }
        return new FeatureStandardization(mean, std);
    }

    public int features() {
        return mean.length;
    }

    /** The means, one per feature (a copy). */
    public double[] means() {
        return mean.clone();
    }

    /** The standard deviations, one per feature; 0 for a feature that did not vary (a copy). */
    public double[] standardDeviations() {
        return std.clone();
    }

    /** How many features did not vary in the fitting data (and so are only centred). */
    public int constantFeatures() {
        return (int) Arrays.stream(std).filter(s -> s == 0).count();
    }

    /** Feature {@code f}'s value {@code v} standardised; infinite when the result is beyond the float range. */
    public float apply(int f, float v) {
        return (float) ((v - mean[f]) * inverseScale[f]);
    }

    /**
     * Standardises, in place, the first {@link #features()} values of each of {@code rows} rows that start
     * every {@code stride} values from {@code offset} (a wider row's further columns, such as an appended
     * label, are left as they are).
     */
    public void applyInPlace(float[] x, int offset, int rows, int stride) {
        int n = mean.length;
        if (stride < n) {
            throw new IllegalArgumentException("rows of stride " + stride + " cannot hold " + n + " features");
        }
        for (int r = 0; r < rows; r++) {
            int base = offset + r * stride;
            for (int f = 0; f < n; f++) {
                x[base + f] = (float) ((x[base + f] - mean[f]) * inverseScale[f]);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureStandardization s && Arrays.equals(s.mean, mean) && Arrays.equals(s.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "standardisation of " + mean.length + " features";
    }
}
