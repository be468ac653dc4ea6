package io.ugmm.datasets;

import java.util.Arrays;

/**
 * Per-feature standardisation {@code (x - mean) / std}, with mean and standard deviation measured on
 * one dataset (the training part) and then applied unchanged to any other (the test part, new inputs),
 * so nothing about the test data leaks into the model.
 *
 * <p>A feature that does not vary in the fitting data (a border pixel that is always 0, say) keeps a
 * scale of 1: it is centred but not divided, so it stays finite instead of becoming 0/0. Immutable.
 */
public final class Standardizer {
    /** Variances at or below this, relative to max(1, mean²), count as zero: they are rounding noise. */
    private static final double ZERO_VARIANCE = 1e-12;

    private final double[] mean;
    private final double[] std;
    private final double[] inverseScale;

    private Standardizer(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
        this.inverseScale = new double[std.length];
        for (int f = 0; f < std.length; f++) {
            inverseScale[f] = std[f] == 0 ? 1 : 1 / std[f];
        }
    }

    /** Measures each feature's mean and (population) standard deviation on {@code train}. */
    public static Standardizer fit(Dataset train) {
        return fit(train.features, train.rows(), train.features());
    }

    /** Measures each feature's mean and standard deviation on {@code rows} row-major rows of {@code x}. */
    public static Standardizer fit(float[] x, int rows, int features) {
        if (rows < 1) {
            throw new DatasetException("cannot fit a standardizer on 0 rows");
        }
        if ((long) rows * features != x.length) {
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
        return new Standardizer(mean, std);
    }

    public int features() {
        return mean.length;
    }

    /** The fitted means, one per feature. */
    public double[] means() {
        return mean.clone();
    }

    /** The fitted standard deviations, one per feature; 0 for a feature that did not vary. */
    public double[] standardDeviations() {
        return std.clone();
    }

    /** How many features did not vary in the fitting data (and so are only centred). */
    public int constantFeatures() {
        return (int) Arrays.stream(std).filter(s -> s == 0).count();
    }

    /** {@code data} standardised with the fitted statistics (never refitted on {@code data}). */
    public Dataset apply(Dataset data) {
        if (data.features() != mean.length) {
            throw new DatasetException(data.name() + " has " + data.features()
                    + " features; this standardizer was fitted on " + mean.length);
        }
        return new Dataset(data.name(), apply(data.features), data.labels, data.features(),
                data.featureNames(), data.classNames());
    }

    /** Row-major rows of {@code features()} values each, standardised into a new array. */
    public float[] apply(float[] x) {
        float[] out = x.clone();
        applyInPlace(out);
        return out;
    }

    /** Standardises row-major rows of {@code features()} values each, overwriting them. */
    public void applyInPlace(float[] x) {
        int features = mean.length;
        if (x.length % features != 0) {
            throw new IllegalArgumentException(x.length + " values are not whole rows of " + features + " features");
        }
        for (int i = 0; i < x.length; i++) {
            int f = i % features;
            x[i] = (float) ((x[i] - mean[f]) * inverseScale[f]);
        }
    }
}
