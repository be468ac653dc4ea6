package io.ugmm.simd;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A quick, single-threaded comparison of the dense kernels, vector and scalar alternating in one process,
 * at one (rows, inputs, outputs) shape: forward, and forward plus both backward products.
 * <pre>
 * mvn -q -pl ugmm-simd test-compile
 * java --add-modules jdk.incubator.vector -cp ugmm-simd/target/classes:ugmm-simd/target/test-classes \
 *      io.ugmm.simd.DenseBenchMain [rows inputs outputs]
 * </pre>
 */
public final class DenseBenchMain {
    /** Thread CPU time, not wall time: the machines these run on are shared and often overloaded. */
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private DenseBenchMain() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int in = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int out = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        SplittableRandom random = new SplittableRandom(1);
        float[] x = new float[rows * in];
        float[] w = new float[in * out];
        float[] b = new float[out];
        float[] gy = new float[rows * out];
        for (float[] a : new float[][]{x, w, b, gy}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) random.nextDouble();
            }
        }
        float[] y = new float[rows * out];
        float[] gw = new float[in * out];
        float[] gb = new float[out];
        float[] gx = new float[rows * in];
        float[] scratch = new float[DenseKernel.scratchLength(rows, in, out)];
        DenseKernel[] kernels = {DenseKernels.scalar(), DenseKernels.vector().orElseThrow()};
        double flops = 2.0 * rows * in * out;
        System.out.printf(Locale.ROOT, "JDK %s, rows %d, inputs %d, outputs %d%n", Runtime.version(), rows, in, out);
        for (int round = 0; round < 5; round++) {
            for (DenseKernel k : kernels) {
                int n = 0;
                long start = CPU.getCurrentThreadCpuTime();
                long end = start + 300_000_000L;
                long now;
                while ((now = CPU.getCurrentThreadCpuTime()) < end) {
                    for (int rep = 0; rep < 100; rep++) {
                        k.forward(x, 0, rows, in, w, 0, b, 0, out, y, 0, scratch);
                    }
                    n += 100;
                }
                double fwd = (now - start) / 1e9 / n;
                n = 0;
                start = CPU.getCurrentThreadCpuTime();
                end = start + 300_000_000L;
                while ((now = CPU.getCurrentThreadCpuTime()) < end) {
                    for (int rep = 0; rep < 100; rep++) {
                        k.backwardWeights(x, 0, rows, in, gy, 0, out, gw, 0, gb, 0, scratch);
                        k.backwardInput(gy, 0, rows, out, w, 0, in, gx, 0, scratch);
                    }
                    n += 100;
                }
                double bwd = (now - start) / 1e9 / n;
                n = 0;
                start = CPU.getCurrentThreadCpuTime();
                end = start + 300_000_000L;
                while ((now = CPU.getCurrentThreadCpuTime()) < end) {
                    for (int rep = 0; rep < 100; rep++) {
                        System.arraycopy(gy, 0, y, 0, y.length);
                        k.tanh(y, 0, y.length);
                    }
                    n += 100;
                }
                double tanh = (now - start) / 1e9 / n / y.length;
                System.out.printf(Locale.ROOT, "  %-6s forward %7.2f us (%5.2f GFLOP/s), backward %7.2f us (%5.2f GFLOP/s), tanh %.2f ns%n",
                        k.name(), fwd * 1e6, flops / fwd / 1e9, bwd * 1e6, 2 * flops / bwd / 1e9, tanh * 1e9);
            }
        }
    }
}
