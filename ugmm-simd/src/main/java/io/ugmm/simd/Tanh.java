package io.ugmm.simd;

/**
 * The float tanh both dense kernels compute (the vector kernel lane by lane with the same operations, so
 * the two agree bit for bit). {@code Math.tanh} is not intrinsified on JDK 17 and costs tens of
 * nanoseconds; this costs a handful of multiply-adds.
 * <ul>
 *   <li>{@code |x| < SMALL}: the odd Taylor series to x^17 (next term below 1e-8 relative there; below it
 *       {@code 1 - e} would cancel);</li>
 *   <li>otherwise {@code (1 - e) / (1 + e)} with {@code e = exp(-2|x|)}, |x| capped at 9 (tanh(9) rounds to
 *       1 in float), the sign put back.</li>
 * </ul>
 */
final class Tanh {
    static final float SMALL = 0.55f;
    static final float CAP = 9f;
    static final float C3 = (float) (-1.0 / 3);
    static final float C5 = (float) (2.0 / 15);
    static final float C7 = (float) (-17.0 / 315);
    static final float C9 = (float) (62.0 / 2835);
    static final float C11 = (float) (-1382.0 / 155925);
    static final float C13 = (float) (21844.0 / 6081075);
    static final float C15 = (float) (-929569.0 / 638512875);
    static final float C17 = (float) (6404582.0 / 10854718875.0);
    static final float LOG2E = (float) (1 / Math.log(2));
    /** ln 2 split in two so that n * LN2_HI is exact for the |n| <= 26 used here (Cody and Waite). */
    static final float LN2_HI = 0.693145751953125f;
    static final float LN2_LO = (float) (Math.log(2) - 0.693145751953125);
    /** 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits. */
    static final float ROUNDING_MAGIC = 12582912f;
    /** e^r on |r| <= ln2/2 by its Taylor series to r^7 (relative error below 1e-8). */
    static final float E2 = 1f / 2;
    static final float E3 = 1f / 6;
    static final float E4 = 1f / 24;
    static final float E5 = 1f / 120;
    static final float E6 = 1f / 720;
    static final float E7 = 1f / 5040;

    private Tanh() {
    }

    static float of(float x) {
        float ax = Math.abs(x);
        if (ax < SMALL) {
            float x2 = x * x;
            float p = Math.fma(x2, C17, C15);
            p = Math.fma(x2, p, C13);
            p = Math.fma(x2, p, C11);
            p = Math.fma(x2, p, C9);
            p = Math.fma(x2, p, C7);
            p = Math.fma(x2, p, C5);
            p = Math.fma(x2, p, C3);
            return Math.fma(x * x2, p, x);
        }
        if (!(ax <= CAP)) {
            return ax > CAP ? Math.copySign(1f, x) : x; // beyond the cap, or NaN
        }
        float y = -2f * ax;
        float n = (y * LOG2E + ROUNDING_MAGIC) - ROUNDING_MAGIC;
        float r = Math.fma(n, -LN2_HI, y);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, E7, E6);
        p = Math.fma(r, p, E5);
        p = Math.fma(r, p, E4);
        p = Math.fma(r, p, E3);
        p = Math.fma(r, p, E2);
        p = Math.fma(r, p, 1f);
        p = Math.fma(r, p, 1f);
        float e = p * Float.intBitsToFloat(((int) n + 127) << 23);
        return Math.copySign((1f - e) / (1f + e), x);
    }
}
