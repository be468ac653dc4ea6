package io.ugmm.cli.bench;

import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.Workspace;
import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;

import java.util.Arrays;
import java.util.List;

/**
 * Times a whole network on one thread with the allocation-free path (a reused {@link Workspace}):
 * batch-1 latency (every call timed, for the mean and the 99th percentile), the same work done by
 * calling the layer kernels directly (what the network costs beyond its kernels), and batch-256
 * throughput, and batch-1 latency with a two-thread workspace ({@code newWorkspace(1, 2)}). They are measured
 * in interleaved rounds, like {@link KernelBench}.
 */
public final class NetworkTiming {
    private static final int BATCH = 256;
    /** Batch-1 latencies kept for the percentiles: at ~50 µs a call, over ten seconds' worth (the default run has 0.9 s). */
    private static final int MAX_SAMPLES = 1 << 18;

    private final UgmmNetwork net;
    private final RoundTimer timer;
    private final int rounds;
    private final float[] x;
    private final float[] out;
    private final Workspace ws1;
    private final Workspace ws1TwoThreads;
    private final Workspace wsBatch;
    private final List<MixtureBank> banks;
    private final float[][] activations;
    private final float[] scratch;
    private final long[] latencies = new long[MAX_SAMPLES];
    private int latencyCount;

    /**
     * Batch-1 latency is wall-clock time per call (what a caller waits, including time the thread lost its
     * core to another process); the other figures are {@link RoundTimer} figures (thread CPU time).
     *
     * @param batch1MeanMicros         mean wall-clock latency of {@code net.forward} at batch 1
     * @param batch1P50Micros          its median
     * @param batch1P99Micros          its 99th percentile
     * @param batch1CpuMicros          CPU time per batch-1 call (median over rounds)
     * @param batch1KernelMicros       the layer kernels alone, called directly on the same shapes (median)
     * @param kernelFraction           median of the per-round (kernels alone / network) time ratios
     * @param batch256SamplesPerSecond rows per second at batch 256 (median)
     * @param batch1TwoThreadsMicros   mean wall-clock latency at batch 1 with a two-thread workspace (median
     *                                 over rounds)
     */
    public record Result(double batch1MeanMicros, double batch1P50Micros, double batch1P99Micros,
                         double batch1CpuMicros, double batch1KernelMicros, double kernelFraction,
                         double batch256SamplesPerSecond, double batch1TwoThreadsMicros) {
        /** Share of batch-1 time spent outside the kernels. */
        public double overhead() {
            return 1 - kernelFraction;
        }
    }

