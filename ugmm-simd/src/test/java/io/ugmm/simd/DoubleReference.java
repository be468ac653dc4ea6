package io.ugmm.simd;

/**
 * The mixture math of DESIGN.md section 1 in double precision, straight from the raw parameters
 * (mean, log sigma, log weight): the yardstick both kernels are held against.
 */
final class DoubleReference {
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

    private DoubleReference() {
    }

    static double[] forward(float[] x, int rows, int m, int n, float[] mean, float[] logStd, float[] logWeights) {
        double[] out = new double[rows * m];
        double[] t = new double[n];
        for (int b = 0; b < rows; b++) {
            for (int j = 0; j < m; j++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    int e = j * n + i;
                    double sigma = Math.exp(logStd[e]);
                    double z = (x[b * n + i] - (double) mean[e]) / sigma;
                    t[i] = logWeights[e] - 0.5 * z * z - logStd[e] - HALF_LOG_TWO_PI;
                    max = Math.max(max, t[i]);
                }
                out[b * m + j] = logSumExp(t, max);
            }
        }
        return out;
    }

    static double logSumExp(double[] t, double max) {
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double sum = 0;
        for (double v : t) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }

    static double logSumExp(float[] v, int off, int len) {
        double[] t = new double[len];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            t[i] = v[off + i];
            max = Math.max(max, t[i]);
        }
        return logSumExp(t, max);
    }
}
