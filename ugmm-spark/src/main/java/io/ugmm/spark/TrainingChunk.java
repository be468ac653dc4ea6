package io.ugmm.spark;

import io.ugmm.model.FeatureStandardization;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.train.Gradients;
import io.ugmm.model.train.Loss;
import io.ugmm.model.train.TrainingDivergedException;
import io.ugmm.model.train.TrainingSet;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/** One partition's training rows as the trainer takes them: row-major features and class indices. */
final class TrainingChunk implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    final int features;
    final float[] x;
    final int[] labels;
    /** Cache of {@link #epochOrder}: the order after {@code orderEpoch} shuffles, and the stream that made it. */
    private transient int[] order;
    private transient int orderEpoch;
    private transient SplittableRandom shuffleRandom;

    private TrainingChunk(int partition, int rows, int features, float[] x, int[] labels) {
        this.partition = partition;
        this.rows = rows;
        this.features = features;
        this.x = x;
        this.labels = labels;
    }

    /** Reads (features, label) rows, checking each as the transformer does, into one chunk. */
    static TrainingChunk read(int partition, Iterator<Row> input, List<String> names, String featuresCol,
                              String labelCol) {
        FeatureRows block = new FeatureRows(partition, names, featuresCol, "");
        List<Integer> labels = new ArrayList<>();
        while (input.hasNext()) {
            Row row = input.next();
            block.add(row.get(0));
            labels.add(label(row.get(1), labelCol, labels.size(), partition));
        }
        return new TrainingChunk(partition, block.rows(), names.size(), block.block(),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int label(Object value, String labelCol, int row, int partition) {
        double v = value instanceof Number n ? n.doubleValue() : Double.NaN;
        if (!(v >= 0 && v == Math.rint(v) && v < Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("ugmm: the label column '" + labelCol + "' in row " + row
                    + " of partition " + partition + " is " + value + "; expected a class index (0, 1, 2 and so on)");
        }
        return (int) v;
    }

    /** The same rows standardised with these means and standard deviations. */
    TrainingChunk standardised(double[] mean, double[] std) {
        float[] z = x.clone();
        FeatureStandardization.of(mean, std).applyInPlace(z, 0, rows, features);
        return new TrainingChunk(partition, rows, features, z, labels);
    }

    TrainingSet trainingSet() {
        return TrainingSet.of(x, rows, features, labels);
    }

    /**
     * This partition's share of step {@code step} (from 0) of epoch {@code epoch} (from 1) of a global
     * mini-batch of {@code batch} rows over {@code totalRows}: its gradient, weighted by 1 / the step's
     * global row count, which the driver passes as {@code stepRows}. See {@link #share}.
     */
    StepGradient stepGradient(UgmmNetwork network, int epoch, int step, int batch, long totalRows, long stepRows,
                              long seed) {
        long[] range = share(rows, step, batch, totalRows);
        int count = (int) (range[1] - range[0]);
        if (count == 0) {
            return StepGradient.empty(partition);
        }
        int[] rowOrder = epochOrder(epoch, seed);
        float[] batchX = new float[count * features];
        int[] batchLabels = new int[count];
        for (int i = 0; i < count; i++) {
            int row = rowOrder[(int) range[0] + i];
            System.arraycopy(x, row * features, batchX, i * features, features);
            batchLabels[i] = labels[row];
        }
        Gradients g = Gradients.compute(network, batchX, count, batchLabels, Loss.CROSS_ENTROPY, null);
        if (!Double.isFinite(g.loss())) {
            throw new TrainingDivergedException(epoch, step + 1, "epoch " + epoch + ", step " + (step + 1)
                    + ": the loss of partition " + partition + "'s rows is " + g.loss() + "; check those rows for"
                    + " extreme feature values, or lower the learning rate");
        }
        // Gradients weights each row by 1 / count; the step's loss weights it by 1 / stepRows
        float scale = count == stepRows ? 1f : (float) (count / (double) stepRows);
        int layers = network.layers().size();
        float[][] grads = new float[layers][];
        for (int l = 0; l < layers; l++) {
            float[] mu = g.mu(l);
            float[] logStd = g.logStd(l);
            float[] logits = g.logits(l);
            int size = mu.length;
            float[] packed = new float[3 * size];
            System.arraycopy(mu, 0, packed, 0, size);
            System.arraycopy(logStd, 0, packed, size, size);
            System.arraycopy(logits, 0, packed, 2 * size, size);
            if (scale != 1f) {
                for (int e = 0; e < packed.length; e++) {
                    packed[e] *= scale;
                }
            }
            grads[l] = packed;
        }
        return new StepGradient(partition, grads, count);
    }

    /**
     * Rows {@code [from, to)}, in this epoch's order, of a partition of {@code partitionRows} that go into
     * global step {@code step}: the global batch covers positions {@code [step * batch, (step + 1) * batch)}
     * of {@code totalRows} (the last one shorter, as in ugmm's Trainer), and each partition takes the same
     * fraction of its own rows. Over an epoch every row is used once; with one partition the batches are
     * exactly the Trainer's.
     */
    static long[] share(long partitionRows, int step, int batch, long totalRows) {
        long start = Math.min((long) step * batch, totalRows);
        long end = Math.min(start + batch, totalRows);
        return new long[] {Math.multiplyExact(start, partitionRows) / totalRows,
                Math.multiplyExact(end, partitionRows) / totalRows};
    }

    /**
     * This partition's row order in epoch {@code epoch} (from 1): the rows shuffled once per epoch by the
     * stream ugmm's Trainer shuffles with (for partition 0 the very same as a Trainer seeded {@code seed}).
     * Cached between the steps of an epoch; recomputed from the seed when the cache is lost.
     */
    synchronized int[] epochOrder(int epoch, long seed) {
        if (order == null || orderEpoch > epoch) {
            order = new int[rows];
            for (int i = 0; i < rows; i++) {
                order[i] = i;
            }
            orderEpoch = 0;
            // the Trainer's shuffle stream is the first split of SplittableRandom(seed)
            shuffleRandom = new SplittableRandom(seed ^ (partition * 0x9E3779B97F4A7C15L)).split();
        }
        while (orderEpoch < epoch) {
            for (int i = order.length - 1; i > 0; i--) {
                int k = shuffleRandom.nextInt(i + 1);
                int tmp = order[i];
                order[i] = order[k];
                order[k] = tmp;
            }
            orderEpoch++;
        }
        return order;
    }
}
