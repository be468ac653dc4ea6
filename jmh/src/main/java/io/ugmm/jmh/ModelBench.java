package io.ugmm.jmh;

import io.ugmm.model.FeatureStandardization;
import io.ugmm.model.Predictor;
import io.ugmm.model.UgmmModel;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.Workspace;
import io.ugmm.model.train.Loss;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@link UgmmModel}'s batch path (a per-thread {@link Predictor}: checks, standardisation, network,
 * softmax, argmax, range flags) against the bare network doing the same work a caller would have to do
 * by hand (standardise into a buffer, {@code UgmmNetwork.forward} with a reused {@link Workspace}), on a
 * standardised 784 -> 128 -> 64 -> 10 classifier, at batch 1 and 256. Run with {@code -prof gc}: both
 * paths should allocate 0 B/op. The setup checks both give the same root scores before anything is timed.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ModelBench {
    static final int BATCH = 256;

    UgmmNetwork net;
    FeatureStandardization standardization;
    float[] raw;
    // bare path
    Workspace ws1;
    Workspace wsBatch;
    float[] standardised;
    float[] scores;
    // model path
    Predictor predictor1;
    Predictor predictorBatch;
    float[] probabilities;
    int[] classes;

    @Setup(Level.Trial)
    public void setUp() {
        net = BenchData.mnistShaped();
        int n = net.inputs();
        // pixel-like raw inputs in [0, 1], standardised with statistics measured on them
        raw = BenchData.inputs(BATCH * n, BenchData.SEED + 1);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = Math.abs(raw[i]) % 1f;
        }
        standardization = FeatureStandardization.fit(raw, BATCH, n);
        UgmmModel model = UgmmModel.builder(net).loss(Loss.CROSS_ENTROPY).standardization(standardization)
                .trainingRange(raw, BATCH).build();
        ws1 = net.newWorkspace(1);
        wsBatch = net.newWorkspace(BATCH);
        standardised = new float[BATCH * n];
        scores = new float[BATCH * net.outputs()];
        predictor1 = model.newPredictor(1);
        predictorBatch = model.newPredictor(BATCH);
        probabilities = new float[BATCH * net.outputs()];
        classes = new int[BATCH];

        bareBatch256();
        float[] viaModel = new float[scores.length];
        predictorBatch.predict(raw, 0, BATCH, viaModel, probabilities, classes);
        if (!Arrays.equals(scores, viaModel)) {
            throw new IllegalStateException("the model path and the bare network disagree; not timing them");
        }
    }

    @Benchmark
    public float[] bareBatch1() {
        System.arraycopy(raw, 0, standardised, 0, net.inputs());
        standardization.applyInPlace(standardised, 0, 1, net.inputs());
        net.forward(standardised, 0, 1, scores, 0, ws1);
        return scores;
    }

    @Benchmark
    public int[] modelBatch1() {
        predictor1.predict(raw, 0, 1, probabilities, classes);
        return classes;
    }

    @Benchmark
    public float[] bareBatch256() {
        System.arraycopy(raw, 0, standardised, 0, raw.length);
        standardization.applyInPlace(standardised, 0, BATCH, net.inputs());
        net.forward(standardised, 0, BATCH, scores, 0, wsBatch);
        return scores;
    }

    @Benchmark
    public int[] modelBatch256() {
        predictorBatch.predict(raw, 0, BATCH, probabilities, classes);
        return classes;
    }
}
