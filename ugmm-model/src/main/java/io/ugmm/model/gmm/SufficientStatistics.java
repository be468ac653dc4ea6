package io.ugmm.model.gmm;

import io.ugmm.simd.DenseGaussianKernel;
import io.ugmm.simd.DenseGaussianKernels;
import io.ugmm.simd.DiagonalGaussianKernel;
import io.ugmm.simd.DiagonalGaussianKernels;
import io.ugmm.simd.LogSpace;

import java.io.Serializable;

/**
 * What the M-step needs from one chunk of rows, given their responsibilities: per component the total
 * responsibility, and first and second moments shifted by a point near the component's mean (its current
 * mean), which keeps the variances free of cancellation. Diagonal moments are summed in float by the kernel
 * for up to {@link #FLUSH_ROWS} rows at a time, then added into double.
 *
 * <p>Public so that EM can run where the data lives in pieces (e.g. the partitions of a Spark job): for
 * the current parameters, each piece adds its rows' E-step with {@link #addExpectation}; the pieces' statistics
 * are merged with {@link #addAll} (in a fixed order for reproducible sums); {@link #maximize} is the M-step.
 * That is exactly one iteration of {@link GaussianMixture#fit}. Serializable to ship between JVMs; not
 * thread-safe (one instance per piece).
 */
