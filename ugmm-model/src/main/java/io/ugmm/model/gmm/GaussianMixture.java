package io.ugmm.model.gmm;

import io.ugmm.simd.DenseGaussianKernel;
import io.ugmm.simd.DenseGaussianKernels;
import io.ugmm.simd.DiagonalGaussianKernel;
import io.ugmm.simd.DiagonalGaussianKernels;
import io.ugmm.simd.LogSpace;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A fitted (or given) Gaussian mixture: weights, means and covariances of K components over D features,
 * with scikit-learn's {@code GaussianMixture} semantics. An immutable value, safe to share between threads.
 *
 * <p>All scores are natural logarithms: {@link #scoreSamples} gives each row's log-density, {@link #score}
 * their mean (scikit-learn's {@code score}), {@link #bic} {@code = -2 N score + p log N} and {@link #aic}
 * {@code = -2 N score + 2p} with p = {@link #freeParameters()}. Densities are combined in log space
 * (logsumexp over components), so no row ever underflows to zero.
 *
 * <p>Data is flat and row-major: {@code rows x dims()} floats. Rows must be finite; a NaN or infinity is an
 * {@link IllegalArgumentException} naming the row and column.
 */
public final class GaussianMixture {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    private final CovarianceType type;
    private final int components;
    private final int dims;
    private final double[] weights;
    private final double[] means;
    private final double[] covariances;
    private final boolean converged;
    private final int iterations;
    private final double lowerBound;

    private final double[] logWeights;
    // diag and spherical: what the float kernel needs
    private final float[] floatMeans;
    private final float[] precisions;
    private final double[] constants;
    // full and tied: lower Cholesky factors of the covariances, their inverses, and log-determinants
    private final double[] choleskyFactors;
    private final double[] precisionFactors;
    private final double[] logDeterminants;

    private GaussianMixture(CovarianceType type, int components, int dims, double[] weights, double[] means,
                            double[] covariances, boolean converged, int iterations, double lowerBound) {
        this.type = type;
        this.components = components;
        this.dims = dims;
        this.weights = weights;
        this.means = means;
        this.covariances = covariances;
        this.converged = converged;
        this.iterations = iterations;
        this.lowerBound = lowerBound;
        this.logWeights = new double[components];
        for (int k = 0; k < components; k++) {
            logWeights[k] = Math.log(weights[k]);
        }
        if (type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL) {
            floatMeans = new float[components * dims];
            precisions = new float[components * dims];
            constants = new double[components];
            for (int k = 0; k < components; k++) {
                double logDet = 0;
                for (int d = 0; d < dims; d++) {
                    double variance = type == CovarianceType.DIAG ? covariances[k * dims + d] : covariances[k];
                    floatMeans[k * dims + d] = (float) means[k * dims + d];
                    precisions[k * dims + d] = (float) (1 / variance);
                    logDet += Math.log(variance);
                }
                constants[k] = logWeights[k] - 0.5 * (dims * LOG_2PI + logDet);
            }
            choleskyFactors = null;
            precisionFactors = null;
            logDeterminants = null;
        } else {
            int factors = type == CovarianceType.FULL ? components : 1;
            choleskyFactors = new double[factors * dims * dims];
            precisionFactors = new double[factors * dims * dims];
            logDeterminants = new double[factors];
            for (int f = 0; f < factors; f++) {
                String what = type == CovarianceType.FULL ? "the covariance of component " + f : "the tied covariance";
                Cholesky.factor(covariances, f * dims * dims, dims, choleskyFactors, what);
                Cholesky.invertLower(choleskyFactors, f * dims * dims, dims, precisionFactors);
                logDeterminants[f] = Cholesky.logDeterminant(choleskyFactors, f * dims * dims, dims);
            }
            floatMeans = null;
            precisions = null;
            constants = null;
        }
    }

    /**
     * A mixture from given parameters (copied and checked): weights (K, non-negative, summing to 1 within
     * 1e-6), means (K x D), covariances in the layout of {@code type} (see {@link CovarianceType}), each
     * positive definite. Useful as {@link GmmConfig.Builder#initialModel} or to score with known parameters.
     */
    public static GaussianMixture of(CovarianceType type, double[] weights, double[] means, double[] covariances) {
        int k = weights.length;
        if (k < 1) {
            throw new IllegalArgumentException("a mixture needs at least 1 component, found 0 weights");
        }
        if (means.length % k != 0 || means.length == 0) {
            throw new IllegalArgumentException(k + " components need K x D means, found " + means.length + " values");
        }
        int d = means.length / k;
        if (covariances.length != type.storedValues(k, d)) {
            throw new IllegalArgumentException(type.label() + " covariances of " + k + " components over " + d
                    + " features need " + type.storedValues(k, d) + " values, found " + covariances.length);
        }
        double sum = 0;
        for (int i = 0; i < k; i++) {
            if (!(weights[i] >= 0 && weights[i] <= 1)) {
                throw new IllegalArgumentException("weight " + i + " is " + weights[i] + "; expected a value in [0, 1]");
            }
            sum += weights[i];
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("weights sum to " + sum + "; expected 1 (within 1e-6)");
        }
        checkFinite("mean", means);
        checkFinite("covariance", covariances);
        if (type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL) {
            for (int i = 0; i < covariances.length; i++) {
                if (!(covariances[i] > 0)) {
                    throw new IllegalArgumentException(type.label() + " variance " + i + " is " + covariances[i]
                            + "; expected > 0");
                }
            }
        } else {
            checkSymmetric(covariances, d);
        }
        return new GaussianMixture(type, k, d, weights.clone(), means.clone(), covariances.clone(), false, 0,
                Double.NEGATIVE_INFINITY);
    }

    /** Parameters that EM produced (not copied, trusted to be well-formed; covariances still factorised). */
    static GaussianMixture fromEm(CovarianceType type, int dims, double[] weights, double[] means,
                                  double[] covariances) {
        return new GaussianMixture(type, weights.length, dims, weights, means, covariances, false, 0,
                Double.NEGATIVE_INFINITY);
    }

    /** This mixture with EM's outcome recorded (as EM reports it, or as a model file records it). */
    public GaussianMixture withFitInfo(boolean hasConverged, int iterationCount, double bound) {
        return new GaussianMixture(type, components, dims, weights, means, covariances, hasConverged,
                iterationCount, bound);
    }

    private static void checkFinite(String what, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(what + " value " + i + " is " + values[i] + "; expected a finite number");
            }
        }
    }

    private static void checkSymmetric(double[] covariances, int d) {
        for (int base = 0; base < covariances.length; base += d * d) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < i; j++) {
                    double a = covariances[base + i * d + j];
                    double b = covariances[base + j * d + i];
                    if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)))) {
                        throw new IllegalArgumentException("covariance matrix " + base / (d * d) + " is not symmetric: ["
                                + i + "][" + j + "] = " + a + " but [" + j + "][" + i + "] = " + b);
                    }
                }
            }
        }
    }

    /** Fits a mixture to {@code rows x dims} values by EM (see {@link GmmConfig}). */
    public static GaussianMixture fit(float[] x, int rows, int dims, GmmConfig config) {
        return new EmFitter(x, rows, dims, config, EmListener.NONE).fit();
    }

    /** As {@link #fit(float[], int, int, GmmConfig)}, telling {@code listener} after every iteration. */
    public static GaussianMixture fit(float[] x, int rows, int dims, GmmConfig config, EmListener listener) {
        return new EmFitter(x, rows, dims, config, listener).fit();
    }

    /**
     * The parameters {@link #fit} starts its run {@code run} (0-based, below {@code config.nInit()}) from on
     * this data: the config's initial model, or its init method's with the same random draws. For a caller
     * that runs EM itself (see {@link SufficientStatistics}), e.g. on a sample of data held elsewhere.
     */
    public static GaussianMixture initialize(float[] x, int rows, int dims, GmmConfig config, int run) {
        if (run < 0 || run >= config.nInit()) {
            throw new IllegalArgumentException("run " + run + " of " + config.nInit() + " initialisations");
        }
        return new EmFitter(x, rows, dims, config, EmListener.NONE).checkedStart(run);
    }

    public CovarianceType covarianceType() {
        return type;
    }

    public int components() {
        return components;
    }

    public int dims() {
        return dims;
    }

    /** Mixing weights, K of them, summing to 1 (a copy). */
    public double[] weights() {
        return weights.clone();
    }

    /** Means, K x D row-major (a copy). */
    public double[] means() {
        return means.clone();
    }

    /** Covariances in the layout of {@link #covarianceType()} (a copy). */
    public double[] covariances() {
        return covariances.clone();
    }

    /** The D x D covariance matrix of component {@code k}, whatever the type (a new array). */
    public double[] covarianceMatrix(int k) {
        double[] m = new double[dims * dims];
        for (int i = 0; i < dims; i++) {
            for (int j = 0; j < dims; j++) {
                double v;
                switch (type) {
                    case FULL:
                        v = covariances[k * dims * dims + i * dims + j];
                        break;
                    case TIED:
                        v = covariances[i * dims + j];
                        break;
                    case DIAG:
                        v = i == j ? covariances[k * dims + i] : 0;
                        break;
                    default:
                        v = i == j ? covariances[k] : 0;
                }
                m[i * dims + j] = v;
            }
        }
        return m;
    }

    /** Whether EM stopped because the lower bound changed by less than {@code tol} (false if not fitted). */
    public boolean converged() {
        return converged;
    }

    /** EM iterations of the best run (0 if not fitted). */
    public int iterations() {
        return iterations;
    }

    /** Mean log-likelihood per row of the training data at the last E-step of the best run. */
    public double lowerBound() {
        return lowerBound;
    }

    /** Free parameters (scikit-learn's {@code _n_parameters}), used by {@link #bic} and {@link #aic}. */
    public long freeParameters() {
        return type.freeParameters(components, dims);
    }

    /** Log-density of each row (natural log). */
    public double[] scoreSamples(float[] x, int rows) {
        checkData(x, rows);
        double[] out = new double[rows];
        RowChunks.forEach(rows, components, (from, count) -> posteriors(x, from, count, null, null, out));
        return out;
    }

    /** Mean log-density per row: scikit-learn's {@code score}. */
    public double score(float[] x, int rows) {
        if (rows == 0) {
            throw new IllegalArgumentException("cannot score 0 rows");
        }
        double[] s = scoreSamples(x, rows);
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        return sum / rows;
    }

    /** Posterior probability of each component for each row: rows x K, row-major, each row summing to 1. */
    public double[] predictProba(float[] x, int rows) {
        checkData(x, rows);
        double[] out = new double[rows * components];
        RowChunks.forEach(rows, components, (from, count) -> posteriors(x, from, count, null, out, null));
        return out;
    }

    /** The most probable component of each row. */
    public int[] predict(float[] x, int rows) {
        checkData(x, rows);
        int[] out = new int[rows];
        RowChunks.forEach(rows, components, (from, count) -> posteriors(x, from, count, out, null, null));
        return out;
    }

    /**
     * {@link #predict}, {@link #predictProba} and {@link #scoreSamples} of rows {@code from .. from+count} of
     * {@code x} in one pass on the calling thread, each written at the same rows of its array (probabilities
     * K a row); pass null for an output not wanted. The values are those of the three methods, bit for bit.
     *
     * @throws IllegalArgumentException if the rows are outside {@code x} or an output, or a value is NaN or
     *         infinite (naming the row and column)
     */
    public void scoreRows(float[] x, int from, int count, int[] component, double[] probabilities,
                          double[] logDensity) {
        RowChunks.checkRows(x, from, count, dims);
        long end = (long) from + count;
        if (component != null && component.length < end || logDensity != null && logDensity.length < end
                || probabilities != null && probabilities.length < end * components) {
            throw new IllegalArgumentException("an output holds fewer than the " + end + " rows to write");
        }
        posteriors(x, from, count, component, probabilities, logDensity);
    }

    private void posteriors(float[] x, int from, int count, int[] component, double[] probabilities,
                            double[] logDensity) {
        double[] lp = new double[count * components];
        weightedLogProbabilities(x, from, count, lp);
        for (int r = 0; r < count; r++) {
            int o = r * components;
            if (component != null) {
                int best = 0;
                for (int k = 1; k < components; k++) {
                    if (lp[o + k] > lp[o + best]) {
                        best = k;
                    }
                }
                component[from + r] = best;
            }
            if (probabilities == null && logDensity == null) {
                continue;
            }
            double lse = LogSpace.logSumExp(lp, o, components);
            if (logDensity != null) {
                logDensity[from + r] = lse;
            }
            if (probabilities != null) {
                for (int k = 0; k < components; k++) {
                    probabilities[(from + r) * components + k] = Math.exp(lp[o + k] - lse);
                }
            }
        }
    }

    /** Bayesian information criterion on {@code x}: {@code -2 N score + p ln N}; lower is better. */
    public double bic(float[] x, int rows) {
        return -2 * score(x, rows) * rows + freeParameters() * Math.log(rows);
    }

    /** Akaike information criterion on {@code x}: {@code -2 N score + 2p}; lower is better. */
    public double aic(float[] x, int rows) {
        return -2 * score(x, rows) * rows + 2.0 * freeParameters();
    }

    /** {@code n} rows drawn from this mixture; the same seed gives the same rows. */
    public GmmSample sample(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot draw " + n + " rows");
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[Math.multiplyExact(n, dims)];
        int[] which = new int[n];
        double[] z = new double[dims];
        for (int s = 0; s < n; s++) {
            double u = random.nextDouble();
            int k = 0;
            double cumulative = weights[0];
            while (u >= cumulative && k < components - 1) {
                cumulative += weights[++k];
            }
            which[s] = k;
            for (int d = 0; d < dims; d++) {
                z[d] = random.nextGaussian();
            }
            for (int i = 0; i < dims; i++) {
                double v = means[k * dims + i];
                switch (type) {
                    case DIAG:
                        v += Math.sqrt(covariances[k * dims + i]) * z[i];
                        break;
                    case SPHERICAL:
                        v += Math.sqrt(covariances[k]) * z[i];
                        break;
                    default: {
                        int base = type == CovarianceType.FULL ? k * dims * dims : 0;
                        for (int j = 0; j <= i; j++) {
                            v += choleskyFactors[base + i * dims + j] * z[j];
                        }
                    }
                }
                x[s * dims + i] = (float) v;
            }
        }
        return new GmmSample(x, which, dims);
    }

    /**
     * The same mixture on features {@code x' = x * scale + shift} (per feature): how a mixture fitted to
     * standardised data becomes one on the raw features. Log-densities move by {@code -Σ log |scale|}.
     */
    public GaussianMixture affine(double[] scale, double[] shift) {
        if (scale.length != dims || shift.length != dims) {
            throw new IllegalArgumentException("expected " + dims + " scales and shifts, found " + scale.length
                    + " and " + shift.length);
        }
        if (type == CovarianceType.SPHERICAL) {
            for (double s : scale) {
                if (Math.abs(Math.abs(s) - Math.abs(scale[0])) > 1e-12 * Math.abs(scale[0])) {
                    throw new IllegalArgumentException("spherical covariances stay spherical only under one common scale");
                }
            }
        }
        double[] m = new double[means.length];
        for (int k = 0; k < components; k++) {
            for (int d = 0; d < dims; d++) {
                m[k * dims + d] = means[k * dims + d] * scale[d] + shift[d];
            }
        }
        double[] c = new double[covariances.length];
        switch (type) {
            case DIAG:
                for (int k = 0; k < components; k++) {
                    for (int d = 0; d < dims; d++) {
                        c[k * dims + d] = covariances[k * dims + d] * scale[d] * scale[d];
                    }
                }
                break;
            case SPHERICAL:
                for (int k = 0; k < components; k++) {
                    c[k] = covariances[k] * scale[0] * scale[0];
                }
                break;
            default:
                for (int base = 0; base < c.length; base += dims * dims) {
                    for (int i = 0; i < dims; i++) {
                        for (int j = 0; j < dims; j++) {
                            c[base + i * dims + j] = covariances[base + i * dims + j] * scale[i] * scale[j];
                        }
                    }
                }
        }
        return new GaussianMixture(type, components, dims, weights, m, c, converged, iterations, lowerBound);
    }

    /**
     * {@code out[r*K + k] = log weight_k + log N(x_r | mean_k, cov_k)} for rows {@code from .. from+rows}.
     * The one place the E-step's densities are computed: diag and spherical on the float kernel, full and
     * tied on the double kernel with the inverse of the covariance's Cholesky factor.
     */
    void weightedLogProbabilities(float[] x, int from, int rows, double[] out) {
        if (floatMeans != null) {
            DiagonalGaussianKernel kernel = DiagonalGaussianKernels.preferred();
            kernel.logDensities(x, from * dims, rows, dims, floatMeans, precisions, constants, components, out, 0);
            return;
        }
        DenseGaussianKernel kernel = DenseGaussianKernels.preferred();
        double[] scratch = new double[kernel.scratchSize(dims)];
        double[] squares = new double[rows];
        for (int k = 0; k < components; k++) {
            int f = type == CovarianceType.FULL ? k : 0;
            kernel.mahalanobis(x, from * dims, rows, dims, means, k * dims, precisionFactors, f * dims * dims,
                    squares, 0, scratch);
            double constant = logWeights[k] - 0.5 * (dims * LOG_2PI + logDeterminants[f]);
            for (int r = 0; r < rows; r++) {
                out[r * components + k] = constant - 0.5 * squares[r];
            }
        }
    }

    /** The float means the diag/spherical kernel uses (also the shift of EM's float statistics); null otherwise. */
    float[] floatMeans() {
        return floatMeans;
    }

    double[] meansView() {
        return means;
    }

    void checkData(float[] x, int rows) {
        RowChunks.checkData(x, rows, dims);
    }

    @Override
    public String toString() {
        return "GaussianMixture[" + components + " " + type.label() + " components over " + dims + " features"
                + (iterations > 0 ? ", " + iterations + " EM iterations, " + (converged ? "converged" : "not converged")
                + ", lower bound " + lowerBound : "") + ", weights " + Arrays.toString(weights) + "]";
    }
}
