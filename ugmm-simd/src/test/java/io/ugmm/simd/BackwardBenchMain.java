package io.ugmm.simd;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A quick, single-threaded measurement of the forward and backward kernels, vector and scalar, at one
 * (rows, components, mixtures) shape, with the bytes each allocates in steady state (must be 0). Not a JMH
 * benchmark: for the closing figures of a change and for machines without the JMH module built.
 * <pre>
 * mvn -q -pl ugmm-simd test-compile
 * java --add-modules jdk.incubator.vector -cp ugmm-simd/target/classes:ugmm-simd/target/test-classes \
 *      io.ugmm.simd.BackwardBenchMain [rows components mixtures [seconds]]
 * </pre>
 * The inputs and gradients resemble a first layer at initialisation: inputs in [0, 1), means N(0,1)-like,
 * log sigma = log U(0,1), uniform weights.
 */
public final class BackwardBenchMain {
    private BackwardBenchMain() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 784;
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        double seconds = args.length > 3 ? Double.parseDouble(args[3]) : 2;
        SplittableRandom random = new SplittableRandom(1);
        float[] mean = new float[m * n];
        float[] logStd = new float[m * n];
        float[] logWeight = new float[m * n];
        for (int e = 0; e < m * n; e++) {
            mean[e] = (float) (random.nextDouble() * 2 - 1);
            logStd[e] = (float) Math.log(1 - random.nextDouble());
            logWeight[e] = (float) -Math.log(n);
        }
        float[] x = new float[rows * n];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) random.nextDouble();
        }
        float[] gOut = new float[rows * m];
        for (int e = 0; e < gOut.length; e++) {
            gOut[e] = (float) ((random.nextDouble() - 0.5) / rows);
        }
        MixtureBank bank = MixtureBank.of(m, n, mean, logStd, logWeight);
        List<MixtureKernel> kernels = new ArrayList<>();
        MixtureKernels.vector().ifPresent(kernels::add);
        kernels.add(MixtureKernels.scalar());
        System.out.printf(Locale.ROOT, "JDK %s, rows %d, components %d, mixtures %d, load average %.2f%n",
                Runtime.version(), rows, n, m, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        double[] backward = new double[kernels.size()];
        for (int k = 0; k < kernels.size(); k++) {
            MixtureKernel kernel = kernels.get(k);
            float[] out = new float[rows * m];
            float[] scratch = new float[MixtureKernel.scratchLength(n)];
            float[] grad = new float[3 * m * n];
            float[] gx = new float[rows * n];
            Runnable fwd = () -> kernel.forward(x, 0, rows, bank, out, 0, scratch);
            Runnable bwd = () -> kernel.backward(x, 0, rows, bank, out, 0, gOut, 0, grad, 0, null, 0);
            Runnable bwdX = () -> kernel.backward(x, 0, rows, bank, out, 0, gOut, 0, grad, 0, gx, 0);
            fwd.run();
            double elements = (double) rows * m * n;
            double f = elements / time(fwd, seconds);
            double b = elements / time(bwd, seconds);
            double bx = elements / time(bwdX, seconds);
            long allocated = allocated(fwd) + allocated(bwd) + allocated(bwdX);
            backward[k] = b;
            System.out.printf(Locale.ROOT, "%-6s forward %.3f G/s, backward %.3f G/s, backward with dL/dx %.3f G/s"
                    + " (elements per second); allocated %d bytes%n", kernel.name(), f / 1e9, b / 1e9, bx / 1e9,
                    allocated);
        }
        if (kernels.size() == 2) {
            System.out.printf(Locale.ROOT, "backward vector / scalar: %.1fx%n", backward[0] / backward[1]);
        }
    }

    /** Seconds per call after a warm-up of a third of the time. */
    private static double time(Runnable body, double seconds) {
        long warm = System.nanoTime() + (long) (seconds / 3 * 1e9);
        while (System.nanoTime() < warm) {
            body.run();
        }
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long calls = 0;
        long now;
        do {
            body.run();
            calls++;
            now = System.nanoTime();
        } while (now < end);
        return (now - start) / 1e9 / calls;
    }

    private static long allocated(Runnable body) {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = bean.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 3; i++) {
            body.run();
        }
        return bean.getCurrentThreadAllocatedBytes() - before;
    }
}
