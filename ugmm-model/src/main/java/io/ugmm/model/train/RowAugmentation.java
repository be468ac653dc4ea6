package io.ugmm.model.train;

import java.util.SplittableRandom;

/**
 * A random change applied to each training row as it is copied into a mini-batch (e.g. shifting an
 * image by a pixel or two), so every epoch sees slightly different data. Called on the training thread,
 * in batch order, with the trainer's own seeded random stream: runs stay reproducible.
 */
@FunctionalInterface
public interface RowAugmentation {
    /** Changes {@code features} values at {@code row[off..]} in place. */
    void apply(float[] row, int off, int features, SplittableRandom random);
}
