package io.ugmm.spark;

import io.ugmm.model.FeatureStandardization;

import java.io.Serializable;

/**
 * Per-feature count, mean, sum of squared deviations, minimum and maximum, and the largest label, of some
 * partitions; merged pairwise (Chan et al.'s parallel variance), so the whole data's statistics come from
 * one pass over the partitions.
 */
final class FeatureStats implements Serializable {
    private static final long serialVersionUID = 1L;

    final long rows;
    final double[] mean;
    final double[] squaredDeviations;
    final double[] min;
    final double[] max;
    final int maxLabel;

    private FeatureStats(long rows, double[] mean, double[] squaredDeviations, double[] min, double[] max,
                         int maxLabel) {
        this.rows = rows;
        this.mean = mean;
        this.squaredDeviations = squaredDeviations;
        this.min = min;
        this.max = max;
        this.maxLabel = maxLabel;
    }

    static FeatureStats of(TrainingChunk chunk) {
        int n = chunk.features;
        double[] mean = new double[n];
        double[] m2 = new double[n];
        double[] min = new double[n];
        double[] max = new double[n];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        int maxLabel = -1;
        if (chunk.rows > 0) {
            FeatureStandardization s = FeatureStandardization.fit(chunk.x, chunk.rows, n);
            for (int f = 0; f < n; f++) {
                mean[f] = s.means()[f];
                double std = s.standardDeviations()[f];
                m2[f] = std * std * chunk.rows;
            }
            for (int e = 0; e < chunk.x.length; e++) {
                min[e % n] = Math.min(min[e % n], chunk.x[e]);
                max[e % n] = Math.max(max[e % n], chunk.x[e]);
            }
            for (int label : chunk.labels) {
                maxLabel = Math.max(maxLabel, label);
            }
        }
        return new FeatureStats(chunk.rows, mean, m2, min, max, maxLabel);
    }

    FeatureStats merge(FeatureStats o) {
        if (o.rows == 0) {
            return this;
        }
        if (rows == 0) {
            return o;
        }
        int n = mean.length;
        long total = rows + o.rows;
        double[] m = new double[n];
        double[] m2 = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int f = 0; f < n; f++) {
            double delta = o.mean[f] - mean[f];
            m[f] = mean[f] + delta * o.rows / total;
            m2[f] = squaredDeviations[f] + o.squaredDeviations[f] + delta * delta * rows * o.rows / total;
            lo[f] = Math.min(min[f], o.min[f]);
            hi[f] = Math.max(max[f], o.max[f]);
        }
        return new FeatureStats(total, m, m2, lo, hi, Math.max(maxLabel, o.maxLabel));
    }

    FeatureStandardization standardization() {
        double[] std = new double[mean.length];
        for (int f = 0; f < std.length; f++) {
            std[f] = Math.sqrt(squaredDeviations[f] / rows);
        }
        return FeatureStandardization.of(mean, std);
    }

    /** Two rows, the minimum and the maximum of each feature: what the model's training range records. */
    float[] rangeRows() {
        int n = mean.length;
        float[] r = new float[2 * n];
        for (int f = 0; f < n; f++) {
            r[f] = (float) min[f];
            r[n + f] = (float) max[f];
        }
        return r;
    }
}
