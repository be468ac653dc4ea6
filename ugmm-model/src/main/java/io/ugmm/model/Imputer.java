package io.ugmm.model;

import io.ugmm.model.train.Adam;
import io.ugmm.simd.LogSpace;
import io.ugmm.simd.MixtureKernel;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Imputation as continuous MPE: fills a row's missing ({@link Float#NaN}) features with
 * {@code argmax_{x_M} log p(x_O, x_M)} (for a generative model jointly with the label:
 * {@code argmax_{x_M, y} log p(x_O, x_M, y)}; for a classifier the objective is the log-sum-exp of the root
 * outputs), by gradient ascent on the missing inputs in standardised space. The gradient is the kernels'
 * {@code dL/dx}, back through every layer. Every label state and every start ({@code restarts}: the training
 * mean first, then draws from N(0, 1) in standardised units, from a fixed seed so answers repeat) runs as
 * one row of a single batch; the best row seen wins.
 *
 * <p>The search stays inside each feature's training range widened by a tenth on each side (projected
 * ascent): beyond it the model never saw data, and a density's maximum out there is extrapolation.
 *
 * <p>Adam with a step size falling linearly from {@value #FIRST_STEP} to {@value #LAST_STEP} standardised
 * units over {@value #STEPS} steps. Not thread-safe (one per thread); the model is shared.
 */
public final class Imputer {
    static final int STEPS = 200;
    static final double FIRST_STEP = 0.1;
    static final double LAST_STEP = 0.002;
    private static final long SEED = 0x5EEDL;
    /** Random candidates screened per restart after the first. */
    static final int CANDIDATES = 16;
    /** Candidates are drawn uniformly from [-SPREAD, SPREAD] standardised units (a whole training range). */
    static final double SPREAD = 3.5;

    private final UgmmModel model;
    private final UgmmNetwork network;
    private final MixtureKernel kernel;
    private final int restarts;
    private final int states;
    private final int width;
    private final int rows;
    private final float[] x;
    private final float[][] activations;
    private final float[] gradOut;
    private final float[] gradIn;
    private final float[] paramGrad;
    private final float[] scratch;
    private final float[] best;
    private final double[] bestObjective;
    /** Per network input: the box the search stays in (see {@link UgmmModel#imputationRange}). */
    private final float[] low;
    private final float[] high;

    /** @param restarts starting points per label state, at least 1 */
    public Imputer(UgmmModel model, int restarts) {
        this.model = Objects.requireNonNull(model, "model");
        if (restarts < 1 || restarts > 1000) {
            throw new IllegalArgumentException("restarts must be in [1, 1000], found " + restarts);
        }
        this.network = model.network();
        this.kernel = network.kernel();
        this.restarts = restarts;
        this.states = model.generative() ? model.classCount() : 1;
        this.width = network.inputs();
        this.rows = states * restarts;
        List<UgmmLayer> layers = network.layers();
        this.x = new float[rows * width];
        this.activations = new float[layers.size()][];
        int widest = width;
        int widestParams = 0;
        for (int l = 0; l < layers.size(); l++) {
            activations[l] = new float[rows * layers.get(l).nodes()];
            widest = Math.max(widest, layers.get(l).nodes());
            widestParams = Math.max(widestParams, 3 * layers.get(l).nodes() * layers.get(l).inputs());
        }
        this.gradOut = new float[rows * widest];
        this.gradIn = new float[rows * widest];
        this.paramGrad = new float[widestParams];
        this.scratch = new float[MixtureKernel.scratchLength(widest)];
        this.best = new float[rows * width];
        this.bestObjective = new double[rows];
        this.low = new float[width];
        this.high = new float[width];
        for (int f = 0; f < model.inputCount(); f++) {
            float[] range = model.imputationRange(f);
            low[f] = range[0];
            high[f] = range[1];
        }
    }

    /** {@code v} moved into input {@code f}'s search box. */
    private float clamp(int f, float v) {
        return Math.max(low[f], Math.min(high[f], v));
    }

    /**
     * Completes one row of {@link UgmmModel#inputCount()} raw features, NaN where missing.
     *
     * @throws InvalidFeatureException for an infinite feature, a row with every feature missing, or a
     *                                 standardisation overflow
     */
    public Imputation impute(float[] features) {
        Objects.requireNonNull(features, "features");
        int n = model.inputCount();
        if (features.length != n) {
            throw new IllegalArgumentException("expected " + n + " features " + model.describeInputs() + ", found "
                    + features.length);
        }
        float[] prepared = new float[states * width];
        model.prepare(features, 0, 1, prepared, new boolean[1], MissingPolicy.MARGINALIZE);
        int[] missing = missingFeatures(prepared, n);
        chooseStarts(prepared, missing);
        Arrays.fill(bestObjective, Double.NEGATIVE_INFINITY);
        if (missing.length == 0) {
            evaluate(null);
        } else {
            ascend(missing);
        }
        int winner = 0;
        for (int r = 1; r < rows; r++) {
            winner = bestObjective[r] > bestObjective[winner] ? r : winner;
        }
        float[] completed = features.clone();
        double[] mean = model.standardization().map(FeatureStandardization::means).orElse(null);
        double[] std = model.standardization().map(FeatureStandardization::standardDeviations).orElse(null);
        for (int f : missing) {
            float z = best[winner * width + f];
            completed[f] = mean == null ? z : (float) (mean[f] + z * (std[f] == 0 ? 1 : std[f]));
        }
        int label = model.generative() ? winner / restarts : classOf(winner);
        return new Imputation(completed, label, label < 0 ? null : model.className(label), bestObjective[winner],
                missing.length);
    }

    /**
     * The starts of each label state: the training mean, then the best of {@value #CANDIDATES} candidates per
     * further restart, by their log-density (one forward pass): the density has many local maxima, and a start
     * in the right basin matters more than the steps after it. Candidates are uniform draws from
     * [-{@value #SPREAD}, {@value #SPREAD}] standardised units and first-layer component means.
     */
    private void chooseStarts(float[] prepared, int[] missing) {
        SplittableRandom random = new SplittableRandom(SEED);
        int pool = Math.max(1, (restarts - 1) * CANDIDATES);
        float[] firstMeans = network.layers().get(0).mu();
        int firstNodes = network.layers().get(0).nodes();
        float[] candidates = new float[pool * width];
        float[] scores = new float[pool];
        for (int s = 0; s < states; s++) {
            for (int c = 0; c < pool; c++) {
                System.arraycopy(prepared, s * width, candidates, c * width, width);
                for (int f : missing) {
                    // every other candidate takes, per coordinate, a first-layer component's mean: where the
                    // model puts mass, also in the tails that N(0, 1) draws seldom reach
                    candidates[c * width + f] = clamp(f, c % 2 == 0 ? (float) (SPREAD * (2 * random.nextDouble() - 1))
                            : firstMeans[random.nextInt(firstNodes) * width + f]);
                }
            }
            float[] root = network.forwardBatch(candidates, pool);
            int outputs = network.outputs();
            for (int c = 0; c < pool; c++) {
                scores[c] = (float) objective(root, c * outputs, outputs, null);
            }
            for (int k = 0; k < restarts; k++) {
                int row = (s * restarts + k) * width;
                System.arraycopy(prepared, s * width, x, row, width);
                if (k == 0) {
                    for (int f : missing) {
                        x[row + f] = 0f;
                    }
                    continue;
                }
                int pick = 0;
                for (int c = 1; c < pool; c++) {
                    pick = scores[c] > scores[pick] ? c : pick;
                }
                scores[pick] = Float.NEGATIVE_INFINITY;
                System.arraycopy(candidates, pick * width, x, row, width);
            }
        }
    }

    private static int[] missingFeatures(float[] prepared, int n) {
        int count = 0;
        for (int f = 0; f < n; f++) {
            count += prepared[f] != prepared[f] ? 1 : 0;
        }
        int[] missing = new int[count];
        for (int f = 0, k = 0; f < n; f++) {
            if (prepared[f] != prepared[f]) {
                missing[k++] = f;
            }
        }
        return missing;
    }

    private void ascend(int[] missing) {
        int m = missing.length;
        float[] params = new float[rows * m];
        float[] grad = new float[rows * m];
        float[] moment1 = new float[rows * m];
        float[] moment2 = new float[rows * m];
        Adam adam = Adam.standard();
        float[] gx = new float[rows * width];
        for (int step = 0; step <= STEPS; step++) {
            Arrays.fill(gx, 0f);
            evaluate(step < STEPS ? gx : null);
            if (step == STEPS) {
                break;
            }
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < m; k++) {
                    params[r * m + k] = x[r * width + missing[k]];
                    grad[r * m + k] = gx[r * width + missing[k]];
                }
            }
            adam.beginStep();
            double lr = FIRST_STEP + (LAST_STEP - FIRST_STEP) * step / (STEPS - 1.0);
            adam.update(params, 0, grad, 0, moment1, moment2, 0, rows * m, lr);
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < m; k++) {
                    // projected ascent: the model was trained (and its noise drawn) inside the box only
                    x[r * width + missing[k]] = clamp(missing[k], params[r * m + k]);
                }
            }
        }
    }

    /**
     * Forward pass of every row; keeps each row's best point so far; with {@code gx} not null, writes
     * {@code d(-objective)/dx} there (the descent direction's negative, as Adam minimises).
     */
    private void evaluate(float[] gx) {
        List<UgmmLayer> layers = network.layers();
        int last = layers.size() - 1;
        float[] src = x;
        for (int l = 0; l <= last; l++) {
            kernel.forward(src, 0, rows, layers.get(l).bank(), activations[l], 0, scratch);
            src = activations[l];
        }
        int outputs = network.outputs();
        float[] root = activations[last];
        for (int r = 0; r < rows; r++) {
            double objective = objective(root, r * outputs, outputs, gx == null ? null : gradOut);
            if (objective > bestObjective[r]) {
                bestObjective[r] = objective;
                System.arraycopy(x, r * width, best, r * width, width);
            }
        }
        if (gx == null) {
            return;
        }
        float[] g = gradOut;
        float[] gNext = gradIn;
        for (int l = last; l >= 0; l--) {
            UgmmLayer layer = layers.get(l);
            float[] input = l == 0 ? x : activations[l - 1];
            float[] into = l == 0 ? gx : gNext;
            if (l > 0) {
                Arrays.fill(into, 0, rows * layer.inputs(), 0f);
            }
            Arrays.fill(paramGrad, 0, 3 * layer.nodes() * layer.inputs(), 0f);
            kernel.backward(input, 0, rows, layer.bank(), activations[l], 0, g, 0, paramGrad, 0, into, 0);
            float[] t = g;
            g = gNext;
            gNext = t;
        }
    }

    /**
     * Row {@code r}'s objective from its root outputs and, when {@code g} is not null, minus its gradient with
     * respect to them: the single output of a generative model, log-sum-exp of a classifier's outputs.
     * −∞ (or NaN) counts as −∞ with a zero gradient.
     */
    private static double objective(float[] root, int off, int outputs, float[] g) {
        double lse = LogSpace.logSumExp(root, off, outputs);
        if (!(lse > Double.NEGATIVE_INFINITY)) {
            if (g != null) {
                Arrays.fill(g, off, off + outputs, 0f);
            }
            return Double.NEGATIVE_INFINITY;
        }
        if (g != null) {
            for (int k = 0; k < outputs; k++) {
                g[off + k] = (float) -Math.exp(root[off + k] - lse);
            }
        }
        return lse;
    }

    /** A classifier's best class at row {@code row}'s best point (the last pass may have been elsewhere). */
    private int classOf(int row) {
        float[] out = network.forward(Arrays.copyOfRange(best, row * width, (row + 1) * width));
        return UgmmNetwork.argmax(out, 0, network.outputs());
    }
}
