package io.ugmm.simd;

/**
 * Log-space arithmetic in double precision, for the per-row reductions above the kernels (a mixture's
 * log-density over a handful of components) where a vector kernel would not pay.
 */
public final class LogSpace {
    private LogSpace() {
    }

    /**
     * {@code log sum_i exp(v[offset + i])} for {@code i < length}, computed around the largest value so it
     * never overflows. All {@code -Infinity} (or {@code length == 0}) gives {@code -Infinity}; a NaN or a
     * {@code +Infinity} gives NaN.
     */
    public static double logSumExp(double[] v, int offset, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, v[offset + i]);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += Math.exp(v[offset + i] - max);
        }
        return max + Math.log(sum);
    }

    /** {@link #logSumExp(double[], int, int)} of float values, summed in double. */
    public static double logSumExp(float[] v, int offset, int length) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, v[offset + i]);
        }
        if (max == Double.NEGATIVE_INFINITY || Double.isNaN(max)) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += Math.exp(v[offset + i] - max);
        }
        return max + Math.log(sum);
    }
}
