package io.ugmm.model.mdn;

import io.ugmm.simd.DenseKernels;
import io.ugmm.simd.MixtureKernels;

import java.util.Arrays;

/**
 * A trained mixture density network: for an input x (raw units) a {@link ConditionalMixture} over the target.
 * Immutable and thread-safe: every query allocates its own small workspace, so one instance serves many
 * threads at once. Inputs must be finite and of the right length; anything else is an
 * {@link IllegalArgumentException} naming what was expected and found.
 */
public final class MixtureDensityNetwork {
    private final MdnShape shape;
    private final float[] params;
    private final Scaling scaling;
    private final float minStd;
    private final float[] logStdFloor;

    /**
     * @param params  the flat parameters in {@link MdnShape}'s layout, model units (copied)
     * @param scaling the standardisation the parameters expect
     * @param minStd  the floor on every component's standard deviation, raw target units (0: none)
     */
    public MixtureDensityNetwork(MdnShape shape, float[] params, Scaling scaling, float minStd) {
        if (params.length != shape.parameterCount()) {
            throw new IllegalArgumentException("a " + shape + " network has " + shape.parameterCount()
                    + " parameters, found " + params.length);
        }
        for (int e = 0; e < params.length; e++) {
            if (!Float.isFinite(params[e])) {
                throw new IllegalArgumentException("parameter " + e + " is " + params[e]);
            }
        }
        if (scaling.inputMean().length != shape.inputs() || scaling.targetMean().length != shape.targets()) {
            throw new IllegalArgumentException("the scaling is for " + scaling.inputMean().length + " inputs and "
                    + scaling.targetMean().length + " targets, the network has " + shape.inputs() + " and "
                    + shape.targets());
        }
        if (!(minStd >= 0) || !Float.isFinite(minStd)) {
            throw new IllegalArgumentException("the minimum standard deviation must be finite and >= 0, found "
                    + minStd);
        }
        this.shape = shape;
        this.params = params.clone();
        this.scaling = scaling;
        this.minStd = minStd;
        this.logStdFloor = logStdFloor(minStd, scaling);
    }

    /** Per target dimension, log(minStd / targetStd): the floor in model units. */
    static float[] logStdFloor(float minStd, Scaling scaling) {
        float[] std = scaling.targetStd();
        float[] floor = new float[std.length];
        for (int d = 0; d < std.length; d++) {
            floor[d] = minStd > 0 ? (float) Math.log(minStd / (double) std[d]) : Float.NEGATIVE_INFINITY;
        }
        return floor;
    }

    public MdnShape shape() {
        return shape;
    }

    /** A copy of the flat parameters (model units). */
    public float[] parameters() {
        return params.clone();
    }

    public Scaling scaling() {
        return scaling;
    }

    /** The floor on component standard deviations, raw target units (0: none). */
    public float minStd() {
        return minStd;
    }

    /** The K components predicted for input {@code x}. */
    public ConditionalMixture mixture(float[] x) {
        return mixtures(x, 1)[0];
    }

    /** The mixtures for {@code rows} inputs, row-major {@code rows x inputs}. */
    public ConditionalMixture[] mixtures(float[] x, int rows) {
        checkInputs(x, rows);
        float[] head = head(x, rows);
        ConditionalMixture[] out = new ConditionalMixture[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = toMixture(head, r * shape.headOutputs());
        }
        return out;
    }

    /** {@code log p(y | x)} in raw units. */
    public double logDensity(float[] x, float[] y) {
        return logDensities(x, y, 1)[0];
    }

    /** {@code log p(y_r | x_r)} for {@code rows} rows. */
    public double[] logDensities(float[] x, float[] y, int rows) {
        checkInputs(x, rows);
        if (y.length != rows * shape.targets()) {
            throw new IllegalArgumentException("expected " + rows + " rows of " + shape.targets() + " target values ("
                    + rows * shape.targets() + "), found " + y.length);
        }
        double[] out = new double[rows];
        double[] point = new double[shape.targets()];
        float[] head = head(x, rows);
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < point.length; d++) {
                point[d] = y[r * point.length + d];
                if (!Double.isFinite(point[d])) {
                    throw new IllegalArgumentException("target row " + r + ", column " + d + " is " + point[d]
                            + "; expected a finite number");
                }
            }
            out[r] = toMixture(head, r * shape.headOutputs()).logDensity(point);
        }
        return out;
    }

    /** Mean negative log-likelihood in nats per row, raw units: the usual test score of an MDN. */
    public double meanNegativeLogLikelihood(float[] x, float[] y, int rows) {
        double sum = 0;
        for (double v : logDensities(x, y, rows)) {
            sum -= v;
        }
        return sum / rows;
    }

    /** {@code n} draws from the mixture for {@code x} ({@link ConditionalMixture#sample}). */
    public double[][] sample(float[] x, int n, double temperature, long seed) {
        return mixture(x).sample(n, temperature, seed);
    }

    /** The conditional mean {@code E[y | x]}. */
    public double[] mean(float[] x) {
        return mixture(x).mean();
    }

    /** The most probable target for {@code x} ({@link ConditionalMixture#mode()}). */
    public double[] mode(float[] x) {
        return mixture(x).mode();
    }

    private void checkInputs(float[] x, int rows) {
        if (rows < 0 || x.length != (long) rows * shape.inputs()) {
            throw new IllegalArgumentException("expected " + rows + " rows of " + shape.inputs() + " input values ("
                    + (long) rows * shape.inputs() + "), found " + x.length);
        }
        for (int e = 0; e < x.length; e++) {
            if (!Float.isFinite(x[e])) {
                throw new IllegalArgumentException("input row " + e / shape.inputs() + ", column "
                        + e % shape.inputs() + " is " + x[e] + "; expected a finite number");
            }
        }
    }

    /** Head outputs (model units) for raw inputs; a fresh workspace per call keeps this thread-safe. */
    private float[] head(float[] x, int rows) {
        if (rows == 0) {
            return new float[0];
        }
        MdnObjective objective = new MdnObjective(shape, logStdFloor, rows, DenseKernels.preferred(),
                MixtureKernels.scalar());
        return Arrays.copyOf(objective.forward(params, scaling.inputs(x), 0, rows), rows * shape.headOutputs());
    }

    private ConditionalMixture toMixture(float[] head, int h) {
        int k = shape.components();
        int dims = shape.targets();
        float[] mean = scaling.targetMean();
        float[] std = scaling.targetStd();
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, head[h + c]);
        }
        double[] w = new double[k];
        double total = 0;
        for (int c = 0; c < k; c++) {
            w[c] = Math.exp(head[h + c] - max);
            total += w[c];
        }
        double[][] mu = new double[k][dims];
        double[][] sigma = new double[k][dims];
        for (int c = 0; c < k; c++) {
            w[c] /= total;
            for (int d = 0; d < dims; d++) {
                int e = c * dims + d;
                mu[c][d] = mean[d] + (double) std[d] * head[h + k + e];
                double logStd = Math.max(head[h + k + k * dims + e], logStdFloor[d]);
                sigma[c][d] = std[d] * Math.exp(logStd);
            }
        }
        return new ConditionalMixture(w, mu, sigma);
    }
}
