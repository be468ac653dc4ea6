package io.ugmm.model.train;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.internal.TrainingLoops;
import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains a {@link UgmmNetwork} with Adam on shuffled mini-batches, data-parallel over threads.
 *
 * <p>Each mini-batch is split into {@code threads} contiguous chunks; each thread runs its chunk through
 * its own {@link Backprop} into its own gradient buffers. Then each thread takes a range of nodes of every
 * layer and sums the buffers there in thread order, and later applies Adam there: every element is
 * computed by a fixed formula in a fixed order, so a run is reproducible bit for bit for a given seed and
 * thread count. One dropout mask per step is drawn
 * on the calling thread and shared by all chunks.
 *
 * <p>The mutable parameters live here; {@link #network()} builds an immutable network from them (the
 * networks handed out never change). A step refills its mixture banks and redraws its dropout mask in
 * place: it allocates a few small objects, nothing per row or element.
 */
public final class Trainer {
    private final TrainingConfig config;
    private final MixtureKernel kernel;
    private final int[] widths;
    private final int layers;
    private final double[] dropoutRates;
    private final boolean anyDropout;
    private final float[][] mu;
    private final float[][] logStd;
    private final float[][] logits;
    private final float[][] adamM;
    private final float[][] adamV;
    /** The step's log mixing weights, weights and mixture banks, refilled in place each step. */
    private final TrainingBanks prepared;
    /** The step's dropout mask, redrawn in place on the calling thread before {@link Phase#PREPARE}. */
    private final DropoutMask stepMask;
    private final Adam adam = Adam.standard();
    private final float minLogStd;
    private final SplittableRandom shuffleRandom;
    private final SplittableRandom dropoutRandom;
    private final SplittableRandom augmentRandom;
    private final DropoutMask noDropout;
    private final Worker[] workers;
    /**
     * Network rows per training row: its candidates (the label states) under the conditional and
     * pseudo-likelihood objectives, else 1.
     */
    private final int group;
    /**
     * The loss scored per training row: cross-entropy over its candidates under the conditional and
     * pseudo-likelihood objectives.
     */
    private final Loss rowLoss;
    /** Whether most rows ask about a feature instead of the label (the pseudo-likelihood objective). */
    private final boolean pseudo;
    /** Per input: the range noise values are drawn from, for {@link #pseudo}; set by {@link #fit}. */
    private float[] noiseLow;
    private float[] noiseHigh;
    /**
     * Under the pseudo-likelihood objective, the share of rows that ask about the label; the others ask about
     * one feature each. Measured on Iris (10 seeds): 0.5 left sepal imputation and accuracy lower, 0.1
     * starved the label (92 % mean accuracy); README, "Missing inputs and imputation".
     */
    static final double LABEL_QUESTION_SHARE = 0.25;
    private int epochsDone;
    /** Set by the calling thread before {@link Phase#UPDATE}; read by the workers. */
    private float clipFactor = 1f;
    private double learningRate;

    public Trainer(UgmmNetwork initial, TrainingConfig config) {
        Objects.requireNonNull(initial, "initial network");
        this.config = Objects.requireNonNull(config, "config");
        this.kernel = initial.kernel();
        this.widths = Gradients.widths(initial);
        this.layers = widths.length - 1;
        this.dropoutRates = config.dropoutRates(layers);
        boolean any = false;
        for (double r : dropoutRates) {
            any |= r > 0;
        }
        this.anyDropout = any;
        this.minLogStd = (float) Math.log(config.minStd());
        if (config.loss() == Loss.NEGATIVE_LOG_LIKELIHOOD && initial.outputs() != 1) {
            throw new IllegalArgumentException("the nll loss needs a network with one root node, found "
                    + initial.outputs());
        }
        mu = new float[layers][];
        logStd = new float[layers][];
        logits = new float[layers][];
        adamM = new float[layers][];
        adamV = new float[layers][];
        for (int l = 0; l < layers; l++) {
            UgmmLayer layer = initial.layers().get(l);
            mu[l] = layer.mu();
            logStd[l] = layer.logStd();
            logits[l] = layer.logits();
            int size = layer.nodes() * layer.inputs();
            adamM[l] = new float[3 * size];
            adamV[l] = new float[3 * size];
        }
        prepared = new TrainingBanks(kernel, widths);
        SplittableRandom root = new SplittableRandom(config.seed());
        shuffleRandom = root.split();
        dropoutRandom = root.split();
        augmentRandom = root.split();
        noDropout = DropoutMask.none(widths);
        stepMask = anyDropout ? DropoutMask.reusable(widths, dropoutRates) : noDropout;
        boolean grouped = config.generativeObjective() != GenerativeObjective.JOINT;
        group = grouped ? config.labelStates() : 1;
        rowLoss = grouped ? Loss.CROSS_ENTROPY : config.loss();
        pseudo = config.generativeObjective() == GenerativeObjective.PSEUDO_LIKELIHOOD;
        int threads = config.threads();
        int perThread = (config.batchSize() + threads - 1) / threads;
        workers = new Worker[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Worker(new Backprop(kernel, widths, Math.multiplyExact(perThread, group), group),
                    gradientBuffers(), t);
        }
    }

