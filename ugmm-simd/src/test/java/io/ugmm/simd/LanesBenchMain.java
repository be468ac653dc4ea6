package io.ugmm.simd;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The vector forward kernel with and without its rows-in-lanes path, side by side in one JVM: alternating
 * rounds, each timed by the thread's CPU time, and whether both give the same bits. Inputs as
 * {@link BackwardBenchMain}'s.
 * <pre>
 * mvn -q -pl ugmm-simd test-compile
 * java --add-modules jdk.incubator.vector -cp ugmm-simd/target/classes:ugmm-simd/target/test-classes \
 *      io.ugmm.simd.LanesBenchMain [rows components mixtures [rounds [seconds per round]]]
 * </pre>
 */
public final class LanesBenchMain {
    private LanesBenchMain() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 0.5;
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
        MixtureBank bank = MixtureBank.of(m, n, mean, logStd, logWeight);
        float[] scratch = new float[MixtureKernel.scratchLength(n)];
        float[] pairs = new float[rows * m];
        float[] lanes = new float[rows * m];
        Runnable old = () -> VectorForward.forward(x, 0, rows, bank, 0, m, pairs, 0, scratch, false);
        Runnable neu = () -> VectorForward.forward(x, 0, rows, bank, 0, m, lanes, 0, scratch, true);
        System.out.printf(Locale.ROOT, "JDK %s, %d-bit, rows %d, components %d, mixtures %d, load %.2f%n",
                Runtime.version(), VectorMixtureKernel.F.vectorBitSize(), rows, n, m,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        double elements = (double) rows * m * n;
        double[] a = new double[rounds];
        double[] b = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            a[r] = elements / time(old, seconds) / 1e9;
            b[r] = elements / time(neu, seconds) / 1e9;
        }
        int differ = 0;
        for (int i = 0; i < pairs.length; i++) {
            if (Float.floatToRawIntBits(pairs[i]) != Float.floatToRawIntBits(lanes[i])) {
                differ++;
            }
        }
        java.util.Arrays.sort(a);
        java.util.Arrays.sort(b);
        System.out.printf(Locale.ROOT, "pairs  median %.3f G/s (best %.3f)%n", a[rounds / 2], a[rounds - 1]);
        System.out.printf(Locale.ROOT, "lanes  median %.3f G/s (best %.3f)%n", b[rounds / 2], b[rounds - 1]);
        System.out.printf(Locale.ROOT, "lanes / pairs: median %.3f, best %.3f; outputs differing in bits: %d of %d%n",
                b[rounds / 2] / a[rounds / 2], b[rounds - 1] / a[rounds - 1], differ, pairs.length);
    }

    /** Thread CPU seconds per call, after a short warm-up. */
    private static double time(Runnable body, double seconds) {
        var bean = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 3; i++) {
            body.run();
        }
        long start = bean.getCurrentThreadCpuTime();
        long end = start + (long) (seconds * 1e9);
        long calls = 0;
        long now;
        do {
            body.run();
            calls++;
            now = bean.getCurrentThreadCpuTime();
        } while (now < end);
        return (now - start) / 1e9 / calls;
    }
}
