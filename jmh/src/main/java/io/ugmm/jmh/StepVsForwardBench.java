package io.ugmm.jmh;

import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.Workspace;
import io.ugmm.model.train.Trainer;
import io.ugmm.model.train.TrainingSet;
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
 * A training step against a forward pass of the same batch, one thread, in one JMH run: {@code forward} is
 * the inference pass of {@code batch} rows through 784 -> 128 -> 64 -> 10 (reused workspace), {@code step}
 * one Adam step on {@code batch} rows with {@link TrainingStepBench}'s settings (cross-entropy, dropout 0.3
 * on the first layer), through {@link Trainer#fit} over {@value #STEPS} batches per invocation (the score is
 * per step). The step / forward ratio of the two scores is the training step's cost in forward passes.
 * {@link StepCostMain} times the same two side by side in alternating rounds, with the step's parts.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class StepVsForwardBench {
    static final int STEPS = 16;
    private static final int CLASSES = 10;

    @Param({"128", "256"})
    public int batch;

    private UgmmNetwork net;
    private Workspace workspace;
    private float[] x;
    private float[] out;
    private Trainer trainer;
    private TrainingSet data;

    @Setup(Level.Trial)
    public void setUp() {
        BenchData.forkKernel();
        net = BenchData.mnistShaped();
        int rows = STEPS * batch;
        x = TrainingStepBench.pixels(rows * net.inputs(), BenchData.SEED + 3);
        int[] labels = new SplittableRandom(BenchData.SEED + 4).ints(rows, 0, CLASSES).toArray();
        data = TrainingSet.of(x, rows, net.inputs(), labels);
        if (batch == TrainingStepBench.BATCH) {
            TrainingStepBench.checkGradients(net, x, labels);
        }
        workspace = net.newWorkspace(batch);
        out = new float[batch * net.outputs()];
        trainer = TrainingStepBench.trainer(net, batch, 1);
    }

    UgmmNetwork network() {
        return net;
    }

    /** The first batch's rows, {@code batch x 784}. */
    float[] firstBatch() {
        return java.util.Arrays.copyOf(x, batch * net.inputs());
    }

    /** Runs {@value #STEPS} training steps (one epoch); for callers that time it themselves. */
    void steps() {
        trainer.fit(data, null);
    }

    @Benchmark
    public float[] forward() {
        net.forward(x, 0, batch, out, 0, workspace);
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public UgmmNetwork step() {
        return trainer.fit(data, null);
    }
}
