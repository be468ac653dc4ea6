package io.ugmm.model.gmm;

import io.ugmm.simd.DiagonalGaussianKernel;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means++ seeding (Arthur and Vassilvitskii) with scikit-learn's greedy variant: each new centre is the
 * best of {@code 2 + floor(ln K)} candidates drawn with probability proportional to the squared distance to
 * the nearest centre so far. Distances run on the diagonal kernel (unit precisions).
 */
final class KMeansPlusPlus {
    private KMeansPlusPlus() {
    }

    static float[] centres(float[] x, int rows, int dims, int k, SplittableRandom random, DiagonalGaussianKernel kernel) {
        float[] centres = new float[k * dims];
        int first = random.nextInt(rows);
        System.arraycopy(x, first * dims, centres, 0, dims);
        double[] closest = squaredDistances(x, rows, dims, Arrays.copyOf(centres, dims), 1, kernel);
        int trials = 2 + (int) Math.floor(Math.log(k));
        for (int c = 1; c < k; c++) {
            double potential = 0;
            for (double v : closest) {
                potential += v;
            }
            // all candidates in one pass over the data: the data streams from memory once, not once per candidate
            int[] candidates = new int[trials];
            float[] candidateCentres = new float[trials * dims];
            for (int t = 0; t < trials; t++) {
                candidates[t] = potential > 0 ? draw(closest, potential, random) : random.nextInt(rows);
                System.arraycopy(x, candidates[t] * dims, candidateCentres, t * dims, dims);
            }
            double[] d = squaredDistances(x, rows, dims, candidateCentres, trials, kernel);
            int best = 0;
            double bestPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                double p = 0;
                for (int r = 0; r < rows; r++) {
                    p += Math.min(d[r * trials + t], closest[r]);
                }
                if (p < bestPotential) {
                    bestPotential = p;
                    best = t;
                }
            }
            for (int r = 0; r < rows; r++) {
                closest[r] = Math.min(d[r * trials + best], closest[r]);
            }
            int bestRow = candidates[best];
            System.arraycopy(x, bestRow * dims, centres, c * dims, dims);
        }
        return centres;
    }

    private static int draw(double[] weights, double total, SplittableRandom random) {
        double u = random.nextDouble() * total;
        double cumulative = 0;
        for (int r = 0; r < weights.length; r++) {
            cumulative += weights[r];
            if (u < cumulative) {
                return r;
            }
        }
        for (int r = weights.length - 1; r >= 0; r--) {
            if (weights[r] > 0) {
                return r;
            }
        }
        return weights.length - 1;
    }

    /** Squared distances of every row to each of {@code k} centres, rows x k. */
    private static double[] squaredDistances(float[] x, int rows, int dims, float[] centres, int k,
                                             DiagonalGaussianKernel kernel) {
        double[] out = new double[rows * k];
        RowChunks.forEach(rows, k, (from, count) -> {
            double[] d = negHalfSquaredDistances(x, from, count, dims, centres, k, kernel);
            for (int i = 0; i < count * k; i++) {
                out[from * k + i] = Math.max(0, -2 * d[i]);
            }
        });
        return out;
    }

    /** {@code -0.5 * |x_r - c_k|^2} for rows {@code from..from+count}, rows x K. */
    static double[] negHalfSquaredDistances(float[] x, int from, int count, int dims, float[] centres, int k,
                                            DiagonalGaussianKernel kernel) {
        float[] ones = new float[k * dims];
        Arrays.fill(ones, 1f);
        double[] out = new double[count * k];
        kernel.logDensities(x, from * dims, count, dims, centres, ones, new double[k], k, out, 0);
        return out;
    }
}