    public NetworkTiming(UgmmNetwork net, long roundNanos, int rounds, long seed) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, found " + rounds);
        }
        this.net = net;
        this.timer = new RoundTimer(roundNanos);
        this.rounds = rounds;
        this.x = Fixture.inputs(BATCH * net.inputs(), seed);
        this.out = new float[BATCH * net.outputs()];
        this.ws1 = net.newWorkspace(1);
        this.ws1TwoThreads = net.newWorkspace(1, 2);
        this.wsBatch = net.newWorkspace(BATCH);
        this.banks = net.layers().stream().map(UgmmLayer::bank).toList();
        this.activations = banks.stream().map(b -> new float[b.mixtures()]).toArray(float[][]::new);
        this.scratch = new float[MixtureKernel.scratchLength(
                net.layers().stream().mapToInt(UgmmLayer::inputs).max().orElseThrow())];
    }

    /** The 784 -> 128 -> 64 -> 10 network of the reference's MNIST runs, initialised from a seed. */
    public static UgmmNetwork mnistShaped(long seed) {
        return UgmmNetwork.builder(784).layer(128).layer(64).layer(10).seed(seed).build();
    }

    /**
     * Checks the network against the scalar reference (batch 256) and the direct kernel chain against
     * the network (batch 1, must be identical: same kernel, same inputs), then times.
     *
     * @throws IllegalStateException when either check fails
     */
    public Result measure() {
        try (Workspace closing = ws1TwoThreads) {
            return measureChecked();
        }
    }

    private Result measureChecked() {
        check();
        Runnable batch1Kernels = this::kernelsBatch1;
        Runnable batch256 = () -> net.forward(x, 0, BATCH, out, 0, wsBatch);
        // warm-up: one round of each
        batch1Network();
        timer.nanosPerCall(batch1Kernels);
        timer.nanosPerCall(batch256);
        batch1TwoThreads();
        latencyCount = 0;

        double[] netNanos = new double[rounds];
        double[] kernelNanos = new double[rounds];
        double[] fraction = new double[rounds];
        double[] samplesPerSecond = new double[rounds];
        double[] twoThreadNanos = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            // alternate which goes first, so a drift during the run falls on both alike
            if (r % 2 == 0) {
                netNanos[r] = batch1Network();
                kernelNanos[r] = timer.nanosPerCall(batch1Kernels);
            } else {
                kernelNanos[r] = timer.nanosPerCall(batch1Kernels);
                netNanos[r] = batch1Network();
            }
            fraction[r] = kernelNanos[r] / netNanos[r];
            samplesPerSecond[r] = BATCH * 1e9 / timer.nanosPerCall(batch256);
            twoThreadNanos[r] = batch1TwoThreads();
        }
        double mean = Arrays.stream(latencies, 0, latencyCount).average().orElseThrow();
        double p50 = Stats.quantileInPlace(latencies, latencyCount, 0.50);
        double p99 = Stats.quantileInPlace(latencies, latencyCount, 0.99);
        return new Result(mean / 1e3, p50 / 1e3, p99 / 1e3, Stats.median(netNanos) / 1e3,
                Stats.median(kernelNanos) / 1e3, Stats.median(fraction), Stats.median(samplesPerSecond),
                Stats.median(twoThreadNanos) / 1e3);
    }

    /**
     * One round of batch-1 network calls, each one's wall-clock latency recorded (one {@code nanoTime}
     * per call: the gap between consecutive reads); returns the round's {@link RoundTimer#clock()} nanos per call.
     */
    private double batch1Network() {
        long clockStart = RoundTimer.clock();
        long previous = System.nanoTime();
        long end = previous + timer.roundNanos();
        long calls = 0;
        do {
            net.forward(x, 0, 1, out, 0, ws1);
            long now = System.nanoTime();
            if (latencyCount < latencies.length) {
                latencies[latencyCount++] = now - previous;
            }
            previous = now;
            calls++;
        } while (previous - end < 0);
        return (RoundTimer.clock() - clockStart) / (double) calls;
    }

    /**
     * One round of batch-1 calls with the two-thread workspace; returns wall-clock nanos per call (thread CPU
     * time would miss the worker's share).
     */
    private double batch1TwoThreads() {
        long start = System.nanoTime();
        long end = start + timer.roundNanos();
        long calls = 0;
        long now;
        do {
            net.forward(x, 0, 1, out, 0, ws1TwoThreads);
            calls++;
            now = System.nanoTime();
        } while (now - end < 0);
        return (now - start) / (double) calls;
    }

    /** The network's batch-1 work done by the layer kernels directly: no checks, no workspace. */
    private void kernelsBatch1() {
        MixtureKernel kernel = net.kernel();
        float[] src = x;
        for (int l = 0; l < activations.length; l++) {
            kernel.forward(src, 0, 1, banks.get(l), activations[l], 0, scratch);
            src = activations[l];
        }
    }

    private void check() {
        float[] reference = net.withKernel(MixtureKernels.scalar()).forwardBatch(x, BATCH);
        net.forward(x, 0, BATCH, out, 0, wsBatch);
        Agreement.check(net.kernel().name() + " network " + net.architecture() + " at batch " + BATCH,
                reference, out, out.length, net.outputs(),
                Agreement.NETWORK_TOLERANCE);
        float[] twoThreads = new float[net.outputs()];
        net.forward(x, 0, 1, twoThreads, 0, ws1TwoThreads);
        net.forward(x, 0, 1, out, 0, ws1);
        if (!Arrays.equals(twoThreads, 0, twoThreads.length, out, 0, twoThreads.length)) {
            throw new IllegalStateException("the two-thread workspace gives " + Arrays.toString(twoThreads)
                    + " but one thread gives " + Arrays.toString(Arrays.copyOf(out, twoThreads.length)));
        }
        kernelsBatch1();
        float[] direct = activations[activations.length - 1];
        if (!Arrays.equals(direct, 0, direct.length, out, 0, direct.length)) {
            throw new IllegalStateException("the layer kernels called directly give " + Arrays.toString(direct)
                    + " but the network gives " + Arrays.toString(Arrays.copyOf(out, direct.length))
                    + "; the kernel-only timing would not be the same work");
        }
    }
}
