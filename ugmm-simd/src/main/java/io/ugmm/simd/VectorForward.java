package io.ugmm.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static io.ugmm.simd.VectorMixtureKernel.LOG2E;
import static io.ugmm.simd.VectorMixtureKernel.P1;
import static io.ugmm.simd.VectorMixtureKernel.P2;
import static io.ugmm.simd.VectorMixtureKernel.P3;
import static io.ugmm.simd.VectorMixtureKernel.P4;
import static io.ugmm.simd.VectorMixtureKernel.P5;
import static io.ugmm.simd.VectorMixtureKernel.P6;
import static io.ugmm.simd.VectorMixtureKernel.ROTATE_EIGHTH;
import static io.ugmm.simd.VectorMixtureKernel.ROTATE_HALF;
import static io.ugmm.simd.VectorMixtureKernel.ROTATE_QUARTER;
import static io.ugmm.simd.VectorMixtureKernel.ROTATE_SIXTEENTH;
import static io.ugmm.simd.VectorMixtureKernel.ROUNDING_MAGIC;

/**
 * The vector kernel's forward pass ({@link MixtureKernel#forward}): one pass per (row, mixture) pair computes
 * the negated terms {@code u = ((x - mean) * scale)^2 + negBias} (sub, mul, FMA), keeps their minimum and sums
 * {@code 2^(S - u log2 e)} for a base {@code S} (a hand-written exp2); {@code out = offset + ln(sum) - S ln 2}
 * in double. The base must be near the minimum (or the sum over- or underflows), which is only known at the
 * end: it is guessed from the previous pair of the mixture and the pair is summed again when the guess was
 * wrong (rare: the base is the minimum rounded down to a multiple of 64 in log2 units).
 *
 * <p>Why one pass and no scratch array: the earlier kernel stored the terms to a scratch array and read them
 * back. A 64-byte vector store to a Java array crosses a cache line unless the array happens to sit on a
 * 64-byte boundary, which Java cannot ask for; measured here the store-only pass ran at 2.5-3 G elements/s
 * in most JVM starts and 6-7 G in some, with nothing else changed (the same placement luck made the old
 * kernel bimodal on JDK 17). Recomputing nothing and storing nothing removes both the cost and the luck.
 *
 * <p>Other choices (what each bought is in the README's "Kernels" section):
 * <ul>
 *   <li>{@code u} is never negative (a square plus {@code negBias >= 0}), so a signed-int minimum on its bits
 *       orders it like the float: one {@code vpminsd} keeps the minimum, one more clamps u so the exp2
 *       argument stays above -125 (no subnormal float is ever made: Java cannot set flush-to-zero). An int
 *       minimum drops NaN, so rows holding a NaN input are written as NaN at the end.</li>
 *   <li>exp2's range reduction is two FMAs and a subtraction, with the fraction rounded once (see
 *       {@link #sumTerms}).</li>
 *   <li>Methods take and return arrays and numbers only, never a vector: when C2 declines to inline a method
 *       (node budgets, compile order), a vector crossing the call is boxed, an allocation per vector.</li>
 * </ul>
 */
final class VectorForward {
    private static final VectorSpecies<Float> F = VectorMixtureKernel.F;
    /** Int lanes of the same shape, for minima on the bits of non-negative floats. */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = F.length();

