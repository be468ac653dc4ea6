package io.ugmm.jmh;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link ModelBench}'s two paths timed side by side in alternating rounds, for machines too busy for JMH's
 * one-benchmark-after-another runs to compare: each round times the bare path and the model path (which goes
 * first alternates) in thread CPU time, so time spent waiting for a core falls on neither; the figure is the
 * median of the per-round ratios. Also measures the bytes each call allocates (thread allocation counter).
 *
 * <pre>{@code java --add-modules jdk.incubator.vector -cp jmh/target/benchmarks.jar io.ugmm.jmh.ModelOverheadMain [rounds]}</pre>
 */
public final class ModelOverheadMain {
    private static final long ROUND_NANOS = 200_000_000L;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        ModelBench bench = new ModelBench();
        bench.setUp();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        System.out.println("JDK " + System.getProperty("java.version") + ", " + bench.net.kernel().name()
                + " kernel, network " + bench.net.architecture() + ", " + rounds + " rounds");
        for (int batch : new int[]{1, ModelBench.BATCH}) {
            Runnable bare = batch == 1 ? bench::bareBatch1 : bench::bareBatch256;
            Runnable model = batch == 1 ? bench::modelBatch1 : bench::modelBatch256;
            for (int i = 0; i < 3; i++) { // warm-up
                perCall(bare, threads);
                perCall(model, threads);
            }
            double[] ratios = new double[rounds];
            double[] bareTimes = new double[rounds];
            double[] modelTimes = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                boolean bareFirst = r % 2 == 0;
                double first = perCall(bareFirst ? bare : model, threads);
                double second = perCall(bareFirst ? model : bare, threads);
                bareTimes[r] = bareFirst ? first : second;
                modelTimes[r] = bareFirst ? second : first;
                ratios[r] = modelTimes[r] / bareTimes[r];
            }
            long id = Thread.currentThread().getId();
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 1000; i++) {
                model.run();
            }
            long allocated = threads.getThreadAllocatedBytes(id) - before;
            System.out.printf(Locale.ROOT, "batch %3d: bare %.1f us, model %.1f us per call (medians, thread CPU);"
                            + " model/bare %.3f (rounds %.3f-%.3f); model path allocates %.2f B per call%n", batch,
                    median(bareTimes) / 1e3, median(modelTimes) / 1e3, median(ratios),
                    Arrays.stream(ratios).min().orElse(0), Arrays.stream(ratios).max().orElse(0), allocated / 1000.0);
        }
    }

    /** Thread CPU nanoseconds per call over one round (also {@link StepCostMain}'s). */
    static double perCall(Runnable call, java.lang.management.ThreadMXBean threads) {
        long start = threads.getCurrentThreadCpuTime();
        long calls = 0;
        long now = start;
        while (now - start < ROUND_NANOS) {
            call.run();
            calls++;
            now = threads.getCurrentThreadCpuTime();
        }
        return (double) (now - start) / calls;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
