package io.ugmm.simd;

/**
 * A bank of {@code mixtures} univariate Gaussian mixtures over {@code components} inputs, in the form the
 * kernels evaluate: component {@code i} of mixture {@code j} is a Gaussian over input {@code i}.
 *
 * <p>For an input row {@code x[0..components)} the log-density of mixture {@code j} is
 * <pre>
 *   logsumexp_i ( bias[j][i] - ((x[i] - mean[j][i]) * scale[j][i])^2 )
 * </pre>
 * with {@code scale = 1 / (sigma * sqrt 2)} and {@code bias = log w - log sigma - log(2 pi) / 2}: the same
 * value as {@code logsumexp_i (log w[j][i] + log N(x[i]; mean[j][i], sigma[j][i]^2))}.
 * These per-element constants are computed once here (in double, then rounded) so no kernel call
 * recomputes them. Arrays are row-major {@code [mixtures][components]} and are owned by the bank.
 *
 * <p>Instances are immutable after construction and safe to share between threads, except the bank of a
 * {@link #reusableBuilder}, which its builder refills in place.
 */
public final class MixtureBank {
    private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
    private static final double INV_SQRT2 = 1 / Math.sqrt(2);

    private final int mixtures;
    private final int components;
    final float[] mean;
    final float[] scale;
    /**
     * {@code offset[j] - bias[j][i]} with {@code offset[j] = max_i bias[j][i]}, so a kernel gets the
     * negated term {@code u = d*d + negBias} from one fused multiply-add, and the log-density is
     * {@code offset[j] + logsumexp_i(-u)}. Taking the mixture's largest bias out (and adding it back
     * in double) keeps the stored values near zero for the components that dominate, where float
     * spacing is finest: a bias of about -8 (typical: log(1/784) - log(2 pi)/2) would otherwise carry
     * a rounding error of ~5e-7 into every output.
     */
    final float[] negBias;
    /** Per mixture: the largest bias, or 0 when every weight is zero (then every negBias is +inf). */
    final double[] offset;

    private MixtureBank(int mixtures, int components, float[] mean, float[] scale, float[] negBias, double[] offset) {
        this.mixtures = mixtures;
        this.components = components;
        this.mean = mean;
        this.scale = scale;
        this.negBias = negBias;
        this.offset = offset;
    }

    /**
     * Builds a bank from means, log standard deviations and log mixing weights, each
     * {@code [mixtures][components]} row-major. Log-weights may be {@code -Infinity} (a dropped
     * component); every other value must be finite.
     *
     * @throws IllegalArgumentException naming the array and index of the first bad value
     */
    public static MixtureBank of(int mixtures, int components, float[] mean, float[] logStd, float[] logWeights) {
        return builder(mixtures, components).fill(0, mixtures, mean, logStd, logWeights).build();
    }

    /**
     * Starts a bank to be filled in parts ({@link Builder#fill}), e.g. by several threads each taking a
     * range of mixtures.
     */
    public static Builder builder(int mixtures, int components) {
        checkShape(mixtures, components);
        return new Builder(mixtures, components, false);
    }

    /**
     * A builder whose one bank is refilled in place, round after round (a trainer rebuilds its banks after every
     * step; this spares allocating and zeroing them): {@link Builder#restart()} begins a round, fills follow,
     * and {@link Builder#build()} returns the same bank every time. That bank changes when its builder refills
     * it, so it must not be in use meanwhile; it is for its builder's owner, not for sharing.
     */
    public static Builder reusableBuilder(int mixtures, int components) {
        checkShape(mixtures, components);
        return new Builder(mixtures, components, true);
    }

    private static void checkShape(int mixtures, int components) {
        if (mixtures < 1 || components < 1) {
            throw new IllegalArgumentException(
                    "a mixture bank needs at least 1 mixture and 1 component, got " + mixtures + "x" + components);
        }
    }

    /**
     * A bank under construction. Distinct ranges of mixtures may be filled from different threads at once;
     * {@link #build()} must happen after all fills (e.g. after joining those threads) and only once per round
     * (a builder from {@link #builder} has one round, one from {@link #reusableBuilder} starts each with
     * {@link #restart()}).
     */
    public static final class Builder {
        private final int mixtures;
        private final int components;
        private final float[] mean;
        private final float[] scale;
        private final float[] negBias;
        private final double[] offset;
        private final boolean[] filled;
        private final boolean reusable;
        private MixtureBank bank;
        private boolean built;

