package io.ugmm.spark;

import io.ugmm.model.Predictor;
import io.ugmm.model.UgmmModel;
import org.apache.spark.broadcast.Broadcast;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The models of this JVM (an executor, or the driver in local mode), built once per broadcast from its
 * bytes, each with one predictor per task thread. Keeps the few most recently used broadcasts.
 */
final class ExecutorModels {
    private static final int KEPT = 4;

    private static final Map<Long, Entry> MODELS = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ExecutorModels.Entry> eldest) {
            return size() > KEPT;
        }
    };

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
        synchronized (MODELS) {
            // built under the lock: the tasks of an executor wait for one build instead of each parsing the model
            return MODELS.computeIfAbsent(bytes.id(), id -> new Entry(UgmmTransformer.parse(bytes.value())));
        }
    }
}
