package io.ugmm.model.train;

/** Callbacks from {@link Trainer#fit}, on the thread that called it. Both default to doing nothing. */
public interface TrainingListener {
    /** After each mini-batch; {@code batch} and {@code epoch} are 1-based. */
    default void batchDone(int epoch, int batch, int batches, long elapsedNanos) {
    }

    /**
     * After each epoch, outside the epoch's timing: a good place to evaluate {@link Trainer#network()}.
     *
     * @return false to stop training after this epoch
     */
    default boolean epochDone(EpochSummary summary, Trainer trainer) {
        return true;
    }
}
