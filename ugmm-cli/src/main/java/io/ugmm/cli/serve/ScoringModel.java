package io.ugmm.cli.serve;

import java.util.List;
import java.util.Map;

/**
 * What the server needs from a loaded model: its shape for request checks and {@code GET /v1/model}, and a
 * per-thread batch scorer. Immutable and shareable across threads; each scorer belongs to one thread.
 */
public interface ScoringModel {
    /** Features per row, as a client sends them (raw, before any recorded preprocessing). */
    int inputCount();

    /** One name per input (generated when the model records none). */
    List<String> inputNames();

    /** One name per class, in class-index order. */
    List<String> classNames();

    /** A few words for the start-up line and {@code GET /v1/model}, e.g. the architecture and loss. */
    String description();

    /** Whatever the model file records about how it was made (dataset, seed, ...), as text. */
    Map<String, String> metadata();

    /** A scorer for batches of at most {@code maxRows} rows, used by one thread only. */
    RowScorer newScorer(int maxRows);

    /** Scores batches of rows; allocation-free per call. Not thread-safe. */
    interface RowScorer {
        /**
         * Scores {@code rows} rows of {@link #inputCount()} features starting at {@code x[0]}.
         *
         * @param probabilities receives {@code rows × classCount} values, p(class | row); NaN for a row
         *                      where no class has a finite score
         * @param classIndex    receives the predicted class of each row, −1 when no class has a finite score
         * @param outOfRange    receives whether a row lies far outside what the model saw in training
         */
        void score(float[] x, int rows, float[] probabilities, int[] classIndex, boolean[] outOfRange);
    }
}
