package io.ugmm.model.mdn;

import io.ugmm.model.internal.TrainingLoops;
import io.ugmm.model.train.Adam;
import io.ugmm.model.train.TrainingDivergedException;
import io.ugmm.simd.DenseKernel;
import io.ugmm.simd.DenseKernels;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains a {@link MixtureDensityNetwork} by minimising the mean negative log-likelihood with Adam on
 * shuffled mini-batches.
 *
 * <p>Each mini-batch is split into {@code threads} contiguous chunks; each thread runs its chunk through its
 * own {@link MdnObjective} into its own gradient buffer, and the calling thread sums the buffers in thread
 * order, clips the norm and takes the Adam step. Every number is computed in a fixed order, so a run is
 * reproducible bit for bit for a seed and thread count. A batch with a non-finite loss or gradient stops
 * training with a {@link TrainingDivergedException} naming the epoch, batch and row, before the step.
 */
public final class MdnTrainer {
    /** Called after every epoch; return false to stop early. */
    public interface Listener {
        boolean epochDone(int epoch, int epochs, double meanNll, double seconds);
    }

    private final MdnConfig config;
    private final DenseKernel dense;
    private final MixtureKernel mixture;

    public MdnTrainer(MdnConfig config) {
        this(config, DenseKernels.preferred(), MixtureKernels.scalar());
    }

    /** With explicit kernels, e.g. the scalar ones for a comparison. */
    public MdnTrainer(MdnConfig config, DenseKernel dense, MixtureKernel mixture) {
        this.config = config;
        this.dense = dense;
        this.mixture = mixture;
    }

    /**
     * Trains on {@code data} (raw units; the standardisation is fitted here and kept in the model).
     *
     * @throws IllegalArgumentException   for a constant target column
     * @throws TrainingDivergedException  when a batch's loss or gradient is not finite
     */
    public MixtureDensityNetwork train(MdnData data, Listener listener) {
        data.requireVaryingTargets();
        Scaling scaling = Scaling.fit(data);
        float[] x = scaling.inputs(data.x());
        float[] y = scaling.targets(data.y());
        MdnShape shape = config.shape(data.inputs(), data.targets());
        float minStd = (float) config.minStd();
        float[] floor = MixtureDensityNetwork.logStdFloor(minStd, scaling);
        float[] params = shape.initialParameters(config.seed());
        int rows = data.rows();
        int inputs = shape.inputs();
        int targets = shape.targets();
        int batchSize = Math.min(config.batchSize(), rows);
        int batches = (rows + batchSize - 1) / batchSize;
        int threads = Math.min(config.threads(), batchSize);
        int perThread = (batchSize + threads - 1) / threads;
        int p = shape.parameterCount();
        MdnObjective[] objectives = new MdnObjective[threads];
        float[][] grads = new float[threads][p];
        for (int t = 0; t < threads; t++) {
            objectives[t] = new MdnObjective(shape, floor, perThread, dense, mixture);
        }
        float[] total = new float[p];
        float[] adamM = new float[p];
        float[] adamV = new float[p];
        Adam adam = Adam.standard();
        double logJacobian = scaling.logJacobian();
        SplittableRandom shuffleRandom = new SplittableRandom(config.seed()).split();
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        float[] bx = new float[batchSize * inputs];
        float[] by = new float[batchSize * targets];
        double[] losses = new double[threads];
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread thread = new Thread(r, "ugmm-mdn-train");
            thread.setDaemon(true);
            return thread;
        }) : null;
        List<Future<?>> pending = new ArrayList<>(threads);
        try {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long start = System.nanoTime();
                TrainingLoops.shuffle(order, shuffleRandom);
                double epochLoss = 0;
                for (int batch = 0; batch < batches; batch++) {
                    int from = batch * batchSize;
                    int count = Math.min(batchSize, rows - from);
                    for (int i = 0; i < count; i++) {
                        System.arraycopy(x, order[from + i] * inputs, bx, i * inputs, inputs);
                        System.arraycopy(y, order[from + i] * targets, by, i * targets, targets);
                    }
                    float weight = 1f / count;
                    pending.clear();
                    for (int t = threads - 1; t >= 0; t--) {
                        int t0 = count * t / threads;
                        int t1 = count * (t + 1) / threads;
                        int index = t;
                        Runnable work = () -> {
                            Arrays.fill(grads[index], 0f);
                            losses[index] = objectives[index].lossAndGradient(params, bx, t0 * inputs, by,
                                    t0 * targets, t1 - t0, weight, grads[index]);
                        };
                        if (t == 0) {
                            work.run();
                        } else {
                            pending.add(pool.submit(work));
                        }
                    }
                    TrainingLoops.awaitAll(pending, null);
                    double batchLoss = 0;
                    for (int t = 0; t < threads; t++) {
                        int bad = objectives[t].firstNonFiniteRow();
                        if (bad >= 0) {
                            int inBatch = count * t / threads + bad;
                            throw new TrainingDivergedException(epoch, batch + 1, "epoch " + epoch + ", batch "
                                    + (batch + 1) + " of " + batches + ": the loss is "
                                    + objectives[t].firstNonFiniteLoss() + " for row " + inBatch
                                    + " of the batch (training row " + order[from + inBatch] + "); parameters were"
                                    + " left as after the previous step. Lower the learning rate, raise --min-std"
                                    + " or set a gradient clip");
                        }
                        batchLoss += losses[t];
                    }
                    System.arraycopy(grads[0], 0, total, 0, p);
                    for (int t = 1; t < threads; t++) {
                        float[] g = grads[t];
                        for (int e = 0; e < p; e++) {
                            total[e] += g[e];
                        }
                    }
                    double squares = 0;
                    for (int e = 0; e < p; e++) {
                        squares += (double) total[e] * total[e];
                    }
                    double norm = Math.sqrt(squares);
                    if (!Double.isFinite(norm)) {
                        throw new TrainingDivergedException(epoch, batch + 1, "epoch " + epoch + ", batch "
                                + (batch + 1) + " of " + batches + ": the loss is finite but its gradient is not"
                                + " (norm " + norm + "); parameters were left as after the previous step. Lower the"
                                + " learning rate or set a gradient clip");
                    }
                    if (config.clipNorm() > 0 && norm > config.clipNorm()) {
                        float factor = (float) (config.clipNorm() / norm);
                        for (int e = 0; e < p; e++) {
                            total[e] *= factor;
                        }
                    }
                    adam.beginStep();
                    adam.update(params, 0, total, 0, adamM, adamV, 0, p, config.learningRate());
                    epochLoss += batchLoss;
                }
                double meanNll = epochLoss / rows + logJacobian;
                if (listener != null && !listener.epochDone(epoch, config.epochs(), meanNll,
                        (System.nanoTime() - start) / 1e9)) {
                    break;
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return new MixtureDensityNetwork(shape, params, scaling, minStd);
    }
}
