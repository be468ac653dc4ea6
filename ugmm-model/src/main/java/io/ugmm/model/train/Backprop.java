package io.ugmm.model.train;

import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;

/**
 * Forward pass, loss and backward pass of a network for one chunk of rows, with reusable buffers: the
 * per-thread engine of training. Not thread-safe; allocates nothing per call.
 *
 * <p>Gradients accumulate into {@code grads[l]}: for layer {@code l} three {@code nodes x inputs} blocks,
 * means then log standard deviations then log mixing weights (the kernel's layout, see
 * {@link MixtureKernel#backward}); {@link #toLogitGradient} turns the third block into the logits'.
 */
final class Backprop {
    private final MixtureKernel kernel;
    private final int[] widths;
    private final int maxRows;
    /** Network rows per loss row: the candidates of a row under the conditional and pseudo objectives, else 1. */
    private final int group;
    private final float[][] activations;
    private final float[] gradOut;
    private final float[] gradIn;
    private final float[] scratch;
    private final float[] probs;
    final Loss.RowLosses losses = new Loss.RowLosses();

    /** @param widths the network's widths: inputs, then each layer's nodes */
    Backprop(MixtureKernel kernel, int[] widths, int maxRows) {
        this(kernel, widths, maxRows, 1);
    }

    /**
     * @param group network rows per loss row: with {@code group > 1} (the conditional label objective) each
     *              run of {@code group} consecutive rows is one example with each label state, and their
     *              root outputs are scored as one row of {@code group} logits
     */
    Backprop(MixtureKernel kernel, int[] widths, int maxRows, int group) {
        this.kernel = kernel;
        this.widths = widths.clone();
        this.maxRows = maxRows;
        this.group = group;
        int layers = widths.length - 1;
        activations = new float[layers][];
        int widest = 0;
        int widestInput = 0;
        for (int l = 0; l < layers; l++) {
            activations[l] = new float[Math.multiplyExact(maxRows, widths[l + 1])];
            widest = Math.max(widest, widths[l + 1]);
            widestInput = Math.max(widestInput, widths[l]);
        }
        gradOut = new float[Math.multiplyExact(maxRows, widest)];
        gradIn = new float[Math.multiplyExact(maxRows, widest)];
        scratch = new float[MixtureKernel.scratchLength(widestInput)];
        probs = new float[widths[layers] * group];
    }

    int maxRows() {
        return maxRows;
    }

    /**
     * Runs {@code rows} rows starting at {@code x[xOff]} and accumulates their gradients; the per-row losses
     * are in {@link #losses} afterwards (cleared first).
     *
     * @param rows   network rows, a multiple of the group (labels are per group, from {@code labelOff})
     * @param weight each row's factor in the batch loss (1 / batch size)
     * @param gInput {@code dL/dx}, accumulated at {@code gInput[0..rows*inputs)}, or {@code null} to skip it
     */
    void run(MixtureBank[] banks, float[] x, int xOff, int rows, int[] labels, int labelOff, Loss loss,
             float weight, float[][] grads, float[] gInput) {
        if (rows > maxRows) {
            throw new IllegalArgumentException(rows + " rows exceed this engine's " + maxRows);
        }
        int layers = banks.length;
        float[] src = x;
        int srcOff = xOff;
        for (int l = 0; l < layers; l++) {
            kernel.forward(src, srcOff, rows, banks[l], activations[l], 0, scratch);
            src = activations[l];
            srcOff = 0;
        }
        losses.clear();
        float[] g = gradOut;
        float[] gNext = gradIn;
        loss.apply(kernel, activations[layers - 1], rows / group, widths[layers] * group, labels, labelOff, weight, g,
                probs, losses);
        for (int l = layers - 1; l >= 0; l--) {
            float[] input = l == 0 ? x : activations[l - 1];
            int inputOff = l == 0 ? xOff : 0;
            float[] gx = null;
            if (l > 0) {
                gx = gNext;
                java.util.Arrays.fill(gx, 0, rows * widths[l], 0f);
            } else if (gInput != null) {
                gx = gInput;
            }
            kernel.backward(input, inputOff, rows, banks[l], activations[l], 0, g, 0, grads[l], 0, gx, 0);
            gNext = g;
            g = gx;
        }
    }

    /**
     * In place, for one layer: the third block of {@code grad} holds {@code G = dL/dlogw}; with
     * {@code w = softmax(k)} it becomes {@code dL/dk = G - w * sum_i G} per node. A dropped logit
     * ({@code logWeights == -Infinity}) did not take part, so its gradient is exactly 0.
     *
     * @param weights the mixing weights {@code w} (0 where dropped)
     */
    static void toLogitGradient(float[] grad, float[] weights, int nodes, int inputs) {
        toLogitGradient(grad, weights, nodes, inputs, 0, nodes);
    }

    /**
     * {@link #toLogitGradient(float[], float[], int, int)} for nodes {@code [j0, j1)} only.
     *
     * <p>Without a branch per entry (dropout makes such branches random: they cost more than the arithmetic):
     * the kernels give a dropped component ({@code logWeights == -Infinity}) exactly 0 in {@code G} (its
     * responsibility is 0), so it adds nothing to the sum, and its weight is 0, so it stays 0.
     */
    static void toLogitGradient(float[] grad, float[] weights, int nodes, int inputs, int j0, int j1) {
        int base = 2 * nodes * inputs;
        for (int j = j0; j < j1; j++) {
            int p = base + j * inputs;
            double total = 0;
            for (int i = 0; i < inputs; i++) {
                total += grad[p + i];
            }
            float t = (float) total;
            int w = j * inputs;
            for (int i = 0; i < inputs; i++) {
                grad[p + i] -= weights[w + i] * t;
            }
        }
    }
}
