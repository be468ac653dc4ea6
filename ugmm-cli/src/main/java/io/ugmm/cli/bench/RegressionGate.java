package io.ugmm.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares a run's vector/scalar speed-ups with a {@link Baseline}: a shape fails when its speed-up
 * is more than {@code tolerance} (a fraction) below the baseline's, or when the run did not measure it.
 * Shapes the run measured but the baseline lacks are reported, not failed. When the baseline has the
 * two-thread batch-1 speed-up (one-thread latency / two-thread latency, both from one run), the run's must
 * not fall more than {@code tolerance} below it either: a ratio, because absolute latencies follow the
 * machine and its load. That check needs a core free for the second thread: when other processes kept the
 * cores busy (see {@link TwoThreads#machineLoaded()}) a run that falls short is reported as skipped, not
 * failed, since it says nothing about the code (a run that meets the baseline on a loaded machine passes).
 */
public final class RegressionGate {
    /**
     * 25 %. Measured on the 2-core machine this was written on, shared with other builds (load 3-11): over
     * 19 runs per JDK (17 and 25) and three versions of the vector kernel, one run's speed-up fell at most
     * 10.5 % below the median of its set, except the odd shape on JDK 17 with a kernel that still had a
     * scalar exp tail (bimodal between JVMs, 19 % below at worst); with the current kernel at most 5 %.
     * 25 % covers that and still catches what matters: a lost vector path, a boxed vector or a slow exp
     * each cost 2x or more (jmh/README.md shows one caught).
     */
    public static final double DEFAULT_TOLERANCE = 0.25;

    private RegressionGate() {
    }

    /**
     * The two-thread batch-1 figure of a run and how busy the machine was while it was measured.
     *
     * @param speedup     batch-1 latency with one thread divided by that with a two-thread workspace; NaN when
     *                    not measured
     * @param loadAverage the highest system load average (1 minute) seen during the run; negative when the
     *                    platform has none
     * @param cores       available processors
     */
    public record TwoThreads(double speedup, double loadAverage, int cores) {
        /** A run without the load known (the check then always applies). */
        public static TwoThreads loadUnknown(double speedup) {
            return new TwoThreads(speedup, -1, 0);
        }

        /**
         * Whether other processes kept the cores busy: a load average of at least the number of cores. The
         * bench's own thread counts about 1 of it, so on 2 cores a load of 2 means the second thread shared
         * its core with something else on average. There a two-thread call gains little or nothing (about
         * 1.0x one thread's median latency under load 6-8 here, against 1.7x on a quiet machine; before the
         * caller took over a late worker's chunks it was 0.07x: median 446 us against 32 us), so a shortfall
         * there says nothing about the code.
         */
        public boolean machineLoaded() {
            return loadAverage >= 0 && cores > 0 && loadAverage >= cores;
        }
    }

    /** What the gate found: one line per shape, failures first. */
    public record Verdict(List<String> failures, List<String> passes, List<String> notes) {
        public boolean passed() {
            return failures.isEmpty();
        }

        public List<String> lines() {
            List<String> all = new ArrayList<>(failures);
            all.addAll(passes);
            all.addAll(notes);
            return all;
        }
    }

    /**
     * @param jdk        the JDK of the run (a note is added when its feature version differs from the baseline's)
     * @param vectorBits the run's vector width (a note is added when it differs from the baseline's)
     * @param tolerance  allowed relative drop, in (0, 1)
     */
    public static Verdict check(Baseline baseline, String jdk, int vectorBits, List<KernelBench.Result> results,
                                double tolerance) {
        return check(baseline, jdk, vectorBits, results, Double.NaN, tolerance);
    }

    /**
     * {@link #check(Baseline, String, int, List, double)} and the two-thread batch-1 speed-up.
     *
     * @param twoThreadSpeedup this run's batch-1 latency with one thread divided by that with a two-thread
     *                         workspace; NaN when not measured
     */
    public static Verdict check(Baseline baseline, String jdk, int vectorBits, List<KernelBench.Result> results,
                                double twoThreadSpeedup, double tolerance) {
        return check(baseline, jdk, vectorBits, results, TwoThreads.loadUnknown(twoThreadSpeedup), tolerance);
    }

    /**
     * {@link #check(Baseline, String, int, List, double)} and the two-thread batch-1 speed-up, which is skipped
     * (a note, not a failure) when it falls short on a {@linkplain TwoThreads#machineLoaded() loaded} machine.
     */
    public static Verdict check(Baseline baseline, String jdk, int vectorBits, List<KernelBench.Result> results,
                                TwoThreads twoThreads, double tolerance) {
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance must be a fraction in (0, 1), e.g. 0.25; found " + tolerance);
        }
        List<String> failures = new ArrayList<>();
        List<String> passes = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Baseline.Expectation e : baseline.expectations()) {
            KernelBench.Result found = results.stream().filter(r -> r.shape().equals(e.shape())).findFirst().orElse(null);
            double lowest = e.speedup() * (1 - tolerance);
            if (found == null) {
                failures.add(String.format(Locale.ROOT,
                        "FAIL %s: in the baseline (speed-up %.2fx) but not measured by this run", e.shape(), e.speedup()));
            } else if (!(found.speedup() >= lowest)) {
                failures.add(String.format(Locale.ROOT,
                        "FAIL %s: vector/scalar speed-up %.2fx, expected %.2fx (baseline) minus %.0f %% tolerance = at least %.2fx",
                        e.shape(), found.speedup(), e.speedup(), 100 * tolerance, lowest));
            } else {
                passes.add(String.format(Locale.ROOT,
                        "ok   %s: vector/scalar speed-up %.2fx, baseline %.2fx, at least %.2fx allowed",
                        e.shape(), found.speedup(), e.speedup(), lowest));
                if (found.speedup() > e.speedup() * (1 + tolerance)) {
                    notes.add(String.format(Locale.ROOT,
                            "note %s: %.0f %% faster than the baseline; refresh it if this is on purpose",
                            e.shape(), 100 * (found.speedup() / e.speedup() - 1)));
                }
            }
        }
        if (baseline.twoThreadSpeedup() > 0) {
            double expected = baseline.twoThreadSpeedup();
            double lowest = expected * (1 - tolerance);
            double twoThreadSpeedup = twoThreads.speedup();
            if (!(twoThreadSpeedup >= lowest) && !Double.isNaN(twoThreadSpeedup) && twoThreads.machineLoaded()) {
                notes.add(String.format(Locale.ROOT, "skip batch-1 latency with 2 threads: %.2fx one thread's,"
                                + " not checked: machine loaded (load %.2f on %d cores; the check needs a core free"
                                + " for the second thread, a load below %d)", twoThreadSpeedup,
                        twoThreads.loadAverage(), twoThreads.cores(), twoThreads.cores()));
            } else if (!(twoThreadSpeedup >= lowest)) {
                failures.add(String.format(Locale.ROOT, "FAIL batch-1 latency with 2 threads: %s, expected %.2fx"
                                + " one thread's (baseline) minus %.0f %% tolerance = at least %.2fx",
                        Double.isNaN(twoThreadSpeedup) ? "not measured by this run"
                                : String.format(Locale.ROOT, "%.2fx one thread's", twoThreadSpeedup),
                        expected, 100 * tolerance, lowest));
            } else {
                passes.add(String.format(Locale.ROOT, "ok   batch-1 latency with 2 threads: %.2fx one thread's,"
                        + " baseline %.2fx, at least %.2fx allowed", twoThreadSpeedup, expected, lowest));
            }
        }
        for (KernelBench.Result r : results) {
            if (baseline.expectations().stream().noneMatch(e -> e.shape().equals(r.shape()))) {
                notes.add("note " + r.shape() + ": measured but not in the baseline; not checked");
            }
        }
        if (!baseline.jdk().isEmpty() && feature(baseline.jdk()) != feature(jdk)) {
            notes.add("note: the baseline was measured on JDK " + baseline.jdk() + ", this run is JDK " + jdk
                    + "; speed-ups differ between JDKs (use the baseline made with this JDK)");
        }
        if (baseline.vectorBits() != 0 && baseline.vectorBits() != vectorBits) {
            notes.add("note: the baseline was measured with " + baseline.vectorBits() + "-bit vectors, this run uses "
                    + vectorBits + "-bit; speed-ups scale with the vector width");
        }
        return new Verdict(List.copyOf(failures), List.copyOf(passes), List.copyOf(notes));
    }

    /** The feature release of a {@code java.version} string: 17 for "17.0.15", 25 for "25", 8 for "1.8.0_402". */
    static int feature(String version) {
        String[] parts = version.split("[^0-9]+");
        try {
            int first = Integer.parseInt(parts[0]);
            return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return -1;
        }
    }
}
