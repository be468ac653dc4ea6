package io.ugmm.model.train;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.simd.MixtureBank;

import java.util.Objects;

/**
 * The gradient of a loss over one batch with respect to every parameter of a network and to its inputs,
 * computed by the same code path the {@link Trainer} uses. For inspection and testing; training itself
 * never builds one of these.
 */
public final class Gradients {
    private final double loss;
    private final float[][] grads;
    private final float[] inputs;
    private final int[] widths;

    private Gradients(double loss, float[][] grads, float[] inputs, int[] widths) {
        this.loss = loss;
        this.grads = grads;
        this.inputs = inputs;
        this.widths = widths;
    }

    /**
     * Mean loss over {@code rows} rows of {@code x} and its gradients.
     *
     * @param labels one class per row for {@link Loss#CROSS_ENTROPY}; ignored (may be null) for
     *               {@link Loss#NEGATIVE_LOG_LIKELIHOOD}
     * @param mask   the dropout mask to apply, or {@code null} for none
     */
    public static Gradients compute(UgmmNetwork network, float[] x, int rows, int[] labels, Loss loss,
                                    DropoutMask mask) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(loss, "loss");
        int[] widths = widths(network);
        TrainingSet.checkShape(x, rows, network.inputs(), labels, loss, network.outputs());
        DropoutMask m = mask == null ? DropoutMask.none(widths) : mask;
        int layers = network.layers().size();
        // the trainer's banks, bit for bit (its float log-softmax and exp)
        TrainingBanks prepared = new TrainingBanks(network.kernel(), widths);
        prepared.restart();
        float[][] grads = new float[layers][];
        for (int l = 0; l < layers; l++) {
            UgmmLayer layer = network.layers().get(l);
            prepared.fill(l, m, layer.mu(), layer.logStd(), layer.logits(), 0, layer.nodes());
            grads[l] = new float[3 * layer.nodes() * layer.inputs()];
        }
        prepared.build();
        MixtureBank[] banks = prepared.banks;
        float[][] weights = prepared.weights;
        float[] gInput = new float[rows * network.inputs()];
        Backprop engine = new Backprop(network.kernel(), widths, Math.max(1, rows));
        engine.run(banks, x, 0, rows, labels, 0, loss, 1f / rows, grads, gInput);
        for (int l = 0; l < layers; l++) {
            Backprop.toLogitGradient(grads[l], weights[l], widths[l + 1], widths[l]);
        }
        return new Gradients(engine.losses.sum / rows, grads, gInput, widths);
    }

    static int[] widths(UgmmNetwork network) {
        int[] widths = new int[network.layers().size() + 1];
        widths[0] = network.inputs();
        for (int l = 0; l < network.layers().size(); l++) {
            widths[l + 1] = network.layers().get(l).nodes();
        }
        return widths;
    }

    /** The mean loss over the batch. */
    public double loss() {
        return loss;
    }

    /** dL/dmu of layer {@code layer}, {@code nodes x inputs}. */
    public float[] mu(int layer) {
        return block(layer, 0);
    }

    /** dL/dstd (the log standard deviations) of layer {@code layer}. */
    public float[] logStd(int layer) {
        return block(layer, 1);
    }

    /** dL/dk (the mixing logits) of layer {@code layer}. */
    public float[] logits(int layer) {
        return block(layer, 2);
    }

    /** dL/dx, {@code rows x inputs}. */
    public float[] inputs() {
        return inputs.clone();
    }

    private float[] block(int layer, int which) {
        int size = widths[layer] * widths[layer + 1];
        return java.util.Arrays.copyOfRange(grads[layer], which * size, (which + 1) * size);
    }
}
