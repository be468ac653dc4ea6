package io.ugmm.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Scores one partition in batches with a model broadcast as its file's bytes: the input rows with the
 * wanted outputs appended. Serialised to the executors with the broadcast, never the model itself. What
 * the two kinds of model share is here: reading and checking a batch's features, bad rows (fail, or null
 * outputs), and appending the outputs; a subclass parses the model and scores the good rows.
 */
abstract class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /**
     * What a scorer reads and writes: the features column (its index in the input and its name), rows per
     * batch, whether a bad row is kept (null outputs) rather than failing the job, and which of the model's
     * three outputs are appended (in that order).
     */
    record Plan(int featuresIndex, String featuresCol, int batchSize, boolean keepInvalid, boolean[] wanted)
            implements Serializable {
        int outputs() {
            int n = 0;
            for (boolean w : wanted) {
                n += w ? 1 : 0;
            }
            return n;
        }
    }

    final Broadcast<byte[]> bytes;
    final Plan plan;

    PartitionScorer(Broadcast<byte[]> bytes, Plan plan) {
        this.bytes = bytes;
        this.plan = plan;
    }

    @Override
    public final Iterator<Row> call(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        return batches(rows, task == null ? 0 : task.partitionId());
    }

    /** The scored rows of one partition (its model from this JVM's cache of the broadcast). */
    abstract Batches batches(Iterator<Row> rows, int partition);

    /** A partition's rows, a batch at a time: features read and checked here, scored by the subclass. */
    abstract class Batches extends RowBatches {
        private final List<String> names;
        /** Says what the features are, after "expected N finite numbers" in an error. */
        private final String described;
        private final int partition;
        final int width;
        /** The features of the good rows of the batch, row-major. */
        final float[] features;
        /** For each scored row (in {@code features}), its index in {@code batch}. */
        final int[] scoredRow;
        /** For each input row of the batch, its index among the scored rows, or -1. */
        private final int[] outputIndex;

        Batches(Iterator<Row> input, List<String> names, String described, int partition) {
            super(input, plan.batchSize());
            this.names = names;
            this.described = described;
            this.partition = partition;
            this.width = names.size();
            this.features = new float[plan.batchSize() * width];
            this.scoredRow = new int[plan.batchSize()];
            this.outputIndex = new int[plan.batchSize()];
        }

        /** Scores the first {@code scored} rows of {@code features}; returns how many remain scored. */
        abstract int scoreRows(int scored);

        /** Output {@code output} (0, 1 or 2) of scored row {@code s}, or null when it has none. */
        abstract Object value(int output, int s);

        @Override
        final void score(int n) {
            int scored = 0;
            for (int r = 0; r < n; r++) {
                String problem = FeatureReader.read(batch[r].get(plan.featuresIndex()), names, features, scored * width);
                if (problem != null) {
                    invalid(r, problem);
                } else {
                    scoredRow[scored++] = r;
                }
            }
            scored = scoreRows(scored);
            Arrays.fill(outputIndex, 0, n, -1);
            for (int s = 0; s < scored; s++) {
                outputIndex[scoredRow[s]] = s;
            }
        }

        /** Fails the job on bad row {@code r} of the batch, unless bad rows are kept. */
        final void invalid(int r, String problem) {
            if (!plan.keepInvalid()) {
                throw new IllegalArgumentException(FeatureReader.badRow(plan.featuresCol(), rowsBefore + r, partition,
                        problem, width) + " " + described + " (handleInvalid=keep gives such rows null outputs)");
            }
        }

        /**
         * Removes scored row {@code s} (one the model refused) from {@code features} and {@code scoredRow};
         * returns the new count of scored rows.
         */
        final int drop(int s, int scored) {
            System.arraycopy(features, (s + 1) * width, features, s * width, (scored - s - 1) * width);
            System.arraycopy(scoredRow, s + 1, scoredRow, s, scored - s - 1);
            return scored - 1;
        }

        @Override
        final Row output(int r) {
            Row in = batch[r];
            int s = outputIndex[r];
            int k = in.length();
            Object[] values = appended(in, plan.outputs());
            for (int o = 0; o < plan.wanted().length; o++) {
                if (plan.wanted()[o]) {
                    values[k++] = s < 0 ? null : value(o, s);
                }
            }
            return RowFactory.create(values);
        }
    }
}
