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
 * <p>Instances are immutable after construction and safe to share between threads.
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
     * range of mixtures: a trainer rebuilds its banks after every step.
     */
    public static Builder builder(int mixtures, int components) {
        if (mixtures < 1 || components < 1) {
            throw new IllegalArgumentException(
                    "a mixture bank needs at least 1 mixture and 1 component, got " + mixtures + "x" + components);
        }
        return new Builder(mixtures, components);
    }

    /**
     * A bank under construction. Distinct ranges of mixtures may be filled from different threads at once;
     * {@link #build()} must happen after all fills (e.g. after joining those threads) and only once.
     */
    public static final class Builder {
        private final int mixtures;
        private final int components;
        private final float[] mean;
        private final float[] scale;
        private final float[] negBias;
        private final double[] offset;
        private final boolean[] filled;
        private boolean built;

        private Builder(int mixtures, int components) {
            this.mixtures = mixtures;
            this.components = components;
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
            if (built) {
                throw new IllegalStateException("this bank was already built");
            }
            int size = mixtures * components;
            checkLength("mean", mean, size, mixtures, components);
            checkLength("logStd", logStd, size, mixtures, components);
            checkLength("logWeights", logWeights, size, mixtures, components);
            if (from < 0 || to > mixtures || from > to) {
                throw new IllegalArgumentException("mixture range [" + from + ", " + to + ") is outside [0, "
                        + mixtures + ")");
            }
            double[] bias = new double[components];
            for (int j = from; j < to; j++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < components; i++) {
                    int e = j * components + i;
                    if (!Float.isFinite(mean[e])) {
                        throw badValue("mean", e, components, mean[e], "a finite number");
                    }
                    float s = logStd[e];
                    if (!Float.isFinite(s)) {
                        throw badValue("logStd", e, components, s, "a finite number");
                    }
                    float w = logWeights[e];
                    if (Float.isNaN(w) || w == Float.POSITIVE_INFINITY) {
                        throw badValue("logWeights", e, components, w, "a finite number or -Infinity");
                    }
                    scale[e] = (float) (Math.exp(-(double) s) * INV_SQRT2);
                    if (!Float.isFinite(scale[e]) || scale[e] == 0f) {
                        throw badValue("logStd", e, components, s,
                                "a log standard deviation whose 1/sigma fits a float");
                    }
                    bias[i] = (double) w - s - HALF_LOG_TWO_PI;
                    max = Math.max(max, bias[i]);
                    this.mean[e] = mean[e];
                }
                offset[j] = max == Double.NEGATIVE_INFINITY ? 0 : max;
                for (int i = 0; i < components; i++) {
                    negBias[j * components + i] = (float) (offset[j] - bias[i]);
                }
                filled[j] = true;
            }
            return this;
        }

        /** The bank; every mixture must have been filled. */
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
            return new MixtureBank(mixtures, components, mean, scale, negBias, offset);
        }
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
