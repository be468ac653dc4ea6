package io.ugmm.jmh;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.Workspace;
import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The whole 784 -> 128 -> 64 -> 10 network through its allocation-free path
 * ({@code forward(x, xOff, rows, out, outOff, workspace)} with a workspace per thread, reused):
 * <ul>
 *   <li>{@link #batch1}: mean latency of one row; with {@code -prof gc} its {@code gc.alloc.rate.norm} is
 *       the allocation per inference call (goal: 0 B/op);</li>
 *   <li>{@link #sampledBatch1}: the same call's latency distribution (percentiles). Not the one to read
 *       allocation from: JMH's sample-time mode allocates its own histogram buckets as it goes (about
 *       30 B/op here);</li>
 *   <li>{@link #kernelsOnlyBatch1}: the same work done by calling the three layer kernels directly; the
 *       difference from {@link #batch1} is what the network costs outside its kernels;</li>
 *   <li>{@link #batch1TwoThreads}: {@link #batch1} with a two-thread workspace
 *       ({@code newWorkspace(1, 2)}: each large layer's nodes split between the caller and one worker thread);</li>
 *   <li>{@link #batch256}: throughput in rows (samples) per second;</li>
 *   <li>{@code allCores*}: the same with one thread per available core, each with its own workspace.</li>
 * </ul>
 * The fork uses the kernel the JVM would choose ({@code -Dugmm.simd=auto}); pass
 * {@code -jvmArgsAppend -Dugmm.simd=scalar} to see the network on the scalar kernel.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NetworkBench {
    static final int BATCH = 256;

    UgmmNetwork net;
    float[] x;
    MixtureKernel kernel;
    MixtureBank[] banks;

    @Setup(Level.Trial)
    public void setUp() {
        kernel = BenchData.forkKernel();
        net = BenchData.mnistShaped();
        banks = net.layers().stream().map(UgmmLayer::bank).toArray(MixtureBank[]::new);
        x = BenchData.inputs(BATCH * net.inputs(), BenchData.SEED + 1);
        float[] reference = net.withKernel(MixtureKernels.scalar()).forwardBatch(x, BATCH);
        float[] found = new float[reference.length];
        net.forward(x, 0, BATCH, found, 0, net.newWorkspace(BATCH));
        BenchData.requireAgreement(net.kernel().name() + " network " + net.architecture(), reference, found,
                net.outputs(), BenchData.NETWORK_TOLERANCE);
    }

    /** What each thread owns: its workspaces and output buffers. */
    @State(Scope.Thread)
    public static class PerThread {
        Workspace ws1;
        Workspace ws1TwoThreads;
        Workspace wsBatch;
        float[] out1;
        float[] outBatch;
        float[][] activations;
        float[] scratch;

        @Setup(Level.Trial)
        public void setUp(NetworkBench bench) {
            ws1 = bench.net.newWorkspace(1);
            ws1TwoThreads = bench.net.newWorkspace(1, 2);
            wsBatch = bench.net.newWorkspace(BATCH);
            out1 = new float[bench.net.outputs()];
            outBatch = new float[BATCH * bench.net.outputs()];
            activations = new float[bench.banks.length][];
            for (int l = 0; l < activations.length; l++) {
                activations[l] = new float[bench.banks[l].mixtures()];
            }
            scratch = new float[MixtureKernel.scratchLength(bench.net.inputs())];
            float[] twoThreads = new float[out1.length];
            bench.net.forward(bench.x, 0, 1, out1, 0, ws1);
            bench.net.forward(bench.x, 0, 1, twoThreads, 0, ws1TwoThreads);
            if (!java.util.Arrays.equals(out1, twoThreads)) {
                throw new IllegalStateException("two threads gave other bits than one");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            ws1TwoThreads.close();
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] batch1(PerThread t) {
        net.forward(x, 0, 1, t.out1, 0, t.ws1);
        return t.out1;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] batch1TwoThreads(PerThread t) {
        net.forward(x, 0, 1, t.out1, 0, t.ws1TwoThreads);
        return t.out1;
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] kernelsOnlyBatch1(PerThread t) {
        float[] src = x;
        for (int l = 0; l < banks.length; l++) {
            kernel.forward(src, 0, 1, banks[l], t.activations[l], 0, t.scratch);
            src = t.activations[l];
        }
        return src;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public float[] sampledBatch1(PerThread t) {
        return batch1(t);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public float[] batch256(PerThread t) {
        net.forward(x, 0, BATCH, t.outBatch, 0, t.wsBatch);
        return t.outBatch;
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(Threads.MAX)
    public float[] allCoresBatch1(PerThread t) {
        return batch1(t);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    @Threads(Threads.MAX)
    public float[] allCoresBatch256(PerThread t) {
        return batch256(t);
    }
}
