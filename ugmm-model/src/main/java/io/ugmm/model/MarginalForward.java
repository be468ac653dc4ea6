package io.ugmm.model;

import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;

import java.util.List;

/**
 * The forward pass of a network whose input rows may have missing values (NaN), evaluated on the existing
 * kernels and banks: a missing input is set to +∞, which makes its component's term
 * {@code bias - ((x - mu) * scale)^2} exactly −∞ in every first-layer node (its weight is masked); each
 * node's output then gets the policy's correction (see {@link MissingPolicy}): for
 * {@link MissingPolicy#MARGINALIZE} minus {@code log sum_{i in O} w_ji}, which is the log-softmax of the
 * logits over the observed components, i.e. the training-time forward with those components dropped.
 * Rows with nothing missing pass through untouched, so their outputs equal the plain forward pass bit for bit.
 *
 * <p>Cost over the plain pass: one scan of each row for NaN and, per row with missing values and per
 * first-layer node, a sum of {@code min(|M|, |O|)} precomputed weights (stored input-major, so each
 * input's weights for every node are one contiguous, vectorisable add).
 *
 * <p>Immutable (the first layer's weights in double); per-call scratch is the caller's {@link Scratch}.
 */
final class MarginalForward {
    private final UgmmNetwork network;
    private final int inputs;
    private final int nodes;
    /** exp(log w) of the first layer's float log-weights, input-major: [inputs][nodes], in double. */
    private final double[] weights;
    /** Per first-layer node: the sum of its weights (1 up to float rounding of the log-weights). */
    private final double[] totals;
    /** The first layer's float log-weights, for the rare node whose observed weights all underflow. */
    private final float[] logWeights;

    MarginalForward(UgmmNetwork network) {
        this.network = network;
        UgmmLayer first = network.layers().get(0);
        this.inputs = first.inputs();
        this.nodes = first.nodes();
        this.logWeights = first.logWeights();
        this.weights = new double[logWeights.length];
        this.totals = new double[nodes];
        for (int e = 0; e < logWeights.length; e++) {
            double w = Math.exp(logWeights[e]);
            weights[(e % inputs) * nodes + e / inputs] = w;
            totals[e / inputs] += w;
        }
    }

    /** Per-thread scratch for batches of up to the workspace's rows. */
    final class Scratch {
        final double[] correction;
        final boolean[] hasMissing;
        final int[] missing = new int[inputs];
        final int[] observed = new int[inputs];
        final double[] sums = new double[nodes];

        Scratch(int maxRows) {
            correction = new double[Math.multiplyExact(maxRows, nodes)];
            hasMissing = new boolean[maxRows];
        }
    }

    Scratch newScratch(Workspace ws) {
        return new Scratch(ws.maxRows);
    }

    /**
     * The root outputs for {@code rows} network input rows at {@code x[0..]} (NaN = missing; overwritten
     * with +∞ there), into {@code out[0..]}.
     *
     * @throws IllegalArgumentException for a row whose inputs are all missing, or an infinite input
     */
    void forward(float[] x, int rows, float[] out, Workspace ws, Scratch s, MissingPolicy policy) {
        int outputs = network.outputs();
        ws.enter();
        try {
            for (int done = 0; done < rows; done += ws.maxRows) {
                int chunk = Math.min(ws.maxRows, rows - done);
                forwardChunk(x, done * inputs, chunk, out, done * outputs, ws, s, policy, done);
            }
        } finally {
            ws.exit();
        }
    }

    private void forwardChunk(float[] x, int xOff, int rows, float[] out, int outOff, Workspace ws, Scratch s,
                              MissingPolicy policy, int firstRow) {
        for (int r = 0; r < rows; r++) {
            s.hasMissing[r] = maskRow(x, xOff + r * inputs, s, r, policy, firstRow + r);
        }
        List<UgmmLayer> layers = network.layers();
        MixtureKernel kernel = network.kernel();
        int last = layers.size() - 1;
        float[] src = x;
        int srcOff = xOff;
        for (int l = 0; l <= last; l++) {
            float[] dst = l == last ? out : (l % 2 == 0 ? ws.ping : ws.pong);
            int dstOff = l == last ? outOff : 0;
            MixtureBank bank = layers.get(l).bank();
            kernel.forward(src, srcOff, rows, bank, dst, dstOff, ws.scratch);
            if (l == 0) {
                correct(dst, dstOff, rows, s, policy);
            }
            src = dst;
            srcOff = dstOff;
        }
    }

