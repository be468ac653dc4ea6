package io.ugmm.spark;

import io.ugmm.model.Predictor;
import io.ugmm.model.UgmmModel;
import org.apache.spark.broadcast.Broadcast;

/**
 * The models of this JVM (an executor, or the driver in local mode), built once per broadcast from its
 * bytes ({@link ParsedBroadcasts}), each with one predictor per task thread.
 */
final class ExecutorModels {
    private static final ParsedBroadcasts<Entry> MODELS =
            new ParsedBroadcasts<>(bytes -> new Entry(UgmmTransformer.parse(bytes)));

    private ExecutorModels() {
    }

    /** A model and the predictors of the threads that use it. */
    static final class Entry {
        final UgmmModel model;
        private final ThreadLocal<Predictor> predictors = new ThreadLocal<>();

        private Entry(UgmmModel model) {
            this.model = model;
        }

        /** The calling thread's predictor, with room for at least {@code rows} rows. */
        Predictor predictor(int rows) {
            Predictor p = predictors.get();
            if (p == null || p.maxRows() < rows) {
                p = model.newPredictor(rows);
                predictors.set(p);
            }
            return p;
        }
    }

    static Entry get(Broadcast<byte[]> bytes) {
        return MODELS.get(bytes);
    }
}
