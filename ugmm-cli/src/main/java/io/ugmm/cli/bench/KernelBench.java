package io.ugmm.cli.bench;

import io.ugmm.simd.MixtureKernel;

import java.util.List;

/**
 * Measures the forward kernel, scalar against vector, on one shape at a time. The two are timed in
 * alternating short rounds in the same process (which one goes first alternates too), so load from
 * other processes, frequency changes and GC fall on both alike; the speed-up is the median of the
 * per-round ratios, each taken between two rounds that ran next to each other in time.
 */
public final class KernelBench {
    private final MixtureKernel scalar;
    private final MixtureKernel vector;
    private final RoundTimer timer;
    private final int rounds;
    private final long seed;

    /**
     * One shape's figures: medians over the rounds, and the smallest and largest per-round speed-up
     * (their spread shows how much a single run can be trusted).
     */
    public record Result(Shape shape, double scalarElementsPerSecond, double vectorElementsPerSecond,
                         double speedup, double speedupMin, double speedupMax) {
    }

    /**
     * @param roundNanos how long each kernel runs per round (at least one call)
     * @param rounds     rounds per shape; the median of an odd count is a measured value
     */
    public KernelBench(MixtureKernel scalar, MixtureKernel vector, long roundNanos, int rounds, long seed) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, found " + rounds);
        }
        this.scalar = scalar;
        this.vector = vector;
        this.timer = new RoundTimer(roundNanos);
        this.rounds = rounds;
        this.seed = seed;
    }

    /** Runs both kernels on every shape for one round each, so the JIT has compiled every path before timing. */
    public void warmUp(List<Shape> shapes) {
        for (Shape shape : shapes) {
            Workload w = new Workload(Fixture.of(shape, seed));
            timer.nanosPerCall(w.call(scalar));
            timer.nanosPerCall(w.call(vector));
        }
    }

    /**
     * Checks the vector kernel against the scalar one on this shape, then times both.
     *
     * @throws IllegalStateException when they disagree (nothing is timed then)
     */
    public Result measure(Shape shape) {
        Workload w = new Workload(Fixture.of(shape, seed));
        w.check(scalar, vector);
        Runnable s = w.call(scalar);
        Runnable v = w.call(vector);
        // An untimed round each first: a path first made hot here (e.g. the batch-1 path) can still be
        // waiting for its optimising compile after warmUp; seen here as one round 25x slower than the rest.
        timer.nanosPerCall(s);
        timer.nanosPerCall(v);
        double[] scalarRate = new double[rounds];
        double[] vectorRate = new double[rounds];
        double[] ratio = new double[rounds];
        double elements = shape.elements();
        for (int r = 0; r < rounds; r++) {
            double sNanos;
            double vNanos;
            if (r % 2 == 0) {
                sNanos = timer.nanosPerCall(s);
                vNanos = timer.nanosPerCall(v);
            } else {
                vNanos = timer.nanosPerCall(v);
                sNanos = timer.nanosPerCall(s);
            }
            scalarRate[r] = elements * 1e9 / sNanos;
            vectorRate[r] = elements * 1e9 / vNanos;
            ratio[r] = sNanos / vNanos;
        }
        return new Result(shape, Stats.median(scalarRate), Stats.median(vectorRate),
                Stats.median(ratio), Stats.min(ratio), Stats.max(ratio));
    }

    /** Inputs, bank and buffers of one shape; each kernel writes its own output array. */
    private static final class Workload {
        private final Fixture f;
        private final float[] out;
        private final float[] scratch;

        Workload(Fixture f) {
            this.f = f;
            this.out = new float[f.shape.rows() * f.shape.mixtures()];
            this.scratch = new float[MixtureKernel.scratchLength(f.shape.inputs())];
        }

        Runnable call(MixtureKernel kernel) {
            int rows = f.shape.rows();
            return () -> kernel.forward(f.x, 0, rows, f.bank, out, 0, scratch);
        }

        void check(MixtureKernel reference, MixtureKernel candidate) {
            int m = f.shape.mixtures();
            int count = f.shape.rows() * m;
            float[] expected = new float[count];
            float[] found = new float[count];
            reference.forward(f.x, 0, f.shape.rows(), f.bank, expected, 0, scratch);
            candidate.forward(f.x, 0, f.shape.rows(), f.bank, found, 0, scratch);
            Agreement.check(candidate.name() + " forward kernel at " + f.shape, expected, found, count, m, Agreement.KERNEL_TOLERANCE);
        }
    }
}
