package io.ugmm.jmh;

import io.ugmm.model.UgmmNetwork;
import io.ugmm.simd.MixtureBank;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;

import java.util.SplittableRandom;

/**
 * Deterministic inputs and parameters for the benchmarks, and the checks each benchmark makes in its
 * {@code @Setup} before anything is timed.
 */
final class BenchData {
    static final long SEED = 42;
    /**
     * Allowed difference of one kernel call, relative to {@code max(1, |reference|)}: the vector kernel's
     * exp2 is good to about one float ulp per term; outputs differ from the scalar ones by at most 2.5e-7 at
     * these shapes (ugmm bench's Agreement explains the 2e-5).
     */
    static final double KERNEL_TOLERANCE = 2e-5;
    /**
     * Allowed difference at the end of a network: each layer multiplies the rounding it receives by about
     * 1/sigma^2 of its dominant component (sigma down to 1e-3 at the reference's initialisation), which
     * turned 4e-7 after one layer into up to 4e-4 after three. A wrong kernel is off by order 1.
     */
    static final double NETWORK_TOLERANCE = 1e-2;
    /**
     * Allowed difference of a gradient, relative to the largest entry of the same array (small entries
     * are sums of tiny responsibilities, whose rounding is large relative to themselves but not to the
     * gradient). Measured here: at most 2.4e-7 for the backward kernel at the benchmark shapes.
     */
    static final double GRADIENT_TOLERANCE = 1e-4;

    private BenchData() {
    }

    /** A mixture bank of {@code mixtures x components} with the reference's initialisation. */
    static MixtureBank bank(int components, int mixtures, long seed) {
        return UgmmNetwork.builder(components).layer(mixtures).seed(seed).build().layers().get(0).bank();
    }

    /** The 784 -> 128 -> 64 -> 10 network of the reference's MNIST runs. */
    static UgmmNetwork mnistShaped() {
        return UgmmNetwork.builder(784).layer(128).layer(64).layer(10).seed(SEED).build();
    }

    /** {@code count} inputs uniform in [-2, 2). */
    static float[] inputs(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[count];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return x;
    }

    /**
     * The kernel this fork runs, after checking it is the one {@code -Dugmm.simd} asked for (so a
     * benchmark named "vector" cannot quietly measure the scalar fallback).
     */
    static MixtureKernel forkKernel() {
        MixtureKernel kernel = MixtureKernels.preferred();
        String forced = System.getProperty("ugmm.simd", "auto");
        if (!forced.equals("auto") && !forced.equals(kernel.name())) {
            throw new IllegalStateException("-Dugmm.simd=" + forced + " but the kernel is " + kernel.name());
        }
        return kernel;
    }

    /**
     * Like {@link #requireAgreement} with the allowed difference relative to the largest magnitude in
     * {@code reference}.
     */
    static void requireAgreementScaled(String what, float[] reference, float[] found, int width, double tolerance) {
        double largest = 0;
        for (float r : reference) {
            largest = Math.max(largest, Math.abs(r));
        }
        double allowed = tolerance * largest;
        for (int i = 0; i < reference.length; i++) {
            if (!(Math.abs(found[i] - reference[i]) <= allowed)) {
                throw new IllegalStateException(what + ": entry " + i / width + ", " + i % width + " is " + found[i]
                        + " but the scalar reference gives " + reference[i] + " (allowed difference " + allowed
                        + ", " + tolerance + " of the largest entry); refusing to time a wrong kernel");
            }
        }
    }

    /** @throws IllegalStateException naming the first output that differs from the reference by too much */
    static void requireAgreement(String what, float[] reference, float[] found, int width, double tolerance) {
        for (int i = 0; i < reference.length; i++) {
            double r = reference[i];
            double allowed = tolerance * Math.max(1, Math.abs(r));
            if (!(Math.abs(found[i] - r) <= allowed) && !(found[i] == r)) {
                throw new IllegalStateException(what + ": output row " + i / width + ", column " + i % width + " is "
                        + found[i] + " but the scalar reference gives " + r + " (allowed " + allowed
                        + "); refusing to time a wrong kernel");
            }
        }
    }
}
