package io.ugmm.model.train;

import io.ugmm.simd.MixtureKernel;

/**
 * What training minimises, from the root's log-densities ({@code rows x outputs}).
 * Both are means over the rows of a mini-batch.
 */
public enum Loss {
    /**
     * Softmax cross-entropy with the root's outputs as logits, one root node per class; the prediction
     * is the argmax. The reference's MNIST setup.
     */
    CROSS_ENTROPY("ce"),
    /**
     * Negative mean root log-density of a single root node: density estimation. With the class label
     * appended as an input, classification is by MPE over the label (the reference's Iris setup).
     */
    NEGATIVE_LOG_LIKELIHOOD("nll");

    private final String shortName;

    Loss(String shortName) {
        this.shortName = shortName;
    }

    /** {@code ce} or {@code nll}, as the command line spells it. */
    public String shortName() {
        return shortName;
    }

    /** The loss named {@code ce} or {@code nll}. */
    public static Loss parse(String name) {
        for (Loss loss : values()) {
            if (loss.shortName.equalsIgnoreCase(name) || loss.name().equalsIgnoreCase(name)) {
                return loss;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "'; expected ce or nll");
    }

    /** Whether this loss reads a label per row. */
    public boolean needsLabels() {
        return this == CROSS_ENTROPY;
    }

    /**
     * Per-row losses and their gradient. Writes {@code dL/dout = weight * d(loss_b)/d(out[b][.])} at
     * {@code g[0..rows*outputs)} and returns what the rows contribute to the batch: see {@link RowLosses}.
     *
     * @param weight      the factor of each row in the batch loss: {@code 1 / batchSize} for a mean
     * @param probs       scratch of at least {@code outputs} floats
     */
    void apply(MixtureKernel kernel, float[] out, int rows, int outputs, int[] labels, int labelOff, float weight,
               float[] g, float[] probs, RowLosses result) {
        for (int b = 0; b < rows; b++) {
            int o = b * outputs;
            double rowLoss;
            if (this == CROSS_ENTROPY) {
                int label = labels[labelOff + b];
                kernel.logSoftmax(out, o, outputs, probs, 0);
                rowLoss = -probs[label];
                int best = 0;
                for (int c = 0; c < outputs; c++) {
                    float p = (float) Math.exp(probs[c]);
                    g[o + c] = weight * (c == label ? p - 1 : p);
                    if (out[o + c] > out[o + best]) {
                        best = c;
                    }
                }
                if (best == label) {
                    result.correct++;
                }
            } else {
                rowLoss = -out[o];
                g[o] = -weight;
            }
            if (!Double.isFinite(rowLoss) && result.firstBadRow < 0) {
                result.firstBadRow = b;
                result.firstBadLoss = rowLoss;
            }
            result.sum += rowLoss;
        }
    }

    /** What a chunk of rows contributed: summed row losses, correct predictions, the first non-finite row. */
    static final class RowLosses {
        double sum;
        int correct;
        int firstBadRow = -1;
        double firstBadLoss;

        void clear() {
            sum = 0;
            correct = 0;
            firstBadRow = -1;
            firstBadLoss = 0;
        }
    }
}