    private static final double LN2 = Math.log(2);
    /**
     * The float log2 e is 1.3e-8 (relative) below the true one, so {@code 2^(-u LOG2E)} is {@code e^-u} times
     * {@code e^(u * this)}: for the terms that dominate (u near the pair's minimum) that is a common factor,
     * taken back out in double. Without it a pair whose minimum u is 1e5 (deep layers of a badly conditioned
     * network) was off by 1e-3.
     */
    private static final double LOG2E_ROUNDING = (double) LOG2E * LN2 - 1;
    /**
     * The exp2 base {@code S} of a pair is its minimum u (in log2 units) rounded down to a multiple of this:
     * the largest term is then between 2^-64 and 1, and a base guessed from the previous pair is right again
     * for most pairs of one mixture (so each pair usually takes one pass).
     */
    private static final float BASE_STEP = 64f;
    /** Bases up to here keep {@code S + ROUNDING_MAGIC} exact; a pair beyond (u > 1.4e6) takes the double path. */
    private static final float MAX_BASE = 1 << 21;
    /**
     * exp2 arguments are clamped at {@code -EXP2_DEPTH}: the rounded integer part is then at least -125 and
     * 2^-125 x (a polynomial value of at least 0.7) is still a normal float, so no subnormal is ever made
     * (Java cannot set flush-to-zero; subnormals cost ~10x on x86). A clamped term is below 2^-60 of the
     * largest: far under float resolution of the sum.
     */
    private static final float EXP2_DEPTH = 124.5f;
    /** 0, 1, 2, ...: lane numbers, to mask the lanes of the last vector that were already summed. */
    private static final int[] LANE_INDEX = java.util.stream.IntStream.range(0, 16).toArray();
    private static final int POSITIVE_INFINITY_BITS = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);

    private VectorForward() {
    }

    /**
     * Mixture by mixture (its parameters stay in L1 while the batch streams past), row by row. The base of
     * each pair is guessed from the previous one; when the pair's minimum says otherwise, the pair is summed
     * again with the right base. The result depends on the pair alone, never on the guess: batched equals
     * row by row, bit for bit.
     */
    static void forward(float[] x, int xOff, int rows, MixtureBank bank, int from, int to, float[] out, int outOff,
                        float[] scratch) {
        int n = bank.components();
        int m = bank.mixtures();
        for (int j = from; j < to; j++) {
            int p = j * n;
            double offset = bank.offset[j];
            float guess = 0f;
            for (int b = 0; b < rows; b++) {
                int xb = xOff + b * n;
                float sum = sumTerms(x, xb, bank, p, n, guess, scratch);
                float min = scratch[0];
                float base = base(min);
                int o = outOff + b * m + j;
                if (base != guess) {
                    if (!(min < Float.POSITIVE_INFINITY)) {
                        // every term is -inf (a NaN row is written by markNaNRows)
                        out[o] = Float.NEGATIVE_INFINITY;
                        continue;
                    }
                    if (base > MAX_BASE) {
                        out[o] = (float) (offset + farPair(x, xb, bank, p, n, min));
                        continue;
                    }
                    sum = sumTerms(x, xb, bank, p, n, base, scratch);
                    guess = base;
                }
                out[o] = (float) (offset + Math.log(sum) - base * LN2 + min * LOG2E_ROUNDING);
            }
        }
        markNaNRows(x, xOff, rows, n, out, outOff, m, from, to);
    }

    /** The base for a pair whose smallest u is {@code min}: min log2 e rounded down to a multiple of BASE_STEP. */
    private static float base(float min) {
        return BASE_STEP * (float) Math.floor(min * LOG2E / BASE_STEP);
    }

    /**
     * {@code sum_i 2^(s - u_i log2 e)} for the pair (row at {@code xb}, mixture at parameter offset {@code p}),
     * with {@code u = ((x - mean) * scale)^2 + negBias}; leaves the pair's smallest u in {@code box[0]}.
     * The sum is only meaningful when {@code s == base(min)}.
     *
     * <p>exp2's range reduction: {@code shifted = fma(u, -log2 e, s + MAGIC)} rounds {@code s - u log2 e} to
     * its nearest integer k, held in the low mantissa bits; {@code (s + MAGIC) - shifted} is exactly
     * {@code k - s} negated (s is an integer, both values lie where floats are spaced 1 apart), so one more FMA
     * gives the fraction {@code f = s - k - u log2 e} with a single rounding, however large s is. 2^f comes
     * from a polynomial and k is added to its exponent bits. u is clamped first so that k >= -125.
     */
    private static float sumTerms(float[] x, int xb, MixtureBank bank, int p, int n, float s, float[] box) {
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        float sm = s + ROUNDING_MAGIC;
        float limit = (s + EXP2_DEPTH) / LOG2E;
        IntVector limitBits = IntVector.broadcast(I, Float.floatToRawIntBits(limit));
        IntVector min = IntVector.broadcast(I, POSITIVE_INFINITY_BITS);
        FloatVector smv = FloatVector.broadcast(F, sm);
        FloatVector negLog2e = FloatVector.broadcast(F, -LOG2E);
        FloatVector p1 = FloatVector.broadcast(F, P1);
        FloatVector p2 = FloatVector.broadcast(F, P2);
        FloatVector p3 = FloatVector.broadcast(F, P3);
        FloatVector p4 = FloatVector.broadcast(F, P4);
        FloatVector p5 = FloatVector.broadcast(F, P5);
        FloatVector p6 = FloatVector.broadcast(F, P6);
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector acc = FloatVector.zero(F);
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector d = FloatVector.fromArray(F, x, xb + i).sub(FloatVector.fromArray(F, mean, p + i))
                    .mul(FloatVector.fromArray(F, scale, p + i));
            IntVector uBits = d.fma(d, FloatVector.fromArray(F, negBias, p + i)).reinterpretAsInts();
            min = min.min(uBits);
            FloatVector u = uBits.min(limitBits).reinterpretAsFloats();
            FloatVector shifted = u.fma(negLog2e, smv);
            FloatVector f = u.fma(negLog2e, smv.sub(shifted));
            FloatVector poly = f.fma(p6, p5).fma(f, p4).fma(f, p3).fma(f, p2).fma(f, p1).fma(f, one);
            acc = acc.add(poly.reinterpretAsInts()
                    .add(shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats());
        }
        if (i < n && n >= L) {
            // The same steps as the loop, written out again on purpose: a helper taking vectors could be left
            // uninlined by C2 and would then box every vector it is passed. The last, partial vector: the L elements ending at n, with those already summed set to u = +inf
            // (an int blend: their clamped terms, 2^-124.5 each, are far below float resolution of the sum)
            int at = n - L;
            FloatVector d = FloatVector.fromArray(F, x, xb + at).sub(FloatVector.fromArray(F, mean, p + at))
                    .mul(FloatVector.fromArray(F, scale, p + at));
            IntVector uBits = d.fma(d, FloatVector.fromArray(F, negBias, p + at)).reinterpretAsInts()
                    .blend(POSITIVE_INFINITY_BITS, IntVector.fromArray(I, LANE_INDEX, 0).compare(VectorOperators.LT, i - at));
            min = min.min(uBits);
            FloatVector u = uBits.min(limitBits).reinterpretAsFloats();
            FloatVector shifted = u.fma(negLog2e, smv);
            FloatVector f = u.fma(negLog2e, smv.sub(shifted));
            FloatVector poly = f.fma(p6, p5).fma(f, p4).fma(f, p3).fma(f, p2).fma(f, p1).fma(f, one);
            acc = acc.add(poly.reinterpretAsInts()
                    .add(shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats());
            i = n;
        }
        // the lanes' sum in one fixed order (reduceLanes(ADD) may add in another order once compiled)
        FloatVector t = acc.add(acc.rearrange(ROTATE_HALF));
        t = t.add(t.rearrange(ROTATE_QUARTER));
        if (L >= 8) {
            t = t.add(t.rearrange(ROTATE_EIGHTH));
        }
        if (L >= 16) {
            t = t.add(t.rearrange(ROTATE_SIXTEENTH));
        }
        float smallest = Float.intBitsToFloat(min.reduceLanes(VectorOperators.MIN));
        double tail = 0;
        for (; i < n; i++) {
            float d = (x[xb + i] - mean[p + i]) * scale[p + i];
            float u = Math.fma(d, d, negBias[p + i]);
            smallest = Math.min(smallest, u);
            if (u <= limit) {
                tail += Math.exp(s * LN2 - u);
            }
        }
        box[0] = smallest;
        return (float) (t.lane(0) + tail);
    }

    /** A pair whose smallest u is beyond {@link #MAX_BASE}: its log-sum-exp in double, from the minimum. */
    private static double farPair(float[] x, int xb, MixtureBank bank, int p, int n, float min) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float d = (x[xb + i] - bank.mean[p + i]) * bank.scale[p + i];
            sum += Math.exp((double) min - Math.fma(d, d, bank.negBias[p + i]));
        }
        return Math.log(sum) - min;
    }

    /** Rows with a NaN input give NaN for every mixture (the scalar kernel's answer); int minima drop NaN. */
    private static void markNaNRows(float[] x, int xOff, int rows, int n, float[] out, int outOff, int m, int from,
                                    int to) {
        for (int b = 0; b < rows; b++) {
            if (hasNaN(x, xOff + b * n, n)) {
                java.util.Arrays.fill(out, outOff + b * m + from, outOff + b * m + to, Float.NaN);
            }
        }
    }

    /** A scalar loop: a small fraction of the kernel's work (N compares against N x M terms). */
    private static boolean hasNaN(float[] x, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (x[i] != x[i]) {
                return true;
            }
        }
        return false;
    }
}
