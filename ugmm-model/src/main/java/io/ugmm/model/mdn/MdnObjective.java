package io.ugmm.model.mdn;

import io.ugmm.simd.DenseKernel;
import io.ugmm.simd.MixtureKernel;

import java.util.Arrays;

/**
 * The loss of a mixture density network and its gradient, for rows already in the model's standardised
 * units (see {@link Scaling}): one per thread, holding that thread's activations (not thread-safe).
 *
 * <p>Per row, with the head's logits {@code a}, means {@code mu} and log standard deviations {@code s}
 * (floored: {@code s' = max(s, floor_d)}), the loss is computed in log space only:
 * <pre>
 *   t_k  = log softmax(a)_k - sum_d [ s'_kd + log(2 pi)/2 + z_kd^2 / 2 ],   z_kd = (y_d - mu_kd) e^{-s'_kd}
 *   loss = -logsumexp_k t_k
 * </pre>
 * and, with responsibilities {@code g_k = exp(t_k + loss)}: {@code dL/da_k = softmax(a)_k - g_k},
 * {@code dL/dmu_kd = -g_k z_kd e^{-s'_kd}}, {@code dL/ds_kd = g_k (1 - z_kd^2)} (0 where the floor holds
 * {@code s} up). The log-softmax and logsumexp over the K components are the project's scalar mixture
 * kernel's (K is a handful, less than one vector: the vector kernel's per-call setup would cost more than
 * the work); the matrix products and activations are the dense kernels.
 */
public final class MdnObjective {
    static final float HALF_LOG_2PI = (float) (0.5 * Math.log(2 * Math.PI));

    private final MdnShape shape;
    private final float[] logStdFloor;
    private final int maxRows;
    private final DenseKernel dense;
    private final MixtureKernel mixture;
    /** acts[l] = output of layer l-1 after its activation (acts[0] unused: the input is read in place). */
    private final float[][] acts;
    private final float[][] deltas;
    private final float[] scratch;
    private final float[] logPi;
    private final float[] terms;
    /** Per component and target dimension of the current row: z and e^{-s'}. */
    private final float[] zs;
    private final float[] invStds;
    private int firstBadRow = -1;
    private double firstBadLoss;

