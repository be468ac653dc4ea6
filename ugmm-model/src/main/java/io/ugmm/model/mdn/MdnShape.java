package io.ugmm.model.mdn;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * The architecture of a mixture density network and the layout of its parameters in one flat array.
 *
 * <p>Dense layers {@code inputs -> hidden[0] -> ... -> hidden[L-1]} with an activation after each, then a
 * linear head of {@code K (1 + 2D)} outputs per row: K mixing logits, then the K x D means (component-major),
 * then the K x D log standard deviations. Layer {@code l}'s weights are {@code in x out} row-major (the
 * transpose of PyTorch's {@code Linear.weight}) followed by its {@code out} biases.
 */
public final class MdnShape {
    private final int inputs;
    private final int targets;
    private final int components;
    private final int[] hidden;
    private final Activation activation;
    /** widths[0] = inputs, widths[l+1] = hidden[l], last = head outputs. */
    private final int[] widths;
    private final int[] weightOffsets;
    private final int parameterCount;

    public MdnShape(int inputs, int targets, int components, int[] hidden, Activation activation) {
        if (inputs < 1 || targets < 1 || components < 1) {
            throw new IllegalArgumentException("an MDN needs at least 1 input, 1 target and 1 component, found "
                    + inputs + ", " + targets + ", " + components);
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation is required");
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden layer widths must be at least 1, found "
                        + Arrays.toString(hidden));
            }
        }
        this.inputs = inputs;
        this.targets = targets;
        this.components = components;
        this.hidden = hidden.clone();
        this.activation = activation;
        widths = new int[hidden.length + 2];
        widths[0] = inputs;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = Math.addExact(components, Math.multiplyExact(2 * components, targets));
        weightOffsets = new int[layers()];
        long offset = 0;
        for (int l = 0; l < layers(); l++) {
            weightOffsets[l] = Math.toIntExact(offset);
            offset += (long) widths[l] * widths[l + 1] + widths[l + 1];
        }
        parameterCount = Math.toIntExact(offset);
    }

    public int inputs() {
        return inputs;
    }

    /** D, the dimension of the target. */
    public int targets() {
        return targets;
    }

    /** K, the number of Gaussian components. */
    public int components() {
        return components;
    }

    public int[] hidden() {
        return hidden.clone();
    }

    public Activation activation() {
        return activation;
    }

    /** Dense layers including the head. */
    public int layers() {
        return widths.length - 1;
    }

    /** Inputs of layer {@code l}. */
    public int in(int l) {
        return widths[l];
    }

    /** Outputs of layer {@code l}. */
    public int out(int l) {
        return widths[l + 1];
    }

    /** Outputs of the head per row: {@code K (1 + 2D)}. */
    public int headOutputs() {
        return widths[widths.length - 1];
    }

    /** Widest layer output, for workspace sizes. */
    int widest() {
        return Arrays.stream(widths).max().orElse(1);
    }

    public int weightOffset(int l) {
        return weightOffsets[l];
    }

    public int biasOffset(int l) {
        return weightOffsets[l] + widths[l] * widths[l + 1];
    }

    public int parameterCount() {
        return parameterCount;
    }

    /** PyTorch's default {@code Linear} initialisation: weights and biases U(-1/sqrt(in), 1/sqrt(in)). */
    public float[] initialParameters(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] p = new float[parameterCount];
        for (int l = 0; l < layers(); l++) {
            double bound = 1 / Math.sqrt(in(l));
            int end = biasOffset(l) + out(l);
            for (int e = weightOffset(l); e < end; e++) {
                p[e] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
        }
        return p;
    }

    /** e.g. {@code 1 -> 32 -> 32 (tanh) -> 5 x N(1)}. */
    public String describe() {
        StringJoiner j = new StringJoiner(" -> ");
        j.add(Integer.toString(inputs));
        for (int h : hidden) {
            j.add(Integer.toString(h));
        }
        return j + (hidden.length > 0 ? " (" + activation.label() + ")" : "") + " -> " + components
                + " Gaussians over " + targets + (targets == 1 ? " target" : " targets");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MdnShape s && s.inputs == inputs && s.targets == targets && s.components == components
                && Arrays.equals(s.hidden, hidden) && s.activation == activation;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths) * 31 + activation.hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
