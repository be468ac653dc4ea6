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
        int n = mean.length;
        float[] x = new float[data.features.length];
        for (int i = 0; i < x.length; i++) {
            int f = i % n;
            x[i] = (float) ((data.features[i] - mean[f]) * (std[f] == 0 ? 1 : 1 / std[f]));
        }
        return new Dataset(data.name(), x, data.labels, n, data.featureNames(), data.classNames());
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
