package io.ugmm.model.mdn;

import io.ugmm.simd.LogSpace;
import java.util.SplittableRandom;

/**
 * A mixture of K diagonal Gaussians over D dimensions: what a mixture density network predicts for one
 * input, in the target's raw units. An immutable value (double precision).
 */
public final class ConditionalMixture {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
    /** Fixed-point steps per start in {@link #mode()}, and the relative change that ends them earlier. */
    private static final int MODE_STEPS = 200;
    private static final double MODE_TOLERANCE = 1e-12;

    private final double[] weights;
    private final double[][] means;
    private final double[][] stds;

    /**
     * @param weights mixing proportions, non-negative, summing to 1 (within 1e-6)
     * @param means   K x D
     * @param stds    K x D, positive
     */
    public ConditionalMixture(double[] weights, double[][] means, double[][] stds) {
        int k = weights.length;
        if (k == 0 || means.length != k || stds.length != k) {
            throw new IllegalArgumentException("a mixture needs K >= 1 weights, means and stds; found "
                    + weights.length + ", " + means.length + ", " + stds.length);
        }
        int d = means[0].length;
        double total = 0;
        this.weights = weights.clone();
        this.means = new double[k][];
        this.stds = new double[k][];
        for (int c = 0; c < k; c++) {
            if (means[c].length != d || stds[c].length != d || d == 0) {
                throw new IllegalArgumentException("component " + c + " must have " + d + " means and stds");
            }
            if (!(weights[c] >= 0) || !Double.isFinite(weights[c])) {
                throw new IllegalArgumentException("weight " + c + " is " + weights[c]);
            }
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(means[c][j]) || !(stds[c][j] > 0) || !Double.isFinite(stds[c][j])) {
                    throw new IllegalArgumentException("component " + c + " has mean " + means[c][j] + " and std "
                            + stds[c][j] + "; expected finite, std positive");
                }
            }
            total += weights[c];
            this.means[c] = means[c].clone();
            this.stds[c] = stds[c].clone();
        }
        if (Math.abs(total - 1) > 1e-6) {
            throw new IllegalArgumentException("weights sum to " + total + ", expected 1");
        }
    }

    public int components() {
        return weights.length;
    }

    public int dimensions() {
        return means[0].length;
    }

    public double weight(int k) {
        return weights[k];
    }

    public double[] mean(int k) {
        return means[k].clone();
    }

    public double[] std(int k) {
        return stds[k].clone();
    }

    /** {@code log p(y)}, computed in log space (logsumexp over components). */
    public double logDensity(double[] y) {
        checkPoint(y);
        double[] t = new double[weights.length];
        for (int c = 0; c < weights.length; c++) {
            t[c] = componentLogDensity(c, y);
        }
        return LogSpace.logSumExp(t, 0, t.length);
    }

    /** {@code log w_k + log N(y; mu_k, sigma_k)}. */
    private double componentLogDensity(int c, double[] y) {
        double t = Math.log(weights[c]);
        for (int j = 0; j < y.length; j++) {
            double z = (y[j] - means[c][j]) / stds[c][j];
            t -= Math.log(stds[c][j]) + HALF_LOG_2PI + 0.5 * z * z;
        }
        return t;
    }

    /** The mixture's mean {@code sum_k w_k mu_k}. */
    public double[] mean() {
        double[] m = new double[dimensions()];
        for (int c = 0; c < weights.length; c++) {
            for (int j = 0; j < m.length; j++) {
                m[j] += weights[c] * means[c][j];
            }
        }
        return m;
    }

    /** The per-dimension variance {@code sum_k w_k (sigma_k^2 + mu_k^2) - mean^2}. */
    public double[] variance() {
        double[] m = mean();
        double[] v = new double[m.length];
        for (int c = 0; c < weights.length; c++) {
            for (int j = 0; j < m.length; j++) {
                v[j] += weights[c] * (stds[c][j] * stds[c][j] + means[c][j] * means[c][j]);
            }
        }
        for (int j = 0; j < m.length; j++) {
            v[j] = Math.max(0, v[j] - m[j] * m[j]);
        }
        return v;
    }

    /**
     * The most probable point, found by fixed-point iteration (mean shift:
     * {@code y_d <- sum_k r_k mu_kd / sigma_kd^2 / sum_k r_k / sigma_kd^2}, r the responsibilities at y) from
     * every component's mean; the start that ends at the highest density wins. Each step never lowers the
     * density, so the result is a local maximum at least as probable as the best component mean.
     */
    public double[] mode() {
        double[] best = null;
        double bestDensity = Double.NEGATIVE_INFINITY;
        int d = dimensions();
        double[] r = new double[weights.length];
        for (int start = 0; start < weights.length; start++) {
            if (weights[start] == 0) {
                continue;
            }
            double[] y = means[start].clone();
            for (int step = 0; step < MODE_STEPS; step++) {
                responsibilities(y, r);
                double change = 0;
                for (int j = 0; j < d; j++) {
                    double num = 0;
                    double den = 0;
                    for (int c = 0; c < weights.length; c++) {
                        double precision = r[c] / (stds[c][j] * stds[c][j]);
                        num += precision * means[c][j];
                        den += precision;
                    }
                    double next = den > 0 ? num / den : y[j];
                    change = Math.max(change, Math.abs(next - y[j]) / (Math.abs(y[j]) + stds[start][j]));
                    y[j] = next;
                }
                if (change < MODE_TOLERANCE) {
                    break;
                }
            }
            double density = logDensity(y);
            if (best == null || density > bestDensity) {
                best = y;
                bestDensity = density;
            }
        }
        return best;
    }

    private void responsibilities(double[] y, double[] r) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < weights.length; c++) {
            r[c] = componentLogDensity(c, y);
            max = Math.max(max, r[c]);
        }
        double sum = 0;
        for (int c = 0; c < weights.length; c++) {
            r[c] = Math.exp(r[c] - max);
            sum += r[c];
        }
        for (int c = 0; c < weights.length; c++) {
            r[c] /= sum;
        }
    }

    /**
     * {@code n} draws, reproducible for a seed. {@code temperature} (> 0) sharpens or flattens the mixture
     * the usual way for MDNs: weights proportional to {@code w_k^(1/T)}, standard deviations times
     * {@code sqrt(T)}; 1 samples the mixture itself, near 0 the largest component's mean.
     *
     * @return n x D
     */
    public double[][] sample(int n, double temperature, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("sample count must be non-negative, found " + n);
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, found " + temperature);
        }
        double[] cumulative = new double[weights.length];
        double maxLog = Double.NEGATIVE_INFINITY;
        for (double w : weights) {
            maxLog = Math.max(maxLog, Math.log(w));
        }
        double total = 0;
        for (int c = 0; c < weights.length; c++) {
            total += Math.exp((Math.log(weights[c]) - maxLog) / temperature);
            cumulative[c] = total;
        }
        double scale = Math.sqrt(temperature);
        SplittableRandom random = new SplittableRandom(seed);
        double[][] out = new double[n][dimensions()];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble() * total;
            int c = 0;
            while (c < weights.length - 1 && (cumulative[c] <= u || weights[c] == 0)) {
                c++;
            }
            for (int j = 0; j < dimensions(); j++) {
                out[i][j] = means[c][j] + stds[c][j] * scale * random.nextGaussian();
            }
        }
        return out;
    }

    private void checkPoint(double[] y) {
        if (y.length != dimensions()) {
            throw new IllegalArgumentException("expected a point of " + dimensions() + " values, found " + y.length);
        }
    }
}