public final class SufficientStatistics implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int FLUSH_ROWS = 16;
    private static final double EPS10 = 10 * Math.ulp(1.0);

    private final CovarianceType type;
    private final int components;
    private final int dims;
    private final boolean diagonal;
    /** Rows added so far. */
    long rows;
    double logLikelihood;
    final double[] nk;
    final double[] sum;
    /** diag/spherical: K x D sums of squares; full/tied: K x D x D scatter matrices. */
    final double[] second;
    private final float[] floatSum;
    private final float[] floatSquares;
    /** Components with float sums not yet added into double; only these are flushed. */
    private final boolean[] touched;
    private int pending;

    SufficientStatistics(CovarianceType type, int components, int dims) {
        this.type = type;
        this.components = components;
        this.dims = dims;
        this.diagonal = type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL;
        this.nk = new double[components];
        this.sum = new double[components * dims];
        this.second = new double[diagonal ? components * dims : components * dims * dims];
        this.floatSum = diagonal ? new float[components * dims] : null;
        this.floatSquares = diagonal ? new float[components * dims] : null;
        this.touched = new boolean[components];
    }

    /** Empty statistics for one EM iteration from {@code model}'s parameters. */
    public static SufficientStatistics of(GaussianMixture model) {
        return new SufficientStatistics(model.covarianceType(), model.components(), model.dims());
    }

    /** Rows added so far (here and through {@link #addAll}). */
    public long rows() {
        return rows;
    }

    /** Sum of the added rows' log-densities under the parameters of their E-step (natural log). */
    public double logLikelihood() {
        return logLikelihood;
    }

    /**
     * The E-step of rows {@code from .. from+count} of {@code x} (row-major, {@code model.dims()} values a row,
     * each finite) under {@code model}: their log-likelihood, and the moments the M-step needs, taken around
     * {@code model}'s means. Give {@link #maximize} the same model.
     *
     * @throws IllegalArgumentException if {@code model} does not match these statistics, the range is outside
     *         {@code x}, or a value is NaN or infinite (naming the row and column)
     */
    public void addExpectation(GaussianMixture model, float[] x, int from, int count) {
        checkModel(model);
        RowChunks.checkRows(x, from, count, dims);
        expectation(model, x, from, count);
    }

    /** {@link #addExpectation} without the checks (EM checks the data once, not every iteration). */
    void expectation(GaussianMixture model, float[] x, int from, int count) {
        double[] lp = new double[count * components];
        model.weightedLogProbabilities(x, from, count, lp);
        for (int r = 0; r < count; r++) {
            int o = r * components;
            double lse = LogSpace.logSumExp(lp, o, components);
            logLikelihood += lse;
            for (int k = 0; k < components; k++) {
                lp[o + k] = Math.exp(lp[o + k] - lse);
            }
        }
        addRows(x, from, count, lp, DiagonalGaussianKernels.preferred(), model.floatMeans(), model.meansView());
    }

    private void checkModel(GaussianMixture model) {
        if (model.covarianceType() != type || model.components() != components || model.dims() != dims) {
            throw new IllegalArgumentException("statistics of " + components + " " + type.label() + " components over "
                    + dims + " features cannot take a mixture of " + model.components() + " "
                    + model.covarianceType().label() + " components over " + model.dims() + " features");
        }
    }

    /**
     * The M-step from these statistics: the parameters of the next EM iteration. {@code current} is the
     * mixture the rows' E-step ran under; {@code regCovar} is added to every variance.
     *
     * @throws IllegalArgumentException if no rows were added, or a component collapses (naming it)
     */
    public GaussianMixture maximize(GaussianMixture current, double regCovar) {
        checkModel(current);
        if (rows == 0) {
            throw new IllegalArgumentException("no rows were added; the M-step needs at least one");
        }
        return mStep(shiftOf(current), regCovar);
    }

    /** The point each component's moments are taken around: its current mean (as the kernel sees it). */
    static double[] shiftOf(GaussianMixture model) {
        float[] f = model.floatMeans();
        if (f == null) {
            return model.meansView();
        }
        double[] shift = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            shift[i] = f[i];
        }
        return shift;
    }

    /**
     * Adds rows {@code from .. from+count} of {@code x} with responsibilities {@code resp} (count x K, from
     * index 0): diagonal moments through {@link #add}, full scatter matrices component by component on the
     * dense kernel.
     */
    void addRows(float[] x, int from, int count, double[] resp, DiagonalGaussianKernel kernel, float[] floatShift,
                 double[] shift) {
        rows += count;
        if (diagonal) {
            for (int r = 0; r < count; r++) {
                add(x, from + r, resp, r * components, kernel, floatShift, shift);
            }
            return;
        }
        DenseGaussianKernel dense = DenseGaussianKernels.preferred();
        double[] scratch = new double[dense.scratchSize(dims)];
        for (int k = 0; k < components; k++) {
            double n = 0;
            for (int r = 0; r < count; r++) {
                n += resp[r * components + k];
            }
            nk[k] += n;
            dense.scatter(x, from * dims, count, dims, resp, k, components, shift, k * dims, sum, k * dims, second,
                    k * dims * dims, scratch);
        }
    }

    /** Adds row {@code row} of {@code x} with responsibilities {@code resp[respOff .. +K]} (diag, spherical). */
    private void add(float[] x, int row, double[] resp, int respOff, DiagonalGaussianKernel kernel, float[] floatShift,
             double[] shift) {
        int xo = row * dims;
        for (int k = 0; k < components; k++) {
            double r = resp[respOff + k];
            nk[k] += r;
            float w = (float) r;
            if (w == 0) {
                continue; // exactly nothing to add in float; common once components separate
            }
            kernel.accumulate(x, xo, dims, w, floatShift, k * dims, floatSum, floatSquares, k * dims);
            touched[k] = true;
        }
        if (diagonal && ++pending == FLUSH_ROWS) {
            flush();
        }
    }

    private void flush() {
        if (!diagonal) {
            return;
        }
        for (int k = 0; k < components; k++) {
            if (!touched[k]) {
                continue;
            }
            for (int i = k * dims; i < (k + 1) * dims; i++) {
                sum[i] += floatSum[i];
                second[i] += floatSquares[i];
                floatSum[i] = 0;
                floatSquares[i] = 0;
            }
            touched[k] = false;
        }
        pending = 0;
    }

    /**
     * Adds another piece's statistics (of the same E-step), emptying nothing; call in a fixed order (e.g.
     * the pieces' order in the data) for reproducible sums.
     */
    public void addAll(SufficientStatistics other) {
        if (other.type != type || other.components != components || other.dims != dims) {
            throw new IllegalArgumentException("cannot add statistics of " + other.components + " "
                    + other.type.label() + " components over " + other.dims + " features to those of " + components
                    + " " + type.label() + " components over " + dims);
        }
        other.flush();
        rows += other.rows;
        logLikelihood += other.logLikelihood;
        for (int i = 0; i < nk.length; i++) {
            nk[i] += other.nk[i];
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.sum[i];
        }
        for (int i = 0; i < second.length; i++) {
            second[i] += other.second[i];
        }
    }

    /**
     * The M-step (scikit-learn's {@code _estimate_gaussian_parameters}): weights {@code nk / N}, means, and
     * covariances with {@code regCovar} added to every variance. {@code shift} is the point the moments
     * were taken around, per component (K x D).
     */
    GaussianMixture mStep(double[] shift, double regCovar) {
        flush();
        double[] counts = new double[components];
        double total = 0;
        double[] weights = new double[components];
        for (int k = 0; k < components; k++) {
            counts[k] = nk[k] + EPS10;
            total += counts[k];
        }
        for (int k = 0; k < components; k++) {
            weights[k] = counts[k] / rows;
        }
        double wsum = 0;
        for (double w : weights) {
            wsum += w;
        }
        for (int k = 0; k < components; k++) {
            weights[k] /= wsum; // nk sums to N up to rounding and the 10 eps per component
        }
        double[] offsets = new double[components * dims];
        double[] means = new double[components * dims];
        for (int i = 0; i < means.length; i++) {
            offsets[i] = sum[i] / counts[i / dims];
            means[i] = shift[i] + offsets[i];
        }
        double[] covariances = new double[type.storedValues(components, dims)];
        switch (type) {
            case DIAG:
            case SPHERICAL:
                for (int k = 0; k < components; k++) {
                    double mean = 0;
                    for (int d = 0; d < dims; d++) {
                        int i = k * dims + d;
                        double variance = Math.max(0, second[i] / counts[k] - offsets[i] * offsets[i]) + regCovar;
                        checkVariance(variance, k, d);
                        if (type == CovarianceType.DIAG) {
                            covariances[i] = variance;
                        }
                        mean += variance;
                    }
                    if (type == CovarianceType.SPHERICAL) {
                        covariances[k] = mean / dims;
                    }
                }
                break;
            case FULL:
                for (int k = 0; k < components; k++) {
                    scatterToCovariance(k, counts[k], offsets, covariances, k * dims * dims, 1.0 / counts[k]);
                    addDiagonal(covariances, k * dims * dims, regCovar);
                }
                break;
            default:
                for (int k = 0; k < components; k++) {
                    scatterToCovariance(k, counts[k], offsets, covariances, 0, 1.0 / total);
                }
                addDiagonal(covariances, 0, regCovar);
        }
        return GaussianMixture.fromEm(type, dims, weights, means, covariances);
    }

    /** Adds {@code scale * (S_k - n_k m mᵀ)} (the scatter around the new mean) to {@code out}, both triangles. */
    private void scatterToCovariance(int k, double count, double[] offsets, double[] out, int base, double scale) {
        int s = k * dims * dims;
        int m = k * dims;
        for (int i = 0; i < dims; i++) {
            for (int j = 0; j <= i; j++) {
                double v = scale * (second[s + i * dims + j] - count * offsets[m + i] * offsets[m + j]);
                out[base + i * dims + j] += v;
                if (j != i) {
                    out[base + j * dims + i] += v;
                }
            }
        }
    }

    private void addDiagonal(double[] c, int base, double value) {
        for (int i = 0; i < dims; i++) {
            c[base + i * dims + i] += value;
        }
    }

    private static void checkVariance(double variance, int k, int d) {
        if (!(variance > 0) || !Double.isFinite(variance)) {
            throw new IllegalArgumentException("component " + k + " has variance " + variance + " in column " + d
                    + " (a constant column, or a component on a single point); set regCovar > 0");
        }
    }
}
