package io.ugmm.spark;

import io.ugmm.model.InvalidFeatureException;
import io.ugmm.model.Predictor;
import io.ugmm.model.UgmmModel;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.Iterator;
import java.util.List;

/**
 * Scores one partition in batches: the input rows with the prediction, probability and class appended.
 * Serialised to the executors with the broadcast model bytes (never the model itself).
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> modelBytes;
    private final int featuresIndex;
    private final String featuresCol;
    private final int batchSize;
    private final boolean keepInvalid;
    private final boolean prediction;
    private final boolean probability;
    private final boolean className;

    PartitionScorer(Broadcast<byte[]> modelBytes, int featuresIndex, String featuresCol, int batchSize,
                    boolean keepInvalid, boolean prediction, boolean probability, boolean className) {
        this.modelBytes = modelBytes;
        this.featuresIndex = featuresIndex;
        this.featuresCol = featuresCol;
        this.batchSize = batchSize;
        this.keepInvalid = keepInvalid;
        this.prediction = prediction;
        this.probability = probability;
        this.className = className;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        return new Batches(rows, ExecutorModels.get(modelBytes), task == null ? 0 : task.partitionId());
    }

    /** Reads up to a batch of input rows, scores them, and hands out the scored rows. */
    private final class Batches extends RowBatches {
        private final ExecutorModels.Entry entry;
        private final UgmmModel model;
        private final List<String> names;
        private final int partition;
        private final int width;
        private final int classes;
        private final float[] features;
        /** For each scored row (in {@code features}), its index in {@code batch}. */
        private final int[] scoredRow;
        private final boolean[] usable;
        private final float[] probabilities;
        private final int[] classIndex;
        /** For each input row of the batch, its index among the scored rows, or -1. */
        private final int[] outputIndex;

        Batches(Iterator<Row> input, ExecutorModels.Entry entry, int partition) {
            super(input, batchSize);
            this.entry = entry;
            this.model = entry.model;
            this.names = model.inputNames();
            this.partition = partition;
            this.width = model.inputCount();
            this.classes = model.classCount();
            this.features = new float[batchSize * width];
            this.scoredRow = new int[batchSize];
            this.usable = new boolean[batchSize];
            this.probabilities = new float[batchSize * classes];
            this.classIndex = new int[batchSize];
            this.outputIndex = new int[batchSize];
        }

        @Override
        void score(int n) {
            int scored = 0;
            for (int r = 0; r < n; r++) {
                String problem = FeatureReader.read(batch[r].get(featuresIndex), names, features, scored * width);
                usable[r] = problem == null;
                if (problem != null) {
                    invalid(r, problem);
                } else {
                    scoredRow[scored++] = r;
                }
            }
            scored = predict(scored);
            int s = 0;
            for (int r = 0; r < n; r++) {
                boolean has = usable[r] && s < scored && scoredRow[s] == r;
                outputIndex[r] = has ? s : -1;
                s += has ? 1 : 0;
            }
        }

        /**
         * Scores the first {@code scored} rows of {@code features}. A row the model refuses (a value that
         * standardising takes beyond the float range) fails the job, or with keep is dropped and the rest
         * scored again. Returns how many rows were scored.
         */
        private int predict(int scored) {
            Predictor predictor = entry.predictor(batchSize);
            while (true) {
                try {
                    predictor.predict(features, 0, scored, probabilities, classIndex);
                    return scored;
                } catch (InvalidFeatureException e) {
                    int r = scoredRow[e.row()];
                    invalid(r, "has " + e.value() + " at index " + e.feature() + " (" + names.get(e.feature())
                            + "), which standardising with the training mean and std takes beyond the float range");
                    usable[r] = false;
                    int from = e.row();
                    System.arraycopy(features, (from + 1) * width, features, from * width, (scored - from - 1) * width);
                    System.arraycopy(scoredRow, from + 1, scoredRow, from, scored - from - 1);
                    scored--;
                }
            }
        }

        private void invalid(int r, String problem) {
            if (!keepInvalid) {
                throw new IllegalArgumentException("ugmm: the features column '" + featuresCol + "' in row "
                        + (rowsBefore + r) + " of partition " + partition + " " + problem + "; expected " + width
                        + " finite numbers " + describe() + " (handleInvalid=keep gives such rows null predictions)");
            }
        }

        private String describe() {
            List<String> shown = names.subList(0, Math.min(4, names.size()));
            return "(" + String.join(", ", shown) + (names.size() > shown.size() ? ", ..." : "") + ")";
        }

        /** The input row with the outputs appended. */
        @Override
        Row output(int r) {
            Row in = batch[r];
            int s = outputIndex[r];
            int k = in.length();
            Object[] values = appended(in, (prediction ? 1 : 0) + (probability ? 1 : 0) + (className ? 1 : 0));
            int c = s < 0 ? -1 : classIndex[s]; // -1 also when no class has a finite score
            if (prediction) {
                values[k++] = c < 0 ? null : (double) c;
            }
            if (probability) {
                values[k++] = c < 0 ? null : Vectors.dense(probabilityRow(s));
            }
            if (className) {
                values[k] = c < 0 ? null : model.className(c);
            }
            return RowFactory.create(values);
        }

        private double[] probabilityRow(int s) {
            double[] p = new double[classes];
            for (int j = 0; j < classes; j++) {
                p[j] = probabilities[s * classes + j];
            }
            return p;
        }
    }
}