    /**
     * Finds row {@code r}'s missing inputs; when there are some, sets them to +∞ and computes the per-node
     * corrections into {@code s.correction}. Returns whether the row has any.
     */
    private boolean maskRow(float[] x, int off, Scratch s, int r, MissingPolicy policy, int rowOfCall) {
        int m = 0;
        int o = 0;
        for (int i = 0; i < inputs; i++) {
            float v = x[off + i];
            if (v != v) {
                s.missing[m++] = i;
            } else if (Float.isInfinite(v)) {
                throw new IllegalArgumentException("input row " + rowOfCall + ", column " + i + " is " + v
                        + "; inputs must be finite or NaN (missing)");
            } else {
                s.observed[o++] = i;
            }
        }
        if (m == 0) {
            return false;
        }
        if (o == 0) {
            throw new IllegalArgumentException("input row " + rowOfCall + " has every input missing; at least one"
                    + " must be known");
        }
        for (int k = 0; k < m; k++) {
            x[off + s.missing[k]] = Float.POSITIVE_INFINITY;
        }
        int c = r * nodes;
        if (policy == MissingPolicy.MASK_UNNORMALIZED) {
            java.util.Arrays.fill(s.correction, c, c + nodes, 0);
            return true;
        }
        // per node, the weight on the missing inputs (or on the observed ones, when fewer)
        boolean fromMissing = m <= o || policy == MissingPolicy.UNIT_DENSITY;
        double[] sums = s.sums;
        addWeights(fromMissing ? s.missing : s.observed, fromMissing ? m : o, sums);
        for (int j = 0; j < nodes; j++) {
            if (policy == MissingPolicy.UNIT_DENSITY) {
                s.correction[c + j] = Math.log(sums[j]);
                continue;
            }
            double observedWeight = fromMissing ? totals[j] - sums[j] : sums[j];
            // beware cancellation: when the observed inputs carry almost nothing, sum them directly
            s.correction[c + j] = fromMissing && !(observedWeight > 1e-3 * totals[j]) || !(observedWeight > 0)
                    ? -logObservedWeight(j, s, o) : -Math.log(observedWeight);
        }
        return true;
    }

    /** {@code sums[j] = sum_k w[j][set[k]]} for every node j, one contiguous add per input. */
    private void addWeights(int[] set, int count, double[] sums) {
        java.util.Arrays.fill(sums, 0);
        for (int k = 0; k < count; k++) {
            int q = set[k] * nodes;
            for (int j = 0; j < nodes; j++) {
                sums[j] += weights[q + j];
            }
        }
    }

    /** log of node j's total weight on the observed inputs, summed directly (log-sum-exp if it underflows). */
    private double logObservedWeight(int j, Scratch s, int o) {
        double sum = 0;
        for (int k = 0; k < o; k++) {
            sum += weights[s.observed[k] * nodes + j];
        }
        if (sum > 0) {
            return Math.log(sum);
        }
        int p = j * inputs;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < o; k++) {
            max = Math.max(max, logWeights[p + s.observed[k]]);
        }
        double rest = 0;
        for (int k = 0; k < o; k++) {
            rest += Math.exp(logWeights[p + s.observed[k]] - max);
        }
        return max + Math.log(rest);
    }

    private void correct(float[] h, int off, int rows, Scratch s, MissingPolicy policy) {
        for (int r = 0; r < rows; r++) {
            if (!s.hasMissing[r]) {
                continue;
            }
            int hr = off + r * nodes;
            int c = r * nodes;
            for (int j = 0; j < nodes; j++) {
                float v = h[hr + j];
                double k = s.correction[c + j];
                if (policy == MissingPolicy.UNIT_DENSITY) {
                    double hi = Math.max(v, k);
                    h[hr + j] = (float) (hi + Math.log(Math.exp(v - hi) + Math.exp(k - hi)));
                } else if (policy == MissingPolicy.MARGINALIZE) {
                    h[hr + j] = (float) (v + k);
                }
            }
        }
    }
}
