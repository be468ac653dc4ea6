package io.ugmm.model.train;

import io.ugmm.simd.MixtureKernel;

import java.util.SplittableRandom;

/**
 * Which mixing logits are dropped in one training forward pass: a dropped logit counts as
 * {@code -Infinity} before the softmax, so its component vanishes and the node's other weights renormalise
 * (no rescaling, as in the reference). One mask per layer per forward pass, shared by every row of the
 * mini-batch (and by every thread working on it).
 *
 * <p>Guard: a node whose components would all be dropped keeps one of them, chosen uniformly at random,
 * since a mixture with no component has no density (the reference would produce NaN there).
 */
public final class DropoutMask {
    private final int[] widths;
    private final boolean[][] dropped;

    private DropoutMask(int[] widths, boolean[][] dropped) {
        this.widths = widths;
        this.dropped = dropped;
    }

    /**
     * No component dropped anywhere.
     *
     * @param widths the network's widths: inputs, then each layer's nodes
     */
    public static DropoutMask none(int[] widths) {
        return new DropoutMask(widths.clone(), new boolean[widths.length - 1][]);
    }

    /**
     * Draws a mask: each logit of layer {@code l} is dropped independently with probability {@code rates[l]}.
     *
     * @param widths the network's widths: inputs, then each layer's nodes
     * @param rates  per uGMM layer, in [0, 1); 0 leaves the layer alone and draws nothing
     */
    public static DropoutMask draw(int[] widths, double[] rates, SplittableRandom random) {
        DropoutMask mask = new DropoutMask(widths.clone(), masks(widths, rates));
        mask.redraw(rates, random);
        return mask;
    }

    /**
     * A mask for {@link #redraw} (the trainer's, one per step without allocating it again): its arrays, and no
     * component dropped until the first redraw. Not for sharing while it is redrawn.
     */
    static DropoutMask reusable(int[] widths, double[] rates) {
        return new DropoutMask(widths.clone(), masks(widths, rates));
    }

    /** Per layer, an array for its logits where {@code rates[l] > 0}, else null. */
    private static boolean[][] masks(int[] widths, double[] rates) {
        if (rates.length != widths.length - 1) {
            throw new IllegalArgumentException("expected one dropout rate per layer (" + (widths.length - 1)
                    + "), found " + rates.length);
        }
        boolean[][] dropped = new boolean[rates.length][];
        for (int l = 0; l < rates.length; l++) {
            if (rates[l] > 0) {
                dropped[l] = new boolean[Math.multiplyExact(widths[l], widths[l + 1])];
            }
        }
        return dropped;
    }

    /**
     * Draws this mask again in place, as {@link #draw} with the same rates (the same random draws, so the same
     * mask for the same random state).
     */
    void redraw(double[] rates, SplittableRandom random) {
        for (int l = 0; l < rates.length; l++) {
            double p = rates[l];
            boolean[] d = dropped[l];
            if (p <= 0 || d == null) {
                continue;
            }
            int inputs = widths[l];
            int nodes = widths[l + 1];
            // random.nextDouble() < p, without the double: nextDouble() is (nextLong() >>> 11) * 2^-53, an integer
            // r times 2^-53, and r 2^-53 < p exactly when r < ceil(p 2^53) (the same draws and the same mask;
            // DropoutMaskTest checks it). 0.28 -> 0.16 ms per 100 352 draws on JDK 17.
            long below = (long) Math.ceil(p * 0x1p53);
            for (int j = 0; j < nodes; j++) {
                int kept = 0;
                for (int i = 0; i < inputs; i++) {
                    boolean drop = (random.nextLong() >>> 11) < below;
                    d[j * inputs + i] = drop;
                    kept += drop ? 0 : 1;
                }
                if (kept == 0) {
                    d[j * inputs + random.nextInt(inputs)] = false;
                }
            }
        }
    }

    /**
     * A given mask (e.g. fixed for a test): {@code dropped[l]} is {@code nodes x inputs} row-major or
     * {@code null} for a layer without dropout.
     *
     * @throws IllegalArgumentException for a wrong shape or a node with every component dropped
     */
    public static DropoutMask of(int[] widths, boolean[][] dropped) {
        if (dropped.length != widths.length - 1) {
            throw new IllegalArgumentException("expected one mask per layer (" + (widths.length - 1) + "), found "
                    + dropped.length);
        }
        boolean[][] copy = new boolean[dropped.length][];
        for (int l = 0; l < dropped.length; l++) {
            if (dropped[l] == null) {
                continue;
            }
            int inputs = widths[l];
            int nodes = widths[l + 1];
            if (dropped[l].length != nodes * inputs) {
                throw new IllegalArgumentException("mask of layer " + l + " has " + dropped[l].length
                        + " entries; expected " + nodes + "x" + inputs);
            }
            for (int j = 0; j < nodes; j++) {
                boolean any = false;
                for (int i = 0; i < inputs; i++) {
                    any |= !dropped[l][j * inputs + i];
                }
                if (!any) {
                    throw new IllegalArgumentException("mask of layer " + l + " drops every component of node " + j);
                }
            }
            copy[l] = dropped[l].clone();
        }
        return new DropoutMask(widths.clone(), copy);
    }

