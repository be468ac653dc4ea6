package io.ugmm.cli;

import io.ugmm.model.train.Loss;

import java.util.Locale;

/**
 * Defaults for {@code ugmm train} per dataset, so {@code ugmm train --dataset iris} just works. Every value
 * can be overridden by its flag. The built-in ones follow the reference's published setups.
 *
 * @param hidden      hidden layer widths (the root is added: one node per class for ce, one for nll)
 * @param standardise fit per-feature (x - mean) / std on the training part and apply it everywhere
 * @param logEvery    print a progress line every this many epochs (and for the last)
 */
record TrainingPreset(Loss loss, int[] hidden, int epochs, int batch, double learningRate, double dropout,
                      double minStd, boolean standardise, double testFraction, int logEvery) {

    static TrainingPreset forDataset(String spec) {
        String name = spec.toLowerCase(Locale.ROOT);
        if (name.equals("iris")) {
            // the reference's Iris run: generative, label appended, 5 -> 10 -> 5 -> 1, Adam 1e-3,
            // standardised features; a floor on std keeps the label's density from collapsing (see README)
            return new TrainingPreset(Loss.NEGATIVE_LOG_LIKELIHOOD, new int[]{10, 5}, 400, 16, 1e-3, 0, 0.3, true,
                    0.2, 25);
        }
        if (name.startsWith("fashion-mnist") || name.startsWith("mnist-digits") || name.startsWith("idx:")) {
            // the reference's MNIST run: 784 -> 128 (dropout 0.3) -> 64 -> 10, cross-entropy, Adam 1e-2,
            // raw pixels in [0, 1]
            return new TrainingPreset(Loss.CROSS_ENTROPY, new int[]{128, 64}, 10, 128, 1e-2, 0.3, 0, false, 0.2, 1);
        }
        // a user's own table
        return new TrainingPreset(Loss.CROSS_ENTROPY, new int[]{32, 16}, 20, 64, 1e-2, 0, 0, true, 0.2, 1);
    }
}
