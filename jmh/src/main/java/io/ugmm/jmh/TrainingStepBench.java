package io.ugmm.jmh;

import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.train.Gradients;
import io.ugmm.model.train.LearningRateSchedule;
import io.ugmm.model.train.Loss;
import io.ugmm.model.train.Trainer;
import io.ugmm.model.train.TrainingConfig;
import io.ugmm.model.train.TrainingSet;
import io.ugmm.simd.MixtureKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One training step of the 784 -> 128 -> 64 -> 10 network at batch 128 with the reference's MNIST
 * settings (Adam, learning rate 1e-2, cross-entropy, dropout 0.3 on the first layer): dropout mask,
 * forward, backward, Adam update. The public entry point is {@link Trainer#fit}, so each invocation is one
 * epoch of {@value #STEPS} batches of 128 rows ({@code @OperationsPerInvocation}: the score is per step);
 * what {@code fit} does once per epoch (shuffling 2048 row indices, a thread pool when threads > 1, building
 * the returned network) is spread over those steps.
 * {@code threads}: 1, or {@code all} (one per available core, data-parallel within each batch).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TrainingStepBench {
    static final int BATCH = 128;
    static final int STEPS = 16;
    private static final int CLASSES = 10;
    /**
     * Relative to the largest entry of each gradient array. Rounding differences of the forward pass grow
     * through the layers (see {@link BenchData#NETWORK_TOLERANCE}) and reach the gradients: measured up to
     * 8e-4 here on three random batches.
     */
    static final double TRAINING_GRADIENT_TOLERANCE = 1e-2;

    @Param({"1", "all"})
    public String threads;

    private Trainer trainer;
    private TrainingSet data;

    @Setup(Level.Trial)
    public void setUp() {
        BenchData.forkKernel();
        UgmmNetwork net = BenchData.mnistShaped();
        int rows = STEPS * BATCH;
        float[] x = pixels(rows * net.inputs(), BenchData.SEED + 3);
        int[] labels = new SplittableRandom(BenchData.SEED + 4).ints(rows, 0, CLASSES).toArray();
        data = TrainingSet.of(x, rows, net.inputs(), labels);
        checkGradients(net, x, labels);
        int threadCount = threads.equals("all") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads);
        trainer = trainer(net, BATCH, threadCount);
    }

    /** The benchmarks' training settings: cross-entropy, Adam at 1e-2, dropout 0.3, one epoch per fit. */
    static Trainer trainer(UgmmNetwork net, int batch, int threads) {
        return new Trainer(net, TrainingConfig.builder()
                .loss(Loss.CROSS_ENTROPY)
                .epochs(1)
                .batchSize(batch)
                .schedule(LearningRateSchedule.constant(1e-2))
                .dropout(0.3)
                .seed(BenchData.SEED)
                .threads(threads)
                .build());
    }

    /** The training code path's gradients on the first batch, this fork's kernel against the scalar one. */
    static void checkGradients(UgmmNetwork net, float[] x, int[] labels) {
        Gradients found = Gradients.compute(net, x, BATCH, labels, Loss.CROSS_ENTROPY, null);
        Gradients reference = Gradients.compute(net.withKernel(MixtureKernels.scalar()), x, BATCH, labels,
                Loss.CROSS_ENTROPY, null);
        String what = net.kernel().name() + " training gradients";
        for (int l = 0; l < net.layers().size(); l++) {
            int width = net.layers().get(l).inputs();
            BenchData.requireAgreementScaled(what + ", layer " + l + " mu", reference.mu(l), found.mu(l), width,
                    TRAINING_GRADIENT_TOLERANCE);
            BenchData.requireAgreementScaled(what + ", layer " + l + " std", reference.logStd(l), found.logStd(l),
                    width, TRAINING_GRADIENT_TOLERANCE);
            BenchData.requireAgreementScaled(what + ", layer " + l + " k", reference.logits(l), found.logits(l),
                    width, TRAINING_GRADIENT_TOLERANCE);
        }
    }

    /** MNIST-like inputs: uniform in [0, 1). */
    static float[] pixels(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) random.nextDouble();
        }
        return x;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @OperationsPerInvocation(STEPS)
    public UgmmNetwork step() {
        return trainer.fit(data, null);
    }
}