    /**
     * @param logStdFloor per target dimension, the smallest log standard deviation in model units
     *                    ({@code -Infinity}: none)
     * @param maxRows     rows per internal chunk (the workspace holds this many)
     */
    public MdnObjective(MdnShape shape, float[] logStdFloor, int maxRows, DenseKernel dense, MixtureKernel mixture) {
        if (logStdFloor.length != shape.targets()) {
            throw new IllegalArgumentException("expected " + shape.targets() + " log-std floors, found "
                    + logStdFloor.length);
        }
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, found " + maxRows);
        }
        this.shape = shape;
        this.logStdFloor = logStdFloor.clone();
        this.maxRows = maxRows;
        this.dense = dense;
        this.mixture = mixture;
        int layers = shape.layers();
        acts = new float[layers + 1][];
        deltas = new float[layers + 1][];
        int biggestMatrix = 1;
        for (int l = 0; l < layers; l++) {
            acts[l + 1] = new float[maxRows * shape.out(l)];
            deltas[l + 1] = new float[maxRows * shape.out(l)];
            biggestMatrix = Math.max(biggestMatrix, DenseKernel.scratchLength(maxRows, shape.in(l), shape.out(l)));
        }
        scratch = new float[biggestMatrix];
        logPi = new float[shape.components()];
        terms = new float[shape.components()];
        zs = new float[shape.components() * shape.targets()];
        invStds = new float[shape.components() * shape.targets()];
    }

    public MdnShape shape() {
        return shape;
    }

    /**
     * Head outputs for {@code rows <= maxRows} rows (logits, means, log-stds per row; see {@link MdnShape}),
     * in an array of this workspace that the next call overwrites.
     */
    float[] forward(float[] params, float[] x, int xOff, int rows) {
        float[] in = x;
        int inOff = xOff;
        for (int l = 0; l < shape.layers(); l++) {
            float[] out = acts[l + 1];
            dense.forward(in, inOff, rows, shape.in(l), params, shape.weightOffset(l), params, shape.biasOffset(l),
                    shape.out(l), out, 0, scratch);
            if (l < shape.layers() - 1) {
                if (shape.activation() == Activation.TANH) {
                    dense.tanh(out, 0, rows * shape.out(l));
                } else {
                    dense.relu(out, 0, rows * shape.out(l));
                }
            }
            in = out;
            inOff = 0;
        }
        return acts[shape.layers()];
    }

    /**
     * Sum over {@code rows} rows of the loss (model units), adding {@code weight * dL/dparams} to {@code grad}
     * (same layout as {@code params}). Rows are processed in chunks of {@code maxRows}, in order. A row whose
     * loss is not finite is recorded ({@link #firstNonFiniteRow()}) and contributes nothing to the gradient.
     */
    public double lossAndGradient(float[] params, float[] x, int xOff, float[] y, int yOff, int rows, float weight,
                                  float[] grad) {
        firstBadRow = -1;
        double sum = 0;
        for (int from = 0; from < rows; from += maxRows) {
            int count = Math.min(maxRows, rows - from);
            sum += chunk(params, x, xOff + from * shape.inputs(), y, yOff + from * shape.targets(), count, weight,
                    grad, from);
        }
        return sum;
    }

    /** Sum of the losses only (no gradient). */
    public double loss(float[] params, float[] x, int xOff, float[] y, int yOff, int rows) {
        double sum = 0;
        for (int from = 0; from < rows; from += maxRows) {
            int count = Math.min(maxRows, rows - from);
            float[] head = forward(params, x, xOff + from * shape.inputs(), count);
            for (int r = 0; r < count; r++) {
                sum += headRow(head, r * shape.headOutputs(), y, yOff + (from + r) * shape.targets(), null, 0, 0f);
            }
        }
        return sum;
    }

    /** Index (within the last call's rows) of the first row with a non-finite loss, or -1. */
    public int firstNonFiniteRow() {
        return firstBadRow;
    }

    /** The loss of {@link #firstNonFiniteRow()}. */
    public double firstNonFiniteLoss() {
        return firstBadLoss;
    }

    private double chunk(float[] params, float[] x, int xOff, float[] y, int yOff, int rows, float weight,
                         float[] grad, int firstRow) {
        int layers = shape.layers();
        int p = shape.headOutputs();
        float[] head = forward(params, x, xOff, rows);
        float[] dHead = deltas[layers];
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double loss = headRow(head, r * p, y, yOff + r * shape.targets(), dHead, r * p, weight);
            if (!Double.isFinite(loss)) {
                Arrays.fill(dHead, r * p, (r + 1) * p, 0f);
                if (firstBadRow < 0) {
                    firstBadRow = firstRow + r;
                    firstBadLoss = loss;
                }
            }
            sum += loss;
        }
        for (int l = layers - 1; l >= 0; l--) {
            float[] in = l == 0 ? x : acts[l];
            int inOff = l == 0 ? xOff : 0;
            float[] d = deltas[l + 1];
            if (l < layers - 1) {
                int len = rows * shape.out(l);
                if (shape.activation() == Activation.TANH) {
                    dense.tanhBackward(acts[l + 1], 0, d, 0, len);
                } else {
                    dense.reluBackward(acts[l + 1], 0, d, 0, len);
                }
            }
            dense.backwardWeights(in, inOff, rows, shape.in(l), d, 0, shape.out(l), grad, shape.weightOffset(l),
                    grad, shape.biasOffset(l), scratch);
            if (l > 0) {
                dense.backwardInput(d, 0, rows, shape.out(l), params, shape.weightOffset(l), shape.in(l),
                        deltas[l], 0, scratch);
            }
        }
        return sum;
    }

    /**
     * The loss of one row from its head outputs at {@code h}; when {@code dHead != null} also writes
     * {@code weight * dL/dhead} there.
     */
    private double headRow(float[] head, int h, float[] y, int yOff, float[] dHead, int dOff, float weight) {
        int k = shape.components();
        int dims = shape.targets();
        int mu = h + k;
        int s = mu + k * dims;
        mixture.logSoftmax(head, h, k, logPi, 0);
        for (int c = 0; c < k; c++) {
            float t = logPi[c];
            for (int d = 0; d < dims; d++) {
                int e = c * dims + d;
                float logStd = Math.max(head[s + e], logStdFloor[d]);
                float inv = (float) Math.exp(-logStd);
                float z = (y[yOff + d] - head[mu + e]) * inv;
                zs[e] = z;
                invStds[e] = inv;
                t -= logStd + HALF_LOG_2PI + 0.5f * z * z;
            }
            terms[c] = t;
        }
        float lse = mixture.logSumExp(terms, 0, k);
        if (dHead != null && Float.isFinite(lse)) {
            int dMu = dOff + k;
            int dS = dMu + k * dims;
            for (int c = 0; c < k; c++) {
                float gamma = (float) Math.exp(terms[c] - lse);
                dHead[dOff + c] = weight * ((float) Math.exp(logPi[c]) - gamma);
                float wg = weight * gamma;
                for (int d = 0; d < dims; d++) {
                    int e = c * dims + d;
                    float z = zs[e];
                    dHead[dMu + e] = -wg * z * invStds[e];
                    dHead[dS + e] = head[s + e] > logStdFloor[d] ? wg * (1 - z * z) : 0f;
                }
            }
        }
        return -lse;
    }
}
