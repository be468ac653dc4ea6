package io.ugmm.model;

import io.ugmm.simd.LogSpace;
import io.ugmm.simd.MixtureBank;

/**
 * One uGMM layer: {@code nodes} neurons over {@code inputs} inputs, each neuron a univariate Gaussian
 * mixture with one component per input. Parameters are {@code [nodes][inputs]} row-major, named as in the
 * PyTorch reference's {@code state_dict}:
 * <ul>
 *   <li>{@code mu}: component means;</li>
 *   <li>{@code std}: log standard deviations ({@code sigma = exp(std)});</li>
 *   <li>{@code k}: mixing logits ({@code pi[j][.] = softmax(k[j][.])}).</li>
 * </ul>
 * For an input row {@code x}: {@code out[j] = logsumexp_n (log pi[j][n] + log N(x[n]; mu[j][n], sigma[j][n]^2))}.
 *
 * <p>Immutable: arrays are copied in and out; the kernel constants (1/sigma, log pi - log sigma - log(2 pi)/2)
 * are computed once, here.
 */
public final class UgmmLayer {
    private final int inputs;
    private final int nodes;
    private final float[] mu;
    private final float[] logStd;
    private final float[] logits;
    private final MixtureBank bank;

    private UgmmLayer(int inputs, int nodes, float[] mu, float[] logStd, float[] logits) {
        this.inputs = inputs;
        this.nodes = nodes;
        this.mu = mu;
        this.logStd = logStd;
        this.logits = logits;
        this.bank = MixtureBank.of(nodes, inputs, mu, logStd, logWeights(nodes, inputs, logits));
    }

    /**
     * A layer from its parameters, each {@code nodes x inputs} row-major (copied).
     *
     * @throws IllegalArgumentException on a wrong length or a non-finite value, naming the tensor and index
     */
    public static UgmmLayer of(int inputs, int nodes, float[] mu, float[] logStd, float[] logits) {
        if (inputs < 1 || nodes < 1) {
            throw new IllegalArgumentException("a layer needs at least 1 input and 1 node, got inputs=" + inputs
                    + " nodes=" + nodes);
        }
        int size = Math.multiplyExact(inputs, nodes);
        check("mu", mu, size, nodes, inputs);
        check("std", logStd, size, nodes, inputs);
        check("k", logits, size, nodes, inputs);
        return new UgmmLayer(inputs, nodes, mu.clone(), logStd.clone(), logits.clone());
    }

    private static void check(String name, float[] values, int size, int nodes, int inputs) {
        if (values == null) {
            throw new IllegalArgumentException(name + " is null; expected " + nodes + "x" + inputs + " values");
        }
        if (values.length != size) {
            throw new IllegalArgumentException(name + " has " + values.length + " values; expected " + size
                    + " (" + nodes + " nodes x " + inputs + " inputs)");
        }
        for (int e = 0; e < size; e++) {
            if (!Float.isFinite(values[e])) {
                throw new IllegalArgumentException(name + "[" + e / inputs + "][" + e % inputs + "] is " + values[e]
                        + "; parameters must be finite");
            }
        }
    }

    /** log softmax of each node's logits, in double then rounded. */
    static float[] logWeights(int nodes, int inputs, float[] logits) {
        double[] exact = logWeightsInDouble(nodes, inputs, logits);
        float[] out = new float[exact.length];
        for (int e = 0; e < exact.length; e++) {
            out[e] = (float) exact[e];
        }
        return out;
    }

    /** log softmax of each node's logits in double, not rounded (for {@link DoublePrecisionEvaluator}). */
    static double[] logWeightsInDouble(int nodes, int inputs, float[] logits) {
        double[] out = new double[logits.length];
        for (int j = 0; j < nodes; j++) {
            int p = j * inputs;
            double lse = LogSpace.logSumExp(logits, p, inputs);
            for (int n = 0; n < inputs; n++) {
                out[p + n] = logits[p + n] - lse;
            }
        }
        return out;
    }

    public int inputs() {
        return inputs;
    }

    public int nodes() {
        return nodes;
    }

    /** Number of parameters: 3 x nodes x inputs. */
    public long parameterCount() {
        return 3L * nodes * inputs;
    }

    /** A copy of the means, {@code [nodes][inputs]}. */
    public float[] mu() {
        return mu.clone();
    }

    /** A copy of the log standard deviations (the reference's {@code std}), {@code [nodes][inputs]}. */
    public float[] logStd() {
        return logStd.clone();
    }

    /** A copy of the mixing logits (the reference's {@code k}), {@code [nodes][inputs]}. */
    public float[] logits() {
        return logits.clone();
    }

    /** A copy of the normalised log mixing weights {@code log softmax(k)} per node. */
    public float[] logWeights() {
        return logWeights(nodes, inputs, logits);
    }

    /** The kernel-ready form of this layer (immutable, shared). */
    public MixtureBank bank() {
        return bank;
    }

    @Override
    public String toString() {
        return "UgmmLayer[" + inputs + " -> " + nodes + "]";
    }
}
