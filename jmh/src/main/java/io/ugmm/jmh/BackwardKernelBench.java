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
 * The backward kernel (gradients of the forward kernel with respect to the means, log standard deviations,
 * log weights and the inputs, accumulated over the batch) at the same shapes as {@link ForwardKernelBench},
 * with the same scalar/vector fork twins. Read the {@code :elements} line: elements (B·N·M) per second.
 * The gradient buffers accumulate across calls ({@code +=}, as the kernel is specified); their growing
 * values do not change the work.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BackwardKernelBench {

    /** BxNxM: batch rows, inputs (components), mixtures (nodes). */
    @Param({"256x784x128", "256x128x64", "1x784x128", "33x207x13"})
    public String shape;

    private MixtureKernel kernel;
    private MixtureBank bank;
    private float[] x;
    private float[] out;
    private float[] gOut;
    private float[] grad;
    private float[] gx;
    private int rows;
    private long elements;

    @Setup(Level.Trial)
    public void setUp() {
        KernelShape s = KernelShape.parse(shape);
        kernel = BenchData.forkKernel();
        bank = BenchData.bank(s.inputs(), s.mixtures(), BenchData.SEED);
        x = BenchData.inputs(s.rows() * s.inputs(), BenchData.SEED + 1);
        gOut = BenchData.inputs(s.rows() * s.mixtures(), BenchData.SEED + 2);
        rows = s.rows();
        elements = s.elements();

        Result reference = backward(MixtureKernels.scalar(), s);
        Result found = backward(kernel, s);
        String what = kernel.name() + " backward kernel at " + shape;
        BenchData.requireAgreementScaled(what + ", parameter gradients", reference.grad, found.grad, s.inputs(),
                BenchData.GRADIENT_TOLERANCE);
        BenchData.requireAgreementScaled(what + ", input gradients", reference.gx, found.gx, s.inputs(),
                BenchData.GRADIENT_TOLERANCE);
        out = found.out;
        grad = found.grad;
        gx = found.gx;
    }

    private record Result(float[] out, float[] grad, float[] gx) {
    }

    /** One forward and one backward pass with {@code k} on zeroed buffers. */
    private Result backward(MixtureKernel k, KernelShape s) {
        float[] o = new float[s.rows() * s.mixtures()];
        k.forward(x, 0, rows, bank, o, 0, new float[MixtureKernel.scratchLength(s.inputs())]);
        float[] g = new float[3 * s.mixtures() * s.inputs()];
        float[] gxs = new float[s.rows() * s.inputs()];
        k.backward(x, 0, rows, bank, o, 0, gOut, 0, g, 0, gxs, 0);
        return new Result(o, g, gxs);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dugmm.simd=scalar"})
    public float[] scalar(ElementCounter counter) {
        return backward(counter);
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dugmm.simd=vector"})
    public float[] vector(ElementCounter counter) {
        return backward(counter);
    }

    private float[] backward(ElementCounter counter) {
        kernel.backward(x, 0, rows, bank, out, 0, gOut, 0, grad, 0, gx, 0);
        counter.elements += elements;
        return grad;
    }
}
