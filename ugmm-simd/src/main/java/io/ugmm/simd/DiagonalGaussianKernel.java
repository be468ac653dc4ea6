package io.ugmm.simd;

/**
 * The two hot loops of EM for a Gaussian mixture with diagonal (or spherical) covariances, over flat
 * row-major {@code float[]} data: the per-(row, component) log-density, and the per-component sufficient
 * statistics. Both never hold more than one row's worth of terms; nothing of size rows x components x dims
 * exists. {@link DiagonalGaussianKernels} hands out a Vector API implementation and its plain-Java twin.
 */
public interface DiagonalGaussianKernel {
    /** {@code "vector"} or {@code "scalar"}. */
    String name();

    /**
     * For each of {@code rows} rows of {@code dims} values starting at {@code x[xOff]} and each component
     * {@code k < components}:
     * {@code out[outOff + r*components + k] = constants[k] - 0.5 * sum_d (x[r][d] - means[k][d])^2 * precisions[k][d]}.
     * The sum over dims runs in float lanes and is finished in double, lane by lane in a fixed order, so
     * a call gives the same bits on every thread, batched or row by row.
     *
     * @param means      {@code components x dims}, row-major
     * @param precisions {@code components x dims}: 1 / variance
     * @param constants  per component, e.g. {@code log weight - 0.5 * (dims log 2pi + sum log variance)}
     */
    void logDensities(float[] x, int xOff, int rows, int dims, float[] means, float[] precisions,
                      double[] constants, int components, double[] out, int outOff);

    /**
     * Adds one row, weighted, to shifted first and second moments: for {@code d < dims}, with
     * {@code c = x[xOff+d] - shift[shiftOff+d]}: {@code sum[accOff+d] += weight*c} and
     * {@code sumSquares[accOff+d] += weight*c*c}. Shifting by a value near the mean (the previous mean in
     * EM) keeps the variance {@code sumSquares/n - (sum/n)^2} free of cancellation in float.
     */
    void accumulate(float[] x, int xOff, int dims, float weight, float[] shift, int shiftOff,
                    float[] sum, float[] sumSquares, int accOff);
}
