package io.ugmm.jmh;

import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The fused forward kernel (log-Gaussian terms + logsumexp) at the shapes of the MNIST network's layers,
 * batch 1, and an odd shape with remainders everywhere. {@link #scalar} and {@link #vector} are twins that
 * differ only in the {@code -Dugmm.simd} of their fork, so each runs in a JVM that only ever saw its kernel.
 * Read the {@code :elements} line: elements (B·N·M) per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ForwardKernelBench {

    /** BxNxM: batch rows, inputs (components), mixtures (nodes). */
    @Param({"256x784x128", "256x128x64", "1x784x128", "33x207x13"})
    public String shape;

    private MixtureKernel kernel;
    private MixtureBank bank;
    private float[] x;
    private float[] out;
    private float[] scratch;
    private int rows;
    private long elements;

    @Setup(Level.Trial)
    public void setUp() {
        KernelShape s = KernelShape.parse(shape);
        kernel = BenchData.forkKernel();
        bank = BenchData.bank(s.inputs(), s.mixtures(), BenchData.SEED);
        x = BenchData.inputs(s.rows() * s.inputs(), BenchData.SEED + 1);
        out = new float[s.rows() * s.mixtures()];
        scratch = new float[MixtureKernel.scratchLength(s.inputs())];
        rows = s.rows();
        elements = s.elements();

        float[] reference = new float[out.length];
        MixtureKernels.scalar().forward(x, 0, rows, bank, reference, 0, scratch);
        kernel.forward(x, 0, rows, bank, out, 0, scratch);
        BenchData.requireAgreement(kernel.name() + " forward kernel at " + shape, reference, out, s.mixtures(),
                BenchData.KERNEL_TOLERANCE);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dugmm.simd=scalar"})
    public float[] scalar(ElementCounter counter) {
        return forward(counter);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dugmm.simd=vector"})
    public float[] vector(ElementCounter counter) {
        return forward(counter);
    }

    private float[] forward(ElementCounter counter) {
        kernel.forward(x, 0, rows, bank, out, 0, scratch);
        counter.elements += elements;
        return out;
    }
}