        private Builder(int mixtures, int components, boolean reusable) {
            this.mixtures = mixtures;
            this.components = components;
            this.reusable = reusable;
            int size = Math.multiplyExact(mixtures, components);
            mean = new float[size];
            scale = new float[size];
            negBias = new float[size];
            offset = new double[mixtures];
            filled = new boolean[mixtures];
        }

        /**
         * Computes mixtures {@code [from, to)} from full-size {@code [mixtures][components]} arrays (only
         * that range is read), with the rules of {@link MixtureBank#of}.
         *
         * @throws IllegalArgumentException naming the array and index of the first bad value
         */
        public Builder fill(int from, int to, float[] mean, float[] logStd, float[] logWeights) {
            return fill(from, to, mean, logStd, logWeights, null);
        }

        /**
         * {@link #fill(int, int, float[], float[], float[])} with {@code 1 / sigma = e^-logStd} from
         * {@code kernel}'s float {@link MixtureKernel#exp} over the whole range at once instead of a double
         * {@link Math#exp} per element (a training step's largest scalar cost); the vector kernel's value is
         * within 2 ulp of the double one. {@code null} takes the double one.
         */
        public Builder fill(int from, int to, float[] mean, float[] logStd, float[] logWeights, MixtureKernel kernel) {
            if (built) {
                throw new IllegalStateException(reusable ? "this bank was built; call restart() before refilling it"
                        : "this bank was already built");
            }
            int size = mixtures * components;
            checkLength("mean", mean, size, mixtures, components);
            checkLength("logStd", logStd, size, mixtures, components);
            checkLength("logWeights", logWeights, size, mixtures, components);
            if (from < 0 || to > mixtures || from > to) {
                throw new IllegalArgumentException("mixture range [" + from + ", " + to + ") is outside [0, "
                        + mixtures + ")");
            }
            int e0 = from * components;
            int e1 = to * components;
            // separate passes without a branch per element (the kernel's checks are vector code): together they
            // cost a fraction of one loop that checks as it goes (measured 1.3 ms for 784 x 128)
            MixtureKernel checks = kernel != null ? kernel : MixtureKernels.scalar();
            int count = e1 - e0;
            if (!checks.allWithin(mean, e0, count, -Float.MAX_VALUE, Float.MAX_VALUE)
                    || !checks.allWithin(logStd, e0, count, -Float.MAX_VALUE, Float.MAX_VALUE)
                    || !checks.allWithin(logWeights, e0, count, Float.NEGATIVE_INFINITY, Float.MAX_VALUE)) {
                throw firstBadValue(mean, logStd, logWeights, e0, e1, components);
            }
            System.arraycopy(mean, e0, this.mean, e0, e1 - e0);
            if (kernel != null) {
                for (int e = e0; e < e1; e++) {
                    scale[e] = -logStd[e];
                }
                kernel.exp(scale, e0, e1 - e0, scale, e0);
                float invSqrt2 = (float) INV_SQRT2;
                for (int e = e0; e < e1; e++) {
                    scale[e] *= invSqrt2;
                }
            } else {
                for (int e = e0; e < e1; e++) {
                    scale[e] = (float) (Math.exp(-(double) logStd[e]) * INV_SQRT2);
                }
            }
            if (!checks.allWithin(scale, e0, count, Float.MIN_VALUE, Float.MAX_VALUE)) { // not 0, not infinite
                for (int e = e0; e < e1; e++) {
                    if (!Float.isFinite(scale[e]) || scale[e] == 0f) {
                        throw badValue("logStd", e, components, logStd[e],
                                "a log standard deviation whose 1/sigma fits a float");
                    }
                }
            }
            // each float -> double conversion is a serial dependency in JDK 17's code for such loops: convert once;
            // the biases, their maximum and the negated biases in three loops (0.27 -> 0.17 ms for 784 x 128 on
            // JDK 17, 0.13 -> 0.08 on JDK 25: the first and last are vectorised then, a loop with the maximum is not)
            double[] bias = new double[components];
            for (int j = from; j < to; j++) {
                int p = j * components;
                for (int i = 0; i < components; i++) {
                    bias[i] = bias(logWeights[p + i], logStd[p + i]);
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < components; i++) {
                    max = Math.max(max, bias[i]); // no NaN here (checked above), and a bias is never -0.0
                }
                double o = max == Double.NEGATIVE_INFINITY ? 0 : max;
                offset[j] = o;
                for (int i = 0; i < components; i++) {
                    negBias[p + i] = (float) (o - bias[i]);
                }
                filled[j] = true;
            }
            return this;
        }

