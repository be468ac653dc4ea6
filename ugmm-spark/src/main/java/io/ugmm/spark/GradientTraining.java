package io.ugmm.spark;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.train.Adam;
import io.ugmm.model.train.TrainingDivergedException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.List;

/**
 * Data-parallel training with one global mini-batch per step, as ugmm's Trainer takes it in one JVM: the
 * driver broadcasts the parameters, each partition computes the gradient of its share of the step's batch
 * ({@link TrainingChunk#stepGradient}, deterministic by seed, epoch and step), the shares are summed in a
 * fixed order ({@link FixedOrderTreeReduce#inGroupsOf}), and the driver applies Adam ({@link Adam}, the Trainer's) and the
 * std floor. One Spark job per step. With one partition this is the Trainer on one thread, step for step.
 */
final class GradientTraining {
    /** Shares summed on the driver at once; more partitions are summed in groups of this many first. */
    static final int FANOUT = 16;

    private final int[] widths;
    private final int layers;
    private final float[][] mu;
    private final float[][] logStd;
    private final float[][] logits;
    private final float[][] adamM;
    private final float[][] adamV;
    private final Adam adam = Adam.standard();
    private final float minLogStd;

    GradientTraining(UgmmNetwork initial, double minStd) {
        List<UgmmLayer> list = initial.layers();
        layers = list.size();
        widths = new int[layers + 1];
        widths[0] = initial.inputs();
        mu = new float[layers][];
        logStd = new float[layers][];
        logits = new float[layers][];
        adamM = new float[layers][];
        adamV = new float[layers][];
        for (int l = 0; l < layers; l++) {
            UgmmLayer layer = list.get(l);
            widths[l + 1] = layer.nodes();
            mu[l] = layer.mu();
            logStd[l] = layer.logStd();
            logits[l] = layer.logits();
            adamM[l] = new float[3 * mu[l].length];
            adamV[l] = new float[3 * mu[l].length];
        }
        minLogStd = (float) Math.log(minStd); // -Infinity for no floor
    }

    /**
     * Trains {@code epochs} epochs of mini-batches of {@code batch} rows (the last of an epoch shorter) on
     * the cached chunks (one per partition) and returns the network.
     */
    UgmmNetwork fit(JavaRDD<TrainingChunk> data, int epochs, int batch, double rate, long seed) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(data.context());
        List<long[]> sizes = data.map(c -> new long[] {c.partition, c.rows}).collect();
        long total = 0;
        for (long[] s : sizes) {
            total += s[1];
        }
        int batchRows = (int) Math.min(batch, total);
        int steps = (int) ((total + batchRows - 1) / batchRows);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (int step = 0; step < steps; step++) {
                long stepRows = 0;
                for (long[] s : sizes) {
                    long[] range = TrainingChunk.share(s[1], step, batchRows, total);
                    stepRows += range[1] - range[0];
                }
                Broadcast<NetworkParameters> current = context.broadcast(NetworkParameters.of(network()));
                int e = epoch;
                int st = step;
                long n = total;
                long m = stepRows;
                StepGradient sum = FixedOrderTreeReduce.inGroupsOf(data.mapToPair(c -> new Tuple2<>(c.partition,
                        c.stepGradient(current.value().network(), e, st, batchRows, n, m, seed))), StepGradient::plus,
                        FANOUT);
                current.destroy();
                apply(sum, epoch, step, steps, rate);
            }
        }
        return network();
    }

    /** Adam on the summed gradient, then the std floor: per element what ugmm's Trainer does (no clipping). */
    void apply(StepGradient sum, int epoch, int step, int steps, double rate) {
        double norm = Math.sqrt(sum.squaredNorm());
        if (!Double.isFinite(norm)) {
            throw new TrainingDivergedException(epoch, step + 1, "epoch " + epoch + ", step " + (step + 1) + " of "
                    + steps + ": the loss is finite but its gradient is not (norm " + norm + "); parameters were"
                    + " left as after the previous step. Check the data for extreme feature values, or lower the"
                    + " learning rate");
        }
        if (sum.grads == null) {
            return; // no rows in this step (cannot happen with a non-empty data set)
        }
        adam.beginStep();
        for (int l = 0; l < layers; l++) {
            int size = mu[l].length;
            float[] g = sum.grads[l];
            adam.update(mu[l], 0, g, 0, adamM[l], adamV[l], 0, size, rate);
            adam.update(logStd[l], 0, g, size, adamM[l], adamV[l], size, size, rate);
            adam.update(logits[l], 0, g, 2 * size, adamM[l], adamV[l], 2 * size, size, rate);
            if (minLogStd > Float.NEGATIVE_INFINITY) {
                float[] s = logStd[l];
                for (int e = 0; e < size; e++) {
                    s[e] = Math.max(s[e], minLogStd);
                }
            }
        }
    }

    /** An immutable network with the current parameters. */
    UgmmNetwork network() {
        List<UgmmLayer> list = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            list.add(UgmmLayer.of(widths[l], widths[l + 1], mu[l], logStd[l], logits[l]));
        }
        return UgmmNetwork.of(list);
    }
}
