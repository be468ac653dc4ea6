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
        double[] closest = squaredDistances(x, rows, dims, centres, 0, kernel);
        int trials = 2 + (int) Math.floor(Math.log(k));
        for (int c = 1; c < k; c++) {
            double potential = 0;
            for (double v : closest) {
                potential += v;
            }
            double[] bestDistances = null;
            int bestRow = -1;
            double bestPotential = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                int candidate = potential > 0 ? draw(closest, potential, random) : random.nextInt(rows);
                float[] centre = Arrays.copyOfRange(x, candidate * dims, candidate * dims + dims);
                double[] d = squaredDistances(x, rows, dims, centre, 0, kernel);
                double p = 0;
                for (int r = 0; r < rows; r++) {
                    d[r] = Math.min(d[r], closest[r]);
                    p += d[r];
                }
                if (p < bestPotential) {
                    bestPotential = p;
                    bestDistances = d;
                    bestRow = candidate;
                }
            }
            System.arraycopy(x, bestRow * dims, centres, c * dims, dims);
            closest = bestDistances;
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

    private static double[] squaredDistances(float[] x, int rows, int dims, float[] centres, int centre,
                                             DiagonalGaussianKernel kernel) {
        float[] one = Arrays.copyOfRange(centres, centre * dims, centre * dims + dims);
        double[] out = new double[rows];
        RowChunks.forEach(rows, 1, (from, count) -> {
            double[] d = negHalfSquaredDistances(x, from, count, dims, one, 1, kernel);
            for (int r = 0; r < count; r++) {
                out[from + r] = Math.max(0, -2 * d[r]);
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
