package io.ugmm.model.train;

/**
 * Training stopped because a mini-batch produced a non-finite loss or gradient, or a step would have
 * produced parameters the network cannot hold. Thrown before the step is applied, so the trainer's
 * parameters are those after the previous step ({@link Trainer#network()} still works).
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int batch;

    public TrainingDivergedException(int epoch, int batch, String message) {
        super(message);
        this.epoch = epoch;
        this.batch = batch;
    }

    /** 1-based epoch in which it happened. */
    public int epoch() {
        return epoch;
    }

    /** 1-based mini-batch within that epoch. */
    public int batch() {
        return batch;
    }
}