        /** The bank; every mixture must have been filled (in this round). */
        public MixtureBank build() {
            if (built) {
                throw new IllegalStateException("this bank was already built");
            }
            for (int j = 0; j < mixtures; j++) {
                if (!filled[j]) {
                    throw new IllegalStateException("mixture " + j + " of " + mixtures + " was never filled");
                }
            }
            built = true;
            if (bank == null) {
                bank = new MixtureBank(mixtures, components, mean, scale, negBias, offset);
            }
            return bank;
        }

        /**
         * Begins the next round of a {@link #reusableBuilder}: every mixture must be filled again before
         * {@link #build()}; the bank it returned is refilled in place.
         */
        public Builder restart() {
            if (!reusable) {
                throw new IllegalStateException("only a reusableBuilder can be restarted; this one builds one bank");
            }
            built = false;
            java.util.Arrays.fill(filled, false);
            return this;
        }
    }

    /** The error for the first bad value in {@code [e0, e1)}, in the order a user reads them. */
    private static IllegalArgumentException firstBadValue(float[] mean, float[] logStd, float[] logWeights, int e0,
                                                          int e1, int components) {
        for (int e = e0; e < e1; e++) {
            if (!Float.isFinite(mean[e])) {
                return badValue("mean", e, components, mean[e], "a finite number");
            }
            if (!Float.isFinite(logStd[e])) {
                return badValue("logStd", e, components, logStd[e], "a finite number");
            }
            float w = logWeights[e];
            if (Float.isNaN(w) || w == Float.POSITIVE_INFINITY) {
                return badValue("logWeights", e, components, w, "a finite number or -Infinity");
            }
        }
        throw new AssertionError("no bad value in [" + e0 + ", " + e1 + ")");
    }

    /** {@code log w - log sigma - log(2 pi) / 2} in double, as the bank stores it. */
    private static double bias(float logWeight, float logStd) {
        return (double) logWeight - logStd - HALF_LOG_TWO_PI;
    }

    private static void checkLength(String name, float[] a, int size, int mixtures, int components) {
        if (a == null) {
            throw new IllegalArgumentException(name + " is null; expected " + size + " values");
        }
        if (a.length != size) {
            throw new IllegalArgumentException(name + " has " + a.length + " values; expected " + size
                    + " (" + mixtures + " mixtures x " + components + " components)");
        }
    }

    private static IllegalArgumentException badValue(String name, int e, int components, float v, String expected) {
        return new IllegalArgumentException(name + "[" + (e / components) + "][" + (e % components) + "] is " + v
                + "; expected " + expected);
    }

    /** Number of mixtures (outputs per row). */
    public int mixtures() {
        return mixtures;
    }

    /** Number of components per mixture, which is also the number of inputs per row. */
    public int components() {
        return components;
    }

    /** The term for mixture {@code j}, component {@code i} at input value {@code x}, computed as the kernels do. */
    public float term(int j, int i, float x) {
        int e = j * components + i;
        float d = (x - mean[e]) * scale[e];
        return (float) (offset[j] - Math.fma(d, d, negBias[e]));
    }

    /** A copy of the means, {@code [mixtures][components]}. */
    public float[] mean() {
        return mean.clone();
    }

    /** A copy of {@code 1 / (sigma * sqrt 2)}, {@code [mixtures][components]}. */
    public float[] scale() {
        return scale.clone();
    }

    /** A copy of {@code log w - log sigma - log(2 pi)/2}, {@code [mixtures][components]}. */
    public float[] bias() {
        float[] bias = new float[negBias.length];
        for (int e = 0; e < bias.length; e++) {
            bias[e] = (float) (offset[e / components] - negBias[e]);
        }
        return bias;
    }
}
