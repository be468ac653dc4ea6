package io.ugmm.simd;

/**
 * The kernels' float exponential, without the Vector API: the polynomial for {@code 2^f} that the vector
 * kernels evaluate lane by lane (its coefficients live here so every kernel shares one fit), and
 * {@link #exp(float)}, the scalar twin of the vector kernel's array {@code exp}: same operations in the same
 * order, so the two agree to the bit (the vector kernel uses it for its tail).
 */
final class FloatExp {
    /**
     * 2^f on [-0.5, 0.5], degree 6, fitted for relative error (max 1e-7 evaluated in float Horner form,
     * about one float ulp). Degree 5 gave 2.3e-7, which multi-layer networks would compound.
     */
    static final float P0 = 1.0f;
    static final float P1 = 0.6931471824645996f;
    static final float P2 = 0.24022646248340607f;
    static final float P3 = 0.05550328642129898f;
    static final float P4 = 0.009618489071726799f;
    static final float P5 = 0.0013399930903688073f;
    static final float P6 = 0.00015345806605182588f;

    /** log2 e rounded to float, and the rest of it: {@code x log2 e} is carried as {@code hi + lo}. */
    static final float LOG2E = (float) (1 / Math.log(2));
    static final float LOG2E_LO = (float) (1 / Math.log(2) - LOG2E);
    /** 1.5 * 2^23: adding it rounds to an integer that lands in the low mantissa bits. */
    static final float ROUNDING_MAGIC = 12582912f;
    /**
     * Below {@code x log2 e = -125} the result is 0: smaller values would be subnormal floats (about 10x slower
     * on x86, and Java cannot flush them to zero) or need a second scaling step; {@code 2^-125} is 2.4e-38.
     */
    static final float MIN_LOG2 = -125f;
    /**
     * From {@code x log2 e = 128} up (x about 88.72, where e^x passes {@code Float.MAX_VALUE}) the result is
     * +Infinity: adding 128 to the exponent bits of a polynomial value of 1 or more would give NaN bits.
     */
    static final float MAX_LOG2 = 128f;

    private FloatExp() {
    }

    /**
     * {@code e^x} in float: within 2 ulp of the exact value for results from {@code 2^-125} up to
     * {@code Float.MAX_VALUE}; 0 below (and for {@code -Infinity}), {@code +Infinity} above, NaN for NaN.
     *
     * <p>{@code x log2 e = hi + lo} (one FMA gives the rounding error of {@code hi} exactly), {@code hi} is
     * rounded to an integer k, and {@code 2^((hi - k) + lo)} comes from the polynomial; k is added to the
     * exponent bits.
     */
    static float exp(float x) {
        float hi = x * LOG2E;
        float lo = Math.fma(x, LOG2E, -hi) + x * LOG2E_LO;
        float shifted = hi + ROUNDING_MAGIC;
        float f = (hi - (shifted - ROUNDING_MAGIC)) + lo;
        float p = poly(f);
        float r = Float.intBitsToFloat(Float.floatToRawIntBits(p) + (Float.floatToRawIntBits(shifted) << 23));
        if (hi < MIN_LOG2) {
            r = 0f;
        }
        if (hi >= MAX_LOG2) {
            r = Float.POSITIVE_INFINITY;
        }
        return x != x ? x : r;
    }

    /** 2^f for f in [-0.5, 0.5] (about), Horner form with FMAs as the vector kernels evaluate it. */
    static float poly(float f) {
        float p = Math.fma(f, P6, P5);
        p = Math.fma(p, f, P4);
        p = Math.fma(p, f, P3);
        p = Math.fma(p, f, P2);
        p = Math.fma(p, f, P1);
        return Math.fma(p, f, P0);
    }
}
