package io.ugmm.datasets;

import io.ugmm.model.FeatureStandardization;

/**
 * Per-feature standardisation {@code (x - mean) / std} of datasets, with mean and standard deviation measured
 * on one dataset (the training part) and then applied unchanged to any other (the test part, new inputs),
 * so nothing about the test data leaks into the model. The arithmetic is ugmm-model's
 * {@link FeatureStandardization} (the one a saved model applies to new rows); this class adds datasets.
 *
 * <p>A feature that does not vary in the fitting data (a border pixel that is always 0, say) keeps a
 * scale of 1: it is centred but not divided, so it stays finite instead of becoming 0/0. Immutable.
 */
public final class Standardizer {
    private final FeatureStandardization standardization;

    private Standardizer(FeatureStandardization standardization) {
        this.standardization = standardization;
    }

    /** Measures each feature's mean and (population) standard deviation on {@code train}. */
    public static Standardizer fit(Dataset train) {
        if (train.rows() < 1) {
            throw new DatasetException("cannot standardise: " + train.name() + " has no rows to measure the"
                    + " features' mean and std on");
        }
        return fit(train.features, train.rows(), train.features());
    }

    /** Measures each feature's mean and standard deviation on {@code rows} row-major rows of {@code x}. */
    public static Standardizer fit(float[] x, int rows, int features) {
        if (rows < 1) {
            throw new DatasetException("cannot standardise: no rows to measure the features' mean and std on");
        }
        return new Standardizer(FeatureStandardization.fit(x, rows, features));
    }

    /** The statistics as the model records and applies them. */
    public FeatureStandardization standardization() {
        return standardization;
    }

    public int features() {
        return standardization.features();
    }

    /** The fitted means, one per feature. */
    public double[] means() {
        return standardization.means();
    }

    /** The fitted standard deviations, one per feature; 0 for a feature that did not vary. */
    public double[] standardDeviations() {
        return standardization.standardDeviations();
    }

    /** How many features did not vary in the fitting data (and so are only centred). */
    public int constantFeatures() {
        return standardization.constantFeatures();
    }

    /** {@code data} standardised with the fitted statistics (never refitted on {@code data}). */
    public Dataset apply(Dataset data) {
        if (data.features() != features()) {
            throw new DatasetException(data.name() + " has " + data.features()
                    + " features; this standardizer was fitted on " + features());
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
        int features = features();
        if (x.length % features != 0) {
            throw new IllegalArgumentException(x.length + " values are not whole rows of " + features + " features");
        }
        standardization.applyInPlace(x, 0, x.length / features, features);
    }
}
