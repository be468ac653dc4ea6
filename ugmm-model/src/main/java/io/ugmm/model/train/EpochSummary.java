package io.ugmm.model.train;

/**
 * What one epoch did.
 *
 * @param epoch            1-based
 * @param epochs           how many the run has in total
 * @param loss             mean training loss over the epoch's rows (with dropout, as trained)
 * @param trainAccuracy    fraction of the epoch's rows whose argmax matched the label during training
 *                         (a running figure, with dropout); NaN for the nll loss
 * @param rows             rows seen
 * @param seconds          wall time of the epoch's steps
 * @param learningRate     the rate used in this epoch
 */
public record EpochSummary(int epoch, int epochs, double loss, double trainAccuracy, long rows, double seconds,
                           double learningRate) {
    /** Training throughput of the epoch. */
    public double samplesPerSecond() {
        return rows / seconds;
    }
}
