package io.ugmm.spark;

import io.ugmm.model.InvalidFeatureException;
import io.ugmm.model.Predictor;
import io.ugmm.model.UgmmModel;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;

import java.util.Iterator;
import java.util.List;

/** Scores a partition with a broadcast {@link UgmmModel}: appends the prediction, probability and class. */
final class UgmmPartitionScorer extends PartitionScorer {
    private static final long serialVersionUID = 1L;

    UgmmPartitionScorer(Broadcast<byte[]> modelBytes, Plan plan) {
        super(modelBytes, plan);
    }

    @Override
    Batches batches(Iterator<Row> rows, int partition) {
        return new ModelBatches(rows, ExecutorModels.get(bytes), partition);
    }

    private final class ModelBatches extends Batches {
        private final ExecutorModels.Entry entry;
        private final UgmmModel model;
        private final List<String> names;
        private final int classes;
        private final float[] probabilities;
        private final int[] classIndex;

        ModelBatches(Iterator<Row> input, ExecutorModels.Entry entry, int partition) {
            super(input, entry.model.inputNames(), describe(entry.model.inputNames()), partition);
            this.entry = entry;
            this.model = entry.model;
            this.names = model.inputNames();
            this.classes = model.classCount();
            this.probabilities = new float[plan.batchSize() * classes];
            this.classIndex = new int[plan.batchSize()];
        }

        /**
         * A row the model refuses (a value that standardising takes beyond the float range) fails the job,
         * or with keep is dropped and the rest scored again.
         */
        @Override
        int scoreRows(int scored) {
            Predictor predictor = entry.predictor(plan.batchSize());
            while (true) {
                try {
                    predictor.predict(features, 0, scored, probabilities, classIndex);
                    return scored;
                } catch (InvalidFeatureException e) {
                    invalid(scoredRow[e.row()], "has " + e.value() + " at index " + e.feature() + " ("
                            + names.get(e.feature()) + "), which standardising with the training mean and std takes"
                            + " beyond the float range");
                    scored = drop(e.row(), scored);
                }
            }
        }

        @Override
        Object value(int output, int s) {
            int c = classIndex[s];
            if (c < 0) { // no class has a finite score
                return null;
            }
            return switch (output) {
                case 0 -> (double) c;
                case 1 -> Vectors.dense(probabilityRow(s));
                default -> model.className(c);
            };
        }

        private double[] probabilityRow(int s) {
            double[] p = new double[classes];
            for (int j = 0; j < classes; j++) {
                p[j] = probabilities[s * classes + j];
            }
            return p;
        }
    }

    /** The first few input names, for messages: "(a, b, c, d, ...)". */
    private static String describe(List<String> names) {
        List<String> shown = names.subList(0, Math.min(4, names.size()));
        return "(" + String.join(", ", shown) + (names.size() > shown.size() ? ", ..." : "") + ")";
    }
}
