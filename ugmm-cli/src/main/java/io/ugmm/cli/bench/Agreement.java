package io.ugmm.cli.bench;

/**
 * The check every measurement makes before timing anything: a fast kernel that disagrees with the
 * scalar reference is not worth timing.
 */
final class Agreement {
    /**
     * Allowed difference of one kernel call, relative to {@code max(1, |reference|)}. The vector kernel's
     * exp2 polynomial is good to about one float ulp per term; outputs measured here differ by at most 2.5e-7
     * at the bench shapes (ForwardKernelTest allows 4e-7 + N/16 x 1.2e-7 for its
     * worst inputs, 6.3e-6 at N = 784), so 2e-5: a wrong term, a lost lane or a dropped tail is off by far more.
     */
    static final double KERNEL_TOLERANCE = 2e-5;
    /**
     * Allowed difference at the end of a network. Each layer passes its rounding on multiplied by its
     * sensitivity to its inputs, about 1/sigma^2 of the dominant component: with the reference's
     * initialisation (sigma down to 1e-3) a 784-128-64-10 network turned 4e-7 after layer 1 into up to
     * 4e-4 at the root here. A wrong kernel is off by order 1; the per-shape kernel checks hold the tight bound.
     */
    static final double NETWORK_TOLERANCE = 1e-2;

    private Agreement() {
    }

    /** @throws IllegalStateException naming the first output that differs, and by how much */
    static void check(String what, float[] reference, float[] candidate, int count, int width, double tolerance) {
        for (int i = 0; i < count; i++) {
            double r = reference[i];
            double c = candidate[i];
            double allowed = tolerance * Math.max(1, Math.abs(r));
            if (!(Math.abs(r - c) <= allowed) && !(r == c)) {
                throw new IllegalStateException(what + ": output row " + i / width + ", column " + i % width
                        + " is " + c + " but the scalar reference gives " + r + " (allowed difference " + allowed
                        + "); refusing to time a wrong kernel");
            }
        }
    }
}
