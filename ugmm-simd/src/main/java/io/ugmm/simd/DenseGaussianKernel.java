package io.ugmm.simd;

/**
 * The two hot loops of EM for Gaussian mixtures with full (or tied) covariances, in double precision over
 * flat row-major {@code float[]} data. {@link DenseGaussianKernels} hands out a Vector API implementation
 * and a plain-Java twin that does the same fused multiply-adds in the same order, so both give the same bits.
 */
public interface DenseGaussianKernel {
    /** {@code "vector"} or {@code "scalar"}. */
    String name();

    /**
     * Squared Mahalanobis distances: for each of {@code rows} rows starting at {@code x[xOff]},
     * {@code out[outOff + r] = Σ_i (Σ_{j<=i} P[i][j] (x_r[j] - mean[j]))²}, with P the lower-triangular
     * {@code dims x dims} factor at {@code factor[factorOff]} (the inverse of the covariance's Cholesky factor).
     *
     * @param scratch at least {@link #scratchSize(int)} doubles
     */
    void mahalanobis(float[] x, int xOff, int rows, int dims, double[] mean, int meanOff, double[] factor,
                     int factorOff, double[] out, int outOff, double[] scratch);

    /**
     * Weighted shifted moments: for each row r with {@code w = weights[wOff + r*wStride]} and
     * {@code y = x_r - shift}, {@code sum[i] += w y_i} and {@code scatter[i][j] += w y_i y_j} for
     * {@code j <= i} (the lower triangle of a {@code dims x dims} row-major square at {@code scatterOff}; the
     * entries above the diagonal are unspecified). Rows of weight 0 are skipped.
     */
    void scatter(float[] x, int xOff, int rows, int dims, double[] weights, int wOff, int wStride, double[] shift,
                 int shiftOff, double[] sum, int sumOff, double[] scatter, int scatterOff, double[] scratch);

    /** Scratch doubles the calls need for {@code dims} features. */
    int scratchSize(int dims);
}
