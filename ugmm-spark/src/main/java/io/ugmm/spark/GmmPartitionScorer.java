package io.ugmm.spark;

import io.ugmm.model.gmm.GaussianMixture;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Scores one partition with a broadcast Gaussian mixture in batches: the input rows with the component,
 * the posterior probabilities and the log-density appended (those asked for).
 */
final class GmmPartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> gmmBytes;
    private final int featuresIndex;
    private final String featuresCol;
    private final int batchSize;
    private final boolean keepInvalid;
    private final boolean prediction;
    private final boolean probability;
    private final boolean logDensity;

    GmmPartitionScorer(Broadcast<byte[]> gmmBytes, int featuresIndex, String featuresCol, int batchSize,
                       boolean keepInvalid, boolean prediction, boolean probability, boolean logDensity) {
        this.gmmBytes = gmmBytes;
        this.featuresIndex = featuresIndex;
        this.featuresCol = featuresCol;
        this.batchSize = batchSize;
        this.keepInvalid = keepInvalid;
        this.prediction = prediction;
        this.probability = probability;
        this.logDensity = logDensity;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        return new Batches(rows, GmmBroadcasts.get(gmmBytes), task == null ? 0 : task.partitionId());
    }

    /** Feature names for messages: x0, x1, ... */
    static List<String> names(int dims) {
        String[] names = new String[dims];
        for (int d = 0; d < dims; d++) {
            names[d] = "x" + d;
        }
        return Arrays.asList(names);
    }

    private final class Batches extends RowBatches {
        private final GaussianMixture mixture;
        private final List<String> names;
        private final int partition;
        private final int dims;
        private final int components;
        private final float[] features;
        /** For each input row of the batch, its index among the scored rows, or -1 when it was invalid. */
        private final int[] scoredIndex;
        private final int[] component;
        private final double[] probabilities;
        private final double[] logDensities;

        Batches(Iterator<Row> input, GaussianMixture mixture, int partition) {
            super(input, batchSize);
            this.mixture = mixture;
            this.dims = mixture.dims();
            this.components = mixture.components();
            this.names = names(dims);
            this.partition = partition;
            this.features = new float[batchSize * dims];
            this.scoredIndex = new int[batchSize];
            this.component = new int[batchSize];
            this.probabilities = new double[batchSize * components];
            this.logDensities = new double[batchSize];
        }

        @Override
        void score(int n) {
            int scored = 0;
            for (int r = 0; r < n; r++) {
                String problem = FeatureReader.read(batch[r].get(featuresIndex), names, features, scored * dims);
                if (problem != null && !keepInvalid) {
                    throw new IllegalArgumentException("ugmm: the features column '" + featuresCol + "' in row "
                            + (rowsBefore + r) + " of partition " + partition + " " + problem + "; expected " + dims
                            + " finite numbers (handleInvalid=keep gives such rows null outputs)");
                }
                scoredIndex[r] = problem == null ? scored++ : -1;
            }
            mixture.scoreRows(features, 0, scored, prediction ? component : null, probability ? probabilities : null,
                    logDensity ? logDensities : null);
        }

        @Override
        Row output(int r) {
            Row in = batch[r];
            int s = scoredIndex[r];
            int k = in.length();
            Object[] values = appended(in, (prediction ? 1 : 0) + (probability ? 1 : 0) + (logDensity ? 1 : 0));
            if (prediction) {
                values[k++] = s < 0 ? null : component[s];
            }
            if (probability) {
                values[k++] = s < 0 ? null
                        : Vectors.dense(Arrays.copyOfRange(probabilities, s * components, (s + 1) * components));
            }
            if (logDensity) {
                values[k] = s < 0 ? null : logDensities[s];
            }
            return RowFactory.create(values);
        }
    }
}
