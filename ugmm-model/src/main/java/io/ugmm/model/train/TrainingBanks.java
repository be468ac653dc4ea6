package io.ugmm.model.train;

import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;

/**
 * What a training step evaluates its network with, per layer: the masked log mixing weights, the weights
 * themselves (for the logits' gradient) and the mixture banks, refilled in place step after step (nothing is
 * allocated per step). Computed with the kernel's float log-softmax and exp ({@link DropoutMask#logWeights(
 * MixtureKernel, int, float[], float[], float[], int, int)}, {@link MixtureBank.Builder#fill(int, int, float[],
 * float[], float[], MixtureKernel)}), so the trainer and {@link Gradients} see the same bits.
 *
 * <p>A round: {@link #restart()} on one thread, then {@link #fill} of disjoint node ranges (from several threads
 * at once if wanted), then {@link #build()} after they are joined.
 */
final class TrainingBanks {
    private final MixtureKernel kernel;
    private final int layers;
    final float[][] logWeights;
    final float[][] weights;
    private final MixtureBank.Builder[] builders;
    final MixtureBank[] banks;

    /** @param widths the network's widths: inputs, then each layer's nodes */
    TrainingBanks(MixtureKernel kernel, int[] widths) {
        this.kernel = kernel;
        layers = widths.length - 1;
        logWeights = new float[layers][];
        weights = new float[layers][];
        builders = new MixtureBank.Builder[layers];
        banks = new MixtureBank[layers];
        for (int l = 0; l < layers; l++) {
            int size = Math.multiplyExact(widths[l], widths[l + 1]);
            logWeights[l] = new float[size];
            weights[l] = new float[size];
            builders[l] = MixtureBank.reusableBuilder(widths[l + 1], widths[l]);
        }
    }

    /** Begins a round (one thread, before the fills). */
    void restart() {
        for (MixtureBank.Builder b : builders) {
            b.restart();
        }
    }

    /** Layer {@code l}'s nodes {@code [j0, j1)} from its parameters with {@code mask} applied. */
    void fill(int l, DropoutMask mask, float[] mu, float[] logStd, float[] logits, int j0, int j1) {
        mask.logWeights(kernel, l, logits, logWeights[l], weights[l], j0, j1);
        builders[l].fill(j0, j1, mu, logStd, logWeights[l], kernel);
    }

    /** Ends a round (one thread, after the fills): {@link #banks} holds every layer's bank. */
    void build() {
        for (int l = 0; l < layers; l++) {
            banks[l] = builders[l].build();
        }
    }
}
