package io.ugmm.cli;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.Standardizer;

import java.util.Locale;

/**
 * Per-feature {@code (x - mean) / std} with statistics fitted on a training part (by the datasets module's
 * {@link Standardizer}); kept here as plain numbers so a model file can carry them and {@code ugmm eval}
 * can apply exactly the same transformation. A feature that did not vary ({@code std == 0}) is only centred.
 */
record FeatureScaling(double[] mean, double[] std) {

    static FeatureScaling fit(Dataset train) {
        Standardizer s = Standardizer.fit(train);
        return new FeatureScaling(s.means(), s.standardDeviations());
    }

    Dataset apply(Dataset data) {
        if (data.features() != mean.length) {
            throw new IllegalArgumentException(data.name() + " has " + data.features()
                    + " features; the scaling was fitted on " + mean.length);
        }
        float[] x = data.features.clone();
        applyInPlace(x, data.rows(), mean.length);
        return new Dataset(data.name(), x, data.labels, mean.length, data.featureNames(), data.classNames());
    }

    /**
     * Standardises the first {@code mean.length} values of each of {@code rows} rows that start every
     * {@code stride} values in {@code x} (a wider row's further columns, e.g. an appended label, are left).
     */
    void applyInPlace(float[] x, int rows, int stride) {
        int n = mean.length;
        for (int r = 0; r < rows; r++) {
            int base = r * stride;
            for (int f = 0; f < n; f++) {
                x[base + f] = (float) ((x[base + f] - mean[f]) * (std[f] == 0 ? 1 : 1 / std[f]));
            }
        }
    }

    /** Comma-separated, for model-file metadata; {@link Double#toString} reads back exactly. */
    static String join(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(values[i]);
        }
        return sb.toString();
    }

    static double[] parse(String text, String what) {
        String[] parts = text.split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(what + ": value " + (i + 1) + " is '" + parts[i]
                        + "', not a number");
            }
        }
        return v;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "standardised %d features", mean.length);
    }
}