    /** Whether logit {@code [node][input]} of layer {@code layer} is dropped. */
    public boolean dropped(int layer, int node, int input) {
        boolean[] d = dropped[layer];
        return d != null && d[node * widths[layer] + input];
    }

    /** Whether layer {@code layer} has any dropout at all. */
    public boolean hasDropout(int layer) {
        return dropped[layer] != null;
    }

    /** Fraction of the logits of {@code layer} dropped (0 for a layer without dropout). */
    public double droppedFraction(int layer) {
        boolean[] d = dropped[layer];
        if (d == null) {
            return 0;
        }
        int count = 0;
        for (boolean b : d) {
            count += b ? 1 : 0;
        }
        return count / (double) d.length;
    }

    /**
     * Log mixing weights of layer {@code layer} from its logits with this mask applied: a log-softmax per
     * node over the kept logits (in double, then rounded); dropped entries are {@code -Infinity}.
     *
     * @param weights if not null, also receives the weights themselves (0 where dropped), which the
     *                gradient through the softmax needs; computed from the same exponentials
     */
    float[] logWeights(int layer, float[] logits, float[] into, float[] weights) {
        return logWeights(layer, logits, into, weights, 0, widths[layer + 1]);
    }

    /** {@link #logWeights(int, float[], float[], float[])} for nodes {@code [j0, j1)} only. */
    float[] logWeights(int layer, float[] logits, float[] into, float[] weights, int j0, int j1) {
        int inputs = widths[layer];
        boolean[] d = dropped[layer];
        for (int j = j0; j < j1; j++) {
            int p = j * inputs;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < inputs; i++) {
                if (d == null || !d[p + i]) {
                    max = Math.max(max, logits[p + i]);
                }
            }
            double sum = 0;
            for (int i = 0; i < inputs; i++) {
                if (d == null || !d[p + i]) {
                    double e = Math.exp(logits[p + i] - max);
                    sum += e;
                    if (weights != null) {
                        weights[p + i] = (float) e;
                    }
                }
            }
            double lse = max + Math.log(sum);
            double inverse = 1 / sum;
            for (int i = 0; i < inputs; i++) {
                boolean gone = d != null && d[p + i];
                into[p + i] = gone ? Float.NEGATIVE_INFINITY : (float) (logits[p + i] - lse);
                if (weights != null) {
                    weights[p + i] = gone ? 0f : (float) (weights[p + i] * inverse);
                }
            }
        }
        return into;
    }

    /**
     * The training path's {@link #logWeights(int, float[], float[], float[], int, int)}, nodes {@code [j0, j1)}:
     * the kernel's float log-softmax per node over the masked logits (dropped ones {@code -Infinity}), and
     * {@code weights = e^logWeights} from the kernel's float exp (0 where dropped). Within about 1e-6 of the
     * double version, at a fraction of its cost (its {@link Math#exp} per logit was a step's largest scalar
     * cost).
     */
    void logWeights(MixtureKernel kernel, int layer, float[] logits, float[] into, float[] weights, int j0, int j1) {
        int inputs = widths[layer];
        boolean[] d = dropped[layer];
        int from = j0 * inputs;
        int to = j1 * inputs;
        if (d == null) {
            System.arraycopy(logits, from, into, from, to - from);
        } else {
            // adds -Infinity (bits 0xff800000) or +0: a branch on a random mask mispredicts a third of the time
            for (int e = from; e < to; e++) {
                into[e] = logits[e] + Float.intBitsToFloat(0xff800000 & -(d[e] ? 1 : 0));
            }
        }
        for (int j = j0; j < j1; j++) {
            kernel.logSoftmax(into, j * inputs, inputs, into, j * inputs);
        }
        kernel.exp(into, from, to - from, weights, from);
    }

    float[] logWeights(int layer, float[] logits, float[] into) {
        return logWeights(layer, logits, into, null);
    }
}