    private float[][] gradientBuffers() {
        float[][] g = new float[layers][];
        for (int l = 0; l < layers; l++) {
            g[l] = new float[3 * widths[l] * widths[l + 1]];
        }
        return g;
    }

    /** An immutable network with the current parameters. */
    public UgmmNetwork network() {
        List<UgmmLayer> list = new ArrayList<>(layers);
        for (int l = 0; l < layers; l++) {
            list.add(UgmmLayer.of(widths[l], widths[l + 1], mu[l], logStd[l], logits[l]));
        }
        return UgmmNetwork.of(list).withKernel(kernel);
    }

    public TrainingConfig config() {
        return config;
    }

    /** Optimisation steps taken so far. */
    public long steps() {
        return adam.steps();
    }

    /** Epochs completed so far (by all calls to {@link #fit}). */
    public int epochsDone() {
        return epochsDone;
    }

    /**
     * Runs {@link TrainingConfig#epochs()} epochs over {@code data} and returns the trained network.
     *
     * @throws TrainingDivergedException when a mini-batch gives a non-finite loss or gradient (the
     *                                   parameters stay as they were before that step)
     * @throws IllegalArgumentException  when the data does not fit the network or the loss
     */
    public UgmmNetwork fit(TrainingSet data, TrainingListener listener) {
        Objects.requireNonNull(data, "data");
        TrainingListener events = listener == null ? new TrainingListener() { } : listener;
        if (data.features() != widths[0]) {
            throw new IllegalArgumentException("the network has " + widths[0] + " inputs but the data has "
                    + data.features() + " features per row");
        }
        TrainingSet.checkLabels(data.labels(), data.rows(), config.loss(), widths[layers]);
        if (group > 1) {
            TrainingSet.checkLabels(data.labels(), data.rows(), Loss.CROSS_ENTROPY, group);
            noiseRange(data);
        }
        int rows = data.rows();
        int batchSize = Math.min(config.batchSize(), rows);
        int batches = (rows + batchSize - 1) / batchSize;
        int features = data.features();
        float[] batchX = new float[Math.multiplyExact(batchSize * group, features)];
        int[] batchLabels = new int[batchSize];
        int[] order = new int[rows];
        for (int i = 0; i < rows; i++) {
            order[i] = i;
        }
        ExecutorService pool = workers.length > 1 ? Executors.newFixedThreadPool(workers.length - 1, r -> {
            Thread thread = new Thread(r, "ugmm-train");
            thread.setDaemon(true);
            return thread;
        }) : null;
        try {
            for (int e = 0; e < config.epochs(); e++) {
                int epoch = epochsDone + 1;
                double rate = config.schedule().rate(epochsDone);
                TrainingLoops.shuffle(order, shuffleRandom);
                double lossSum = 0;
                long correct = 0;
                long start = System.nanoTime();
                for (int batch = 0; batch < batches; batch++) {
                    int from = batch * batchSize;
                    int count = Math.min(batchSize, rows - from);
                    gather(data, order, from, count, batchX, batchLabels);
                    step(pool, epoch, batch + 1, batches, batchX, batchLabels, count, rate, order, from);
                    for (Worker w : workers) {
                        lossSum += w.engine.losses.sum;
                        correct += w.engine.losses.correct;
                    }
                    events.batchDone(epoch, batch + 1, batches, System.nanoTime() - start);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                epochsDone++;
                // under the pseudo objective most rows answer a feature question: no classification accuracy
                double accuracy = rowLoss == Loss.CROSS_ENTROPY && !pseudo ? correct / (double) rows : Double.NaN;
                EpochSummary summary = new EpochSummary(epoch, config.epochs(), lossSum / rows, accuracy, rows,
                        seconds, rate);
                if (!events.epochDone(summary, this)) {
                    break;
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return network();
    }

    private void gather(TrainingSet data, int[] order, int from, int count, float[] batchX, int[] batchLabels) {
        int features = data.features();
        float[] x = data.x();
        int[] labels = data.labels();
        RowAugmentation augmentation = data.augmentation();
        for (int i = 0; i < count; i++) {
            int row = order[from + i];
            System.arraycopy(x, row * features, batchX, i * features, features);
            if (augmentation != null) {
                augmentation.apply(batchX, i * features, features, augmentRandom);
            }
            if (labels != null) {
                batchLabels[i] = labels[row];
            }
        }
        if (group > 1) {
            candidates(batchX, batchLabels, count, features);
        }
    }

    /**
     * In place: row i of the first {@code count} becomes its {@code group} candidate rows
     * {@code i * group .. i * group + group - 1} (from the end backwards, so no row is overwritten before it
     * is copied), and {@code batchLabels[i]} the index of the true one. Label question: the row with the label
     * input (the last) set to each state, the true one at the row's label. Feature question (pseudo-likelihood,
     * the rows beyond {@link #LABEL_QUESTION_SHARE}): the row itself first, then copies with one random feature drawn from its noise range.
     */
    private void candidates(float[] batchX, int[] batchLabels, int count, int features) {
        int label = features - 1;
        for (int i = count - 1; i >= 0; i--) {
            int feature = pseudo && augmentRandom.nextDouble() >= LABEL_QUESTION_SHARE ? augmentRandom.nextInt(label) : -1;
            for (int s = group - 1; s >= 0; s--) {
                int dst = (i * group + s) * features;
                System.arraycopy(batchX, i * features, batchX, dst, features);
                if (feature < 0) {
                    batchX[dst + label] = s;
                } else if (s > 0) {
                    float low = noiseLow[feature];
                    batchX[dst + feature] = low + (float) augmentRandom.nextDouble() * (noiseHigh[feature] - low);
                }
            }
            if (feature >= 0) {
                batchLabels[i] = 0;
            }
        }
    }

    /** Each feature's training range, widened by a tenth of it on both sides: where noise values come from. */
    private void noiseRange(TrainingSet data) {
        int n = data.features();
        noiseLow = new float[n];
        noiseHigh = new float[n];
        java.util.Arrays.fill(noiseLow, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(noiseHigh, Float.NEGATIVE_INFINITY);
        float[] x = data.x();
        for (int e = 0; e < x.length; e++) {
            noiseLow[e % n] = Math.min(noiseLow[e % n], x[e]);
            noiseHigh[e % n] = Math.max(noiseHigh[e % n], x[e]);
        }
        for (int f = 0; f < n; f++) {
            float margin = 0.1f * (noiseHigh[f] - noiseLow[f]);
            noiseLow[f] -= margin;
            noiseHigh[f] += margin;
        }
    }

    /** One optimisation step on the {@code count} rows in {@code batchX}. */
    private void step(ExecutorService pool, int epoch, int batch, int batches, float[] batchX, int[] batchLabels,
                      int count, double rate, int[] order, int from) {
        if (anyDropout) {
            stepMask.redraw(dropoutRates, dropoutRandom);
        }
        prepared.restart();
        try {
            runPhase(pool, Phase.PREPARE);
        } catch (IllegalArgumentException e) {
            throw new TrainingDivergedException(epoch, batch, "epoch " + epoch + ", batch " + batch + " of "
                    + batches + ": the parameters can no longer be evaluated (" + e.getMessage()
                    + "); lower the learning rate or set a gradient clip");
        }
        prepared.build();
        MixtureBank[] banks = prepared.banks;
        int threads = workers.length;
        float weight = 1f / count;
        for (int t = 0; t < threads; t++) {
            workers[t].set(banks, batchX, batchLabels, count * t / threads, count * (t + 1) / threads, weight);
        }
        runPhase(pool, Phase.GRADIENTS);
        checkLosses(epoch, batch, batches, order, from);
        runPhase(pool, Phase.REDUCE);
        double squares = 0;
        for (Worker w : workers) {
            squares += w.squares;
        }
        double norm = Math.sqrt(squares);
        if (!Double.isFinite(norm)) {
            int row = rowWithNonFiniteGradient(batchX, batchLabels, count);
            throw new TrainingDivergedException(epoch, batch, "epoch " + epoch + ", batch " + batch + " of "
                    + batches + ": the loss is finite but its gradient is not ("
                    + (config.clipNorm() > 0 ? "norm " + norm : "an entry is infinite or NaN") + ")"
                    + (row >= 0 ? ", first from row " + row + " of the batch (training row " + order[from + row] + ")"
                    : "") + "; parameters were left as after the previous step. Check that row for extreme"
                    + " feature values, or lower the learning rate or set a gradient clip");
        }
        clipFactor = config.clipNorm() > 0 && norm > config.clipNorm() ? (float) (config.clipNorm() / (norm + 1e-6)) : 1f;
        learningRate = rate;
        adam.beginStep();
        runPhase(pool, Phase.UPDATE);
    }

    /** The three parallel parts of a step; between them the calling thread checks and combines. */
    private enum Phase {
        /** per node range: masked log-softmax of the logits, the kernels' constants (mixture banks) */
        PREPARE,
        /** forward, loss and backward of each thread's rows into its own buffers */
        GRADIENTS,
        /** per node range: sum the threads' buffers in thread order, logits' gradient, squared norm */
        REDUCE,
        /** per node range: clip, Adam, std floor */
        UPDATE
    }

    /** Runs {@code phase} on every worker: worker 0 on this thread, the others on the pool. */
    private void runPhase(ExecutorService pool, Phase phase) {
        List<Future<?>> pending = new ArrayList<>(workers.length);
        for (int t = 0; t < workers.length; t++) {
            workers[t].phase = phase;
            if (t > 0) {
                pending.add(pool.submit(workers[t]));
            }
        }
        RuntimeException failure = null;
        try {
            workers[0].run();
        } catch (RuntimeException e) {
            failure = e;
        }
        TrainingLoops.awaitAll(pending, failure);
    }

    /** PREPARE for nodes [j0, j1) of every layer. */
    private void prepare(int t) {
        for (int l = 0; l < layers; l++) {
            int nodes = widths[l + 1];
            int j0 = nodes * t / workers.length;
            int j1 = nodes * (t + 1) / workers.length;
            prepared.fill(l, stepMask, mu[l], logStd[l], logits[l], j0, j1);
        }
    }

    /** REDUCE for nodes [j0, j1) of every layer, into worker 0's buffers; returns their squared norm. */
    private double reduce(int t) {
        double squares = 0;
        float[][] total = workers[0].grads;
        for (int l = 0; l < layers; l++) {
            int inputs = widths[l];
            int nodes = widths[l + 1];
            int size = inputs * nodes;
            int j0 = nodes * t / workers.length;
            int j1 = nodes * (t + 1) / workers.length;
            float[] dst = total[l];
            for (int other = 1; other < workers.length; other++) {
                float[] src = workers[other].grads[l];
                for (int block = 0; block < 3; block++) {
                    for (int e = block * size + j0 * inputs; e < block * size + j1 * inputs; e++) {
                        dst[e] += src[e];
                    }
                }
            }
            Backprop.toLogitGradient(dst, prepared.weights[l], nodes, inputs, j0, j1);
            for (int block = 0; block < 3; block++) {
                int from = block * size + j0 * inputs;
                int to = block * size + j1 * inputs;
                // without a clip the norm only has to be finite: a check on the bits costs a fraction of the sum
                squares += config.clipNorm() > 0 ? squares(dst, from, to)
                        : kernel.allWithin(dst, from, to - from, -Float.MAX_VALUE, Float.MAX_VALUE) ? 0 : Double.NaN;
            }
        }
        return squares;
    }

    /**
     * The sum of {@code g[e]^2} over {@code [from, to)} in double, in four interleaved partial sums (one running
     * sum waits on each addition's latency: it cost about a tenth of a step); fixed order, so reproducible.
     */
    static double squares(float[] g, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int e = from;
        for (; e + 3 < to; e += 4) {
            s0 += (double) g[e] * g[e];
            s1 += (double) g[e + 1] * g[e + 1];
            s2 += (double) g[e + 2] * g[e + 2];
            s3 += (double) g[e + 3] * g[e + 3];
        }
        for (; e < to; e++) {
            s0 += (double) g[e] * g[e];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** UPDATE for nodes [j0, j1) of every layer. */
    private void update(int t) {
        float[][] total = workers[0].grads;
        for (int l = 0; l < layers; l++) {
            int inputs = widths[l];
            int nodes = widths[l + 1];
            int size = inputs * nodes;
            int from = nodes * t / workers.length * inputs;
            int len = nodes * (t + 1) / workers.length * inputs - from;
            float[] g = total[l];
            if (clipFactor != 1f) {
                for (int block = 0; block < 3; block++) {
                    for (int e = block * size + from; e < block * size + from + len; e++) {
                        g[e] *= clipFactor;
                    }
                }
            }
            adam.update(mu[l], from, g, from, adamM[l], adamV[l], from, len, learningRate);
            adam.update(logStd[l], from, g, size + from, adamM[l], adamV[l], size + from, len, learningRate);
            adam.update(logits[l], from, g, 2 * size + from, adamM[l], adamV[l], 2 * size + from, len, learningRate);
            if (minLogStd > Float.NEGATIVE_INFINITY) {
                float[] s = logStd[l];
                for (int e = from; e < from + len; e++) {
                    s[e] = Math.max(s[e], minLogStd);
                }
            }
        }
    }

    /** Failure path only: runs the batch's rows one by one to find the first with a non-finite gradient. */
    private int rowWithNonFiniteGradient(float[] batchX, int[] batchLabels, int count) {
        Backprop engine = workers[0].engine;
        float[][] grads = gradientBuffers();
        for (int r = 0; r < count; r++) {
            for (float[] g : grads) {
                java.util.Arrays.fill(g, 0f);
            }
            engine.run(prepared.banks, batchX, r * group * widths[0], group, batchLabels, r, rowLoss, 1f, grads, null);
            for (float[] g : grads) {
                for (float v : g) {
                    if (!Float.isFinite(v)) {
                        return r;
                    }
                }
            }
        }
        return -1;
    }

    private void checkLosses(int epoch, int batch, int batches, int[] order, int from) {
        for (Worker w : workers) {
            Loss.RowLosses losses = w.engine.losses;
            if (losses.firstBadRow >= 0) {
                int inBatch = w.from + losses.firstBadRow;
                throw new TrainingDivergedException(epoch, batch, "epoch " + epoch + ", batch " + batch + " of "
                        + batches + ": the loss is " + losses.firstBadLoss + " for row " + inBatch
                        + " of the batch (training row " + order[from + inBatch] + "); parameters were left as"
                        + " after the previous step. Check that row for extreme feature values, standardise the"
                        + " features, or lower the learning rate");
            }
        }
    }

    /** One thread's share of a step: its rows for {@link Phase#GRADIENTS}, its node range otherwise. */
    private final class Worker implements Runnable {
        final Backprop engine;
        final float[][] grads;
        final int index;
        Phase phase;
        double squares;
        private MixtureBank[] stepBanks;
        private float[] x;
        private int[] labels;
        private int from;
        private int to;
        private float weight;

        Worker(Backprop engine, float[][] grads, int index) {
            this.engine = engine;
            this.grads = grads;
            this.index = index;
        }

        void set(MixtureBank[] banks, float[] x, int[] labels, int from, int to, float weight) {
            this.stepBanks = banks;
            this.x = x;
            this.labels = labels;
            this.from = from;
            this.to = to;
            this.weight = weight;
        }

        @Override
        public void run() {
            switch (phase) {
                case PREPARE -> prepare(index);
                case GRADIENTS -> gradients();
                case REDUCE -> squares = reduce(index);
                case UPDATE -> update(index);
                default -> throw new IllegalStateException("unknown phase " + phase);
            }
        }

        private void gradients() {
            for (float[] g : grads) {
                java.util.Arrays.fill(g, 0f);
            }
            engine.losses.clear();
            if (to > from) {
                engine.run(stepBanks, x, from * group * widths[0], (to - from) * group, labels, from, rowLoss, weight,
                        grads, null);
            }
        }
    }
}
