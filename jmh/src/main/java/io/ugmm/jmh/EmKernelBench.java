package io.ugmm.jmh;

import io.ugmm.simd.DenseGaussianKernel;
import io.ugmm.simd.DenseGaussianKernels;
import io.ugmm.simd.DiagonalGaussianKernel;
import io.ugmm.simd.DiagonalGaussianKernels;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The E-step kernels of Gaussian-mixture EM ({@code ugmm gmm fit}): diagonal log-densities
 * ({@link DiagonalGaussianKernel#logDensities}, elements = rows·dims·K) and full-covariance Mahalanobis
 * distances ({@link DenseGaussianKernel#mahalanobis}, elements = rows·K·dims·(dims+1)/2). {@link #scalar}
 * and {@link #vector} are twins that differ only in their fork's {@code -Dugmm.simd}; the setup checks the
 * fork's kernel against the scalar one before anything is timed. Read the {@code :elements} line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EmKernelBench {

    /** kind:rows x dims x components. */
    @Param({"diag:256x784x10", "diag:33x50x3", "full:256x50x10"})
    public String shape;

    private boolean diagonal;
    private int rows;
    private int dims;
    private int components;
    private float[] x;
    private float[] floatMeans;
    private float[] precisions;
    private double[] constants;
    private double[] means;
    private double[] factors;
    private double[] out;
    private double[] scratch;
    private long elements;
    private DiagonalGaussianKernel diag;
    private DenseGaussianKernel dense;

    @Setup(Level.Trial)
    public void setUp() {
        String[] kind = shape.split(":");
        String[] n = kind[1].split("x");
        diagonal = kind[0].equals("diag");
        rows = Integer.parseInt(n[0]);
        dims = Integer.parseInt(n[1]);
        components = Integer.parseInt(n[2]);
        SplittableRandom random = new SplittableRandom(BenchData.SEED);
        x = new float[rows * dims];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        floatMeans = new float[components * dims];
        precisions = new float[components * dims];
        means = new double[components * dims];
        for (int i = 0; i < means.length; i++) {
            means[i] = random.nextGaussian();
            floatMeans[i] = (float) means[i];
            precisions[i] = (float) (0.5 + random.nextDouble());
        }
        constants = new double[components];
        factors = new double[components * dims * dims];
        for (int k = 0; k < components; k++) {
            for (int i = 0; i < dims; i++) {
                for (int j = 0; j < i; j++) {
                    factors[k * dims * dims + i * dims + j] = 0.1 * random.nextGaussian();
                }
                factors[k * dims * dims + i * dims + i] = 0.5 + random.nextDouble();
            }
        }
        diag = DiagonalGaussianKernels.preferred();
        dense = DenseGaussianKernels.preferred();
        out = new double[rows * components];
        scratch = new double[Math.max(dense.scratchSize(dims), DenseGaussianKernels.scalar().scratchSize(dims))];
        elements = diagonal ? (long) rows * dims * components : (long) rows * components * dims * (dims + 1) / 2;

        double[] reference = new double[out.length];
        run(DiagonalGaussianKernels.scalar(), DenseGaussianKernels.scalar(), reference);
        run(diag, dense, out);
        for (int i = 0; i < out.length; i++) {
            if (Math.abs(out[i] - reference[i]) > 1e-4 * (1 + Math.abs(reference[i]))) {
                throw new IllegalStateException(diag.name() + " " + shape + ": value " + i + " is " + out[i]
                        + ", the scalar kernel gives " + reference[i]);
            }
        }
    }

    private void run(DiagonalGaussianKernel d, DenseGaussianKernel f, double[] target) {
        if (diagonal) {
            d.logDensities(x, 0, rows, dims, floatMeans, precisions, constants, components, target, 0);
        } else {
            for (int k = 0; k < components; k++) {
                f.mahalanobis(x, 0, rows, dims, means, k * dims, factors, k * dims * dims, target, k * rows, scratch);
            }
        }
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dugmm.simd=scalar"})
    public double[] scalar(ElementCounter counter) {
        run(diag, dense, out);
        counter.elements += elements;
        return out;
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dugmm.simd=vector"})
    public double[] vector(ElementCounter counter) {
        run(diag, dense, out);
        counter.elements += elements;
        return out;
    }
}
