package io.ugmm.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import static io.ugmm.simd.VectorMixtureKernel.LOG2E;
import static io.ugmm.simd.VectorMixtureKernel.P1;
import static io.ugmm.simd.VectorMixtureKernel.P2;
import static io.ugmm.simd.VectorMixtureKernel.P3;
import static io.ugmm.simd.VectorMixtureKernel.P4;
import static io.ugmm.simd.VectorMixtureKernel.P5;
import static io.ugmm.simd.VectorMixtureKernel.P6;
import static io.ugmm.simd.VectorMixtureKernel.ROTATE_HALF;
import static io.ugmm.simd.VectorMixtureKernel.ROTATE_QUARTER;
import static io.ugmm.simd.VectorMixtureKernel.ROTATE_EIGHTH;
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
 * <p>Pairs are grouped, never changing a pair's bits: four rows of one node are summed in one loop sharing the
 * node's parameter loads (below four rows, four nodes of one row share the row's loads), which also gives
 * the core four independent chains; sixteen pairs are finished together, their logs one vector computation
 * ({@link #logs}) instead of a {@code Math.log} each (about 27 cycles per pair measured, a fifth of a pair's
 * time at N = 128). The per-pair work left is done for several pairs at once where that keeps the bits: a
 * block's four lane sums and minima are reduced together, a chunk's bases are checked against the guess L
 * pairs at a time ({@link #allGuessed}) and, on JDK 25, a node's outputs written L/2 at a time
 * ({@link #writeOneNode}).
 *
 * <p>Other choices (what each bought is in the README's "Kernels" section):
 * <ul>
 *   <li>{@code u} is never negative (a square plus {@code negBias >= 0}), so a signed-int minimum on its bits
 *       orders it like the float: one {@code vpminsd} keeps the minimum, one more clamps u so the exp2
 *       argument stays above -125 (no subnormal float is ever made: Java cannot set flush-to-zero). An int
 *       minimum drops NaN, so rows holding a NaN input are written as NaN at the end.</li>
 *   <li>exp2's range reduction is two FMAs and a subtraction, with the fraction rounded once (see
 *       {@link #sumTerms}); its {@code 2^k} is built as a float from k's bits and multiplied in by the FMA
 *       that accumulates the term (one operation fewer than adding k to the polynomial's exponent bits, and
 *       the same bits).</li>
 *   <li>Methods take and return arrays and numbers only, never a vector: when C2 declines to inline a method
 *       (node budgets, compile order), a vector crossing the call is boxed, an allocation per vector.</li>
 * </ul>
 */
final class VectorForward {
    private static final VectorSpecies<Float> F = VectorMixtureKernel.F;
    /** Int lanes of the same shape, for minima on the bits of non-negative floats. */
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final int L = F.length();
    /** Doubles of the same vector size, and floats of half of it (as many lanes as D): for {@link #writeOneNode}. */
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());
    private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class,
            VectorShape.forBitSize(F.vectorBitSize() / 2));
    /**
     * Whether outputs are written by {@link #writeOneNode}: on JDK 25 its float/double conversions compile to
     * single instructions (+6 % at (256, 128, 64) measured); JDK 17 runs them as Java code (-14 %), so it, and
     * the untested versions between, keep the scalar {@link #write}.
     */
    static final boolean VECTOR_WRITE = Runtime.version().feature() >= 25;

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
    /** Pairs summed together (rows of one node, or nodes of one row), sharing the loads they have in common. */
    static final int BLOCK = 4;
    /** Pairs finished together: their logs are one vector computation (one 512-bit vector, or 2 or 4 narrower). */
    static final int CHUNK = 16;
    /** Where {@link #chunk} keeps its pairs' sums, minima, ln(m) and exponents in the scratch array. */
    private static final int SUM = 0;
    private static final int MIN = CHUNK;
    private static final int LOG = 2 * CHUNK;
    private static final int EXPONENT = 3 * CHUNK;
    /** Scratch floats the kernel needs. */
    static final int SCRATCH = 4 * CHUNK;
    private static final int SQRT_HALF_BITS = Float.floatToRawIntBits((float) Math.sqrt(0.5));
    private static final int MANTISSA_BITS = (1 << 23) - 1;
    private static final float ATANH_3 = 1f / 3;
    private static final float ATANH_5 = 1f / 5;
    private static final float ATANH_7 = 1f / 7;
    private static final float ATANH_9 = 1f / 9;

    private VectorForward() {
    }

    /**
     * Node by node (its parameters stay in L1 while the batch streams past), {@link #CHUNK} rows at a time; with
     * fewer than {@link #BLOCK} rows, row by row, {@link #CHUNK} nodes at a time. The result depends on the pair
     * alone, never on the guessed base or on how pairs were grouped: batched equals row by row, bit for bit.
     */
    static void forward(float[] x, int xOff, int rows, MixtureBank bank, int from, int to, float[] out, int outOff,
                        float[] scratch) {
        int n = bank.components();
        int m = bank.mixtures();
        if (rows >= BLOCK) {
            for (int j = from; j < to; j++) {
                float guess = 0f;
                for (int b = 0; b < rows; b += CHUNK) {
                    guess = chunk(x, xOff + b * n, n, bank, j, 0, Math.min(CHUNK, rows - b), out, outOff + b * m + j,
                            m, scratch, guess);
                }
            }
        } else {
            for (int b = 0; b < rows; b++) {
                float guess = 0f;
                for (int j = from; j < to; j += CHUNK) {
                    guess = chunk(x, xOff + b * n, 0, bank, j, 1, Math.min(CHUNK, to - j), out, outOff + b * m + j,
                            1, scratch, guess);
                }
            }
        }
        markNaNRows(x, xOff, rows, n, out, outOff, m, from, to);
    }

    /**
     * {@code count} pairs (at most {@link #CHUNK}): pair k is the row at {@code xb + k xStride} with node
     * {@code j + k jStride}, written to {@code out[o + k oStride]}. Sums them with the base {@code guess}
     * ({@link #BLOCK} pairs at a time, sharing loads), re-sums the pairs whose base was guessed wrong, takes
     * all the logs in one vector computation ({@link #logs}) and writes the outputs. Returns the next guess.
     */
    private static float chunk(float[] x, int xb, int xStride, MixtureBank bank, int j, int jStride, int count,
                               float[] out, int o, int oStride, float[] scratch, float guess) {
        int n = bank.components();
        int k = 0;
        if (n >= L) {
            for (; k + BLOCK <= count; k += BLOCK) {
                if (jStride == 0) {
                    sumRows(x, xb + k * xStride, xStride, bank, j * n, guess, scratch, k);
                } else {
                    sumNodes(x, xb, bank, (j + k) * n, n, guess, scratch, k);
                }
            }
        }
        for (; k < count; k++) {
            scratch[SUM + k] = sumTerms(x, xb + k * xStride, bank, (j + k * jStride) * n, n, guess, scratch, MIN + k);
        }
        java.util.Arrays.fill(scratch, SUM + count, SUM + CHUNK, 1f);
        if (allGuessed(scratch, count, guess)) {
            java.util.Arrays.fill(scratch, EXPONENT, EXPONENT + CHUNK, guess);
            logs(scratch);
            if (jStride == 0 && VECTOR_WRITE) {
                writeOneNode(bank.offset[j], count, out, o, oStride, scratch);
                return guess;
            }
            return write(x, xb, xStride, bank, j, jStride, count, out, o, oStride, scratch, guess);
        }
        float next = guess;
        for (k = 0; k < count; k++) {
            float min = scratch[MIN + k];
            float base = base(min);
            if (!(min < Float.POSITIVE_INFINITY) || base > MAX_BASE) {
                // written below without a sum
                scratch[SUM + k] = 1f;
                scratch[EXPONENT + k] = Float.NaN;
                continue;
            }
            if (base != guess) {
                scratch[SUM + k] = sumTerms(x, xb + k * xStride, bank, (j + k * jStride) * n, n, base, scratch, MIN + k);
                next = base;
            }
            scratch[EXPONENT + k] = base;
        }
        logs(scratch);
        return write(x, xb, xStride, bank, j, jStride, count, out, o, oStride, scratch, next);
    }

    /**
     * {@link #write} for pairs of one node whose sums all had the guessed base (the common case): the same
     * double arithmetic in the same order, {@code D.length()} pairs at a time (floats widened to doubles of the
     * same vector size and back), so the same bits.
     */
    static void writeOneNode(double offset, int count, float[] out, int o, int oStride, float[] scratch) {
        DoubleVector off = DoubleVector.broadcast(D, offset);
        for (int k = 0; k < CHUNK; k += D.length()) {
            DoubleVector exponent = (DoubleVector) FloatVector.fromArray(HALF, scratch, EXPONENT + k)
                    .convertShape(VectorOperators.F2D, D, 0);
            DoubleVector log = (DoubleVector) FloatVector.fromArray(HALF, scratch, LOG + k)
                    .convertShape(VectorOperators.F2D, D, 0);
            DoubleVector min = (DoubleVector) FloatVector.fromArray(HALF, scratch, MIN + k)
                    .convertShape(VectorOperators.F2D, D, 0);
            DoubleVector sum = off.add(exponent.mul(LN2)).add(log).add(min.mul(LOG2E_ROUNDING));
            sum.convertShape(VectorOperators.D2F, HALF, 0).reinterpretAsFloats().intoArray(scratch, SUM + k);
        }
        for (int k = 0; k < count; k++) {
            out[o + k * oStride] = scratch[SUM + k];
        }
    }

    /** Writes the {@code count} pairs' outputs from the sums' logs, bases and minima in scratch; returns next. */
    static float write(float[] x, int xb, int xStride, MixtureBank bank, int j, int jStride, int count,
                               float[] out, int o, int oStride, float[] scratch, float next) {
        int n = bank.components();
        for (int k = 0; k < count; k++) {
            float min = scratch[MIN + k];
            float exponent = scratch[EXPONENT + k];
            double offset = bank.offset[j + k * jStride];
            int at = o + k * oStride;
            if (exponent == exponent) {
                out[at] = (float) (offset + exponent * LN2 + scratch[LOG + k] + min * LOG2E_ROUNDING);
            } else if (!(min < Float.POSITIVE_INFINITY)) {
                // every term is -inf (a NaN row is written by markNaNRows)
                out[at] = Float.NEGATIVE_INFINITY;
            } else {
                out[at] = (float) (offset + farPair(x, xb + k * xStride, bank, (j + k * jStride) * n, n, min));
            }
        }
        return next;
    }

    /**
     * The natural logs of the {@link #CHUNK} sums at {@code scratch[SUM..]}, split as {@code e ln 2 + ln(m)}
     * with {@code sum = 2^e m}, {@code m} in [sqrt(1/2), sqrt(2)): e (exact) goes to {@code scratch[EXPONENT..]},
     * ln(m) to {@code scratch[LOG..]}, so the large part of the log is added in double by the caller and only a
     * number below 0.35 carries float rounding (about 4e-8). Sums are positive normal floats.
     * {@code ln(m) = 2 atanh(z)}, {@code z = (m - 1) / (m + 1)}, |z| < 0.172: the series to z^9 is within
     * 3e-10 relative.
     */
    private static void logs(float[] scratch) {
        IntVector sqrtHalf = IntVector.broadcast(I, SQRT_HALF_BITS);
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (int k = 0; k < CHUNK; k += L) {
            IntVector bits = FloatVector.fromArray(F, scratch, SUM + k).reinterpretAsInts().sub(sqrtHalf);
            IntVector e = bits.lanewise(VectorOperators.ASHR, 23);
            FloatVector mant = bits.and(MANTISSA_BITS).add(sqrtHalf).reinterpretAsFloats();
            FloatVector z = mant.sub(one).div(mant.add(one));
            FloatVector w = z.mul(z);
            FloatVector series = w.fma(ATANH_9, ATANH_7).fma(w, FloatVector.broadcast(F, ATANH_5))
                    .fma(w, FloatVector.broadcast(F, ATANH_3)).fma(w, one);
            z.add(z).mul(series).intoArray(scratch, LOG + k);
            ((FloatVector) e.convert(VectorOperators.I2F, 0)).sub(FloatVector.fromArray(F, scratch, EXPONENT + k))
                    .intoArray(scratch, EXPONENT + k);
        }
    }

    /**
     * {@link #sumTerms} for {@link #BLOCK} pairs at once: the rows at {@code xb + r xStride} with the node at
     * parameter offset {@code p}, sharing its parameter loads, each pair with exactly the operations
     * {@link #sumTerms} applies to it. Sums go to {@code box[SUM + k + r]}, minima to {@code box[MIN + k + r]}.
     * Written out four times on purpose: an array of vectors would be a heap object.
     */
    private static void sumRows(float[] x, int xb, int xStride, MixtureBank bank, int p, float s, float[] box,
                                int k) {
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        int n = bank.components();
        float sm = s + ROUNDING_MAGIC + 127f;
        float limit = (s + EXP2_DEPTH) / LOG2E;
        IntVector limitBits = IntVector.broadcast(I, Float.floatToRawIntBits(limit));
        FloatVector smv = FloatVector.broadcast(F, sm);
        FloatVector negLog2e = FloatVector.broadcast(F, -LOG2E);
        FloatVector p1 = FloatVector.broadcast(F, P1);
        FloatVector p2 = FloatVector.broadcast(F, P2);
        FloatVector p3 = FloatVector.broadcast(F, P3);
        FloatVector p4 = FloatVector.broadcast(F, P4);
        FloatVector p5 = FloatVector.broadcast(F, P5);
        FloatVector p6 = FloatVector.broadcast(F, P6);
        FloatVector one = FloatVector.broadcast(F, 1f);
        IntVector min0 = IntVector.broadcast(I, POSITIVE_INFINITY_BITS);
        IntVector min1 = min0;
        IntVector min2 = min0;
        IntVector min3 = min0;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector mu = FloatVector.fromArray(F, mean, p + i);
            FloatVector sc = FloatVector.fromArray(F, scale, p + i);
            FloatVector nb = FloatVector.fromArray(F, negBias, p + i);
            FloatVector d0 = FloatVector.fromArray(F, x, xb + i).sub(mu).mul(sc);
            IntVector u0 = d0.fma(d0, nb).reinterpretAsInts();
            min0 = min0.min(u0);
            FloatVector clamped0 = u0.min(limitBits).reinterpretAsFloats();
            FloatVector shifted0 = clamped0.fma(negLog2e, smv);
            FloatVector f0 = clamped0.fma(negLog2e, smv.sub(shifted0));
            acc0 = f0.fma(p6, p5).fma(f0, p4).fma(f0, p3).fma(f0, p2).fma(f0, p1).fma(f0, one)
                    .fma(shifted0.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc0);
            FloatVector d1 = FloatVector.fromArray(F, x, xb + xStride + i).sub(mu).mul(sc);
            IntVector u1 = d1.fma(d1, nb).reinterpretAsInts();
            min1 = min1.min(u1);
            FloatVector clamped1 = u1.min(limitBits).reinterpretAsFloats();
            FloatVector shifted1 = clamped1.fma(negLog2e, smv);
            FloatVector f1 = clamped1.fma(negLog2e, smv.sub(shifted1));
            acc1 = f1.fma(p6, p5).fma(f1, p4).fma(f1, p3).fma(f1, p2).fma(f1, p1).fma(f1, one)
                    .fma(shifted1.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc1);
            FloatVector d2 = FloatVector.fromArray(F, x, xb + 2 * xStride + i).sub(mu).mul(sc);
            IntVector u2 = d2.fma(d2, nb).reinterpretAsInts();
            min2 = min2.min(u2);
            FloatVector clamped2 = u2.min(limitBits).reinterpretAsFloats();
            FloatVector shifted2 = clamped2.fma(negLog2e, smv);
            FloatVector f2 = clamped2.fma(negLog2e, smv.sub(shifted2));
            acc2 = f2.fma(p6, p5).fma(f2, p4).fma(f2, p3).fma(f2, p2).fma(f2, p1).fma(f2, one)
                    .fma(shifted2.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc2);
            FloatVector d3 = FloatVector.fromArray(F, x, xb + 3 * xStride + i).sub(mu).mul(sc);
            IntVector u3 = d3.fma(d3, nb).reinterpretAsInts();
            min3 = min3.min(u3);
            FloatVector clamped3 = u3.min(limitBits).reinterpretAsFloats();
            FloatVector shifted3 = clamped3.fma(negLog2e, smv);
            FloatVector f3 = clamped3.fma(negLog2e, smv.sub(shifted3));
            acc3 = f3.fma(p6, p5).fma(f3, p4).fma(f3, p3).fma(f3, p2).fma(f3, p1).fma(f3, one)
                    .fma(shifted3.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc3);
        }
        if (i < n) {
            // the last, partial vector: the L elements ending at n, those already summed set to u = +inf
            int at = n - L;
            VectorMask<Integer> done = IntVector.fromArray(I, LANE_INDEX, 0).compare(VectorOperators.LT, i - at);
            FloatVector mu = FloatVector.fromArray(F, mean, p + at);
            FloatVector sc = FloatVector.fromArray(F, scale, p + at);
            FloatVector nb = FloatVector.fromArray(F, negBias, p + at);
            FloatVector d0 = FloatVector.fromArray(F, x, xb + at).sub(mu).mul(sc);
            IntVector u0 = d0.fma(d0, nb).reinterpretAsInts()
                    .blend(POSITIVE_INFINITY_BITS, done);
            min0 = min0.min(u0);
            FloatVector clamped0 = u0.min(limitBits).reinterpretAsFloats();
            FloatVector shifted0 = clamped0.fma(negLog2e, smv);
            FloatVector f0 = clamped0.fma(negLog2e, smv.sub(shifted0));
            acc0 = f0.fma(p6, p5).fma(f0, p4).fma(f0, p3).fma(f0, p2).fma(f0, p1).fma(f0, one)
                    .fma(shifted0.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc0);
            FloatVector d1 = FloatVector.fromArray(F, x, xb + xStride + at).sub(mu).mul(sc);
            IntVector u1 = d1.fma(d1, nb).reinterpretAsInts()
                    .blend(POSITIVE_INFINITY_BITS, done);
            min1 = min1.min(u1);
            FloatVector clamped1 = u1.min(limitBits).reinterpretAsFloats();
            FloatVector shifted1 = clamped1.fma(negLog2e, smv);
            FloatVector f1 = clamped1.fma(negLog2e, smv.sub(shifted1));
            acc1 = f1.fma(p6, p5).fma(f1, p4).fma(f1, p3).fma(f1, p2).fma(f1, p1).fma(f1, one)
                    .fma(shifted1.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc1);
            FloatVector d2 = FloatVector.fromArray(F, x, xb + 2 * xStride + at).sub(mu).mul(sc);
            IntVector u2 = d2.fma(d2, nb).reinterpretAsInts()
                    .blend(POSITIVE_INFINITY_BITS, done);
            min2 = min2.min(u2);
            FloatVector clamped2 = u2.min(limitBits).reinterpretAsFloats();
            FloatVector shifted2 = clamped2.fma(negLog2e, smv);
            FloatVector f2 = clamped2.fma(negLog2e, smv.sub(shifted2));
            acc2 = f2.fma(p6, p5).fma(f2, p4).fma(f2, p3).fma(f2, p2).fma(f2, p1).fma(f2, one)
                    .fma(shifted2.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc2);
            FloatVector d3 = FloatVector.fromArray(F, x, xb + 3 * xStride + at).sub(mu).mul(sc);
            IntVector u3 = d3.fma(d3, nb).reinterpretAsInts()
                    .blend(POSITIVE_INFINITY_BITS, done);
            min3 = min3.min(u3);
            FloatVector clamped3 = u3.min(limitBits).reinterpretAsFloats();
            FloatVector shifted3 = clamped3.fma(negLog2e, smv);
            FloatVector f3 = clamped3.fma(negLog2e, smv.sub(shifted3));
            acc3 = f3.fma(p6, p5).fma(f3, p4).fma(f3, p3).fma(f3, p2).fma(f3, p1).fma(f3, one)
                    .fma(shifted3.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc3);
        }
        // The four sums' fixed-order lane trees (lane i plus lane i ^ L/2, then i ^ L/4, ...: the same additions
        // as sumTerms' rotations) and the four minima, taken together: each of the first two steps joins two
        // vectors into one (lane groups blended, swapped, added), so 16 operations do what 32 did one by one.
        // Pair r's sum and minimum end in lane 0, L/2, L/4, 3L/4 for r = 0, 1, 2, 3.
        FloatVector ab = acc0.blend(acc1, UPPER_HALF).add(acc1.blend(acc0, UPPER_HALF).rearrange(SWAP_HALF));
        FloatVector cd = acc2.blend(acc3, UPPER_HALF).add(acc3.blend(acc2, UPPER_HALF).rearrange(SWAP_HALF));
        FloatVector t = ab.blend(cd, UPPER_QUARTER).add(cd.blend(ab, UPPER_QUARTER).rearrange(SWAP_QUARTER));
        if (L >= 8) {
            t = t.add(t.rearrange(SWAP_EIGHTH));
        }
        if (L >= 16) {
            t = t.add(t.rearrange(SWAP_SIXTEENTH));
        }
        IntVector mab = min0.blend(min1, INT_UPPER_HALF).min(min1.blend(min0, INT_UPPER_HALF).rearrange(INT_SWAP_HALF));
        IntVector mcd = min2.blend(min3, INT_UPPER_HALF).min(min3.blend(min2, INT_UPPER_HALF).rearrange(INT_SWAP_HALF));
        IntVector m = mab.blend(mcd, INT_UPPER_QUARTER)
                .min(mcd.blend(mab, INT_UPPER_QUARTER).rearrange(INT_SWAP_QUARTER));
        if (L >= 8) {
            m = m.min(m.rearrange(INT_SWAP_EIGHTH));
        }
        if (L >= 16) {
            m = m.min(m.rearrange(INT_SWAP_SIXTEENTH));
        }
        // through the (still unused) log and exponent slots: one store each instead of three lane extractions
        int q = L / 4;
        t.intoArray(box, LOG);
        m.reinterpretAsFloats().intoArray(box, LOG + L);
        box[SUM + k] = box[LOG];
        box[SUM + k + 1] = box[LOG + 2 * q];
        box[SUM + k + 2] = box[LOG + q];
        box[SUM + k + 3] = box[LOG + 3 * q];
        box[MIN + k] = box[LOG + L];
        box[MIN + k + 1] = box[LOG + L + 2 * q];
        box[MIN + k + 2] = box[LOG + L + q];
        box[MIN + k + 3] = box[LOG + L + 3 * q];
    }

    /**
     * {@link #sumRows} turned around: the row at {@code xb} with the {@link #BLOCK} nodes at parameter offsets
     * {@code p + r pStride}, sharing the row's loads (for batches of fewer than {@link #BLOCK} rows).
     */
    private static void sumNodes(float[] x, int xb, MixtureBank bank, int p, int pStride, float s, float[] box,
                                 int k) {
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        int n = bank.components();
        float sm = s + ROUNDING_MAGIC + 127f;
        float limit = (s + EXP2_DEPTH) / LOG2E;
        IntVector limitBits = IntVector.broadcast(I, Float.floatToRawIntBits(limit));
        FloatVector smv = FloatVector.broadcast(F, sm);
        FloatVector negLog2e = FloatVector.broadcast(F, -LOG2E);
        FloatVector p1 = FloatVector.broadcast(F, P1);
        FloatVector p2 = FloatVector.broadcast(F, P2);
        FloatVector p3 = FloatVector.broadcast(F, P3);
        FloatVector p4 = FloatVector.broadcast(F, P4);
        FloatVector p5 = FloatVector.broadcast(F, P5);
        FloatVector p6 = FloatVector.broadcast(F, P6);
        FloatVector one = FloatVector.broadcast(F, 1f);
        IntVector min0 = IntVector.broadcast(I, POSITIVE_INFINITY_BITS);
        IntVector min1 = min0;
        IntVector min2 = min0;
        IntVector min3 = min0;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = acc0;
        FloatVector acc2 = acc0;
        FloatVector acc3 = acc0;
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xb + i);
            FloatVector d0 = xv
                    .sub(FloatVector.fromArray(F, mean, p + i))
                    .mul(FloatVector.fromArray(F, scale, p + i));
            IntVector u0 = d0.fma(d0, FloatVector.fromArray(F, negBias, p + i)).reinterpretAsInts();
            min0 = min0.min(u0);
            FloatVector clamped0 = u0.min(limitBits).reinterpretAsFloats();
            FloatVector shifted0 = clamped0.fma(negLog2e, smv);
            FloatVector f0 = clamped0.fma(negLog2e, smv.sub(shifted0));
            acc0 = f0.fma(p6, p5).fma(f0, p4).fma(f0, p3).fma(f0, p2).fma(f0, p1).fma(f0, one)
                    .fma(shifted0.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc0);
            FloatVector d1 = xv
                    .sub(FloatVector.fromArray(F, mean, p + pStride + i))
                    .mul(FloatVector.fromArray(F, scale, p + pStride + i));
            IntVector u1 = d1.fma(d1, FloatVector.fromArray(F, negBias, p + pStride + i)).reinterpretAsInts();
            min1 = min1.min(u1);
            FloatVector clamped1 = u1.min(limitBits).reinterpretAsFloats();
            FloatVector shifted1 = clamped1.fma(negLog2e, smv);
            FloatVector f1 = clamped1.fma(negLog2e, smv.sub(shifted1));
            acc1 = f1.fma(p6, p5).fma(f1, p4).fma(f1, p3).fma(f1, p2).fma(f1, p1).fma(f1, one)
                    .fma(shifted1.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc1);
            FloatVector d2 = xv
                    .sub(FloatVector.fromArray(F, mean, p + 2 * pStride + i))
                    .mul(FloatVector.fromArray(F, scale, p + 2 * pStride + i));
            IntVector u2 = d2.fma(d2, FloatVector.fromArray(F, negBias, p + 2 * pStride + i)).reinterpretAsInts();
            min2 = min2.min(u2);
            FloatVector clamped2 = u2.min(limitBits).reinterpretAsFloats();
            FloatVector shifted2 = clamped2.fma(negLog2e, smv);
            FloatVector f2 = clamped2.fma(negLog2e, smv.sub(shifted2));
            acc2 = f2.fma(p6, p5).fma(f2, p4).fma(f2, p3).fma(f2, p2).fma(f2, p1).fma(f2, one)
                    .fma(shifted2.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc2);
            FloatVector d3 = xv
                    .sub(FloatVector.fromArray(F, mean, p + 3 * pStride + i))
                    .mul(FloatVector.fromArray(F, scale, p + 3 * pStride + i));
            IntVector u3 = d3.fma(d3, FloatVector.fromArray(F, negBias, p + 3 * pStride + i)).reinterpretAsInts();
            min3 = min3.min(u3);
            FloatVector clamped3 = u3.min(limitBits).reinterpretAsFloats();
            FloatVector shifted3 = clamped3.fma(negLog2e, smv);
            FloatVector f3 = clamped3.fma(negLog2e, smv.sub(shifted3));
            acc3 = f3.fma(p6, p5).fma(f3, p4).fma(f3, p3).fma(f3, p2).fma(f3, p1).fma(f3, one)
                    .fma(shifted3.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc3);
        }
        if (i < n) {
            // the last, partial vector: the L elements ending at n, those already summed set to u = +inf
            int at = n - L;
            VectorMask<Integer> done = IntVector.fromArray(I, LANE_INDEX, 0).compare(VectorOperators.LT, i - at);
            FloatVector xv = FloatVector.fromArray(F, x, xb + at);
            FloatVector d0 = xv
                    .sub(FloatVector.fromArray(F, mean, p + at))
                    .mul(FloatVector.fromArray(F, scale, p + at));
            IntVector u0 = d0.fma(d0, FloatVector.fromArray(F, negBias, p + at)).reinterpretAsInts()
                    .blend(POSITIVE_INFINITY_BITS, done);
            min0 = min0.min(u0);
            FloatVector clamped0 = u0.min(limitBits).reinterpretAsFloats();
            FloatVector shifted0 = clamped0.fma(negLog2e, smv);
            FloatVector f0 = clamped0.fma(negLog2e, smv.sub(shifted0));
            acc0 = f0.fma(p6, p5).fma(f0, p4).fma(f0, p3).fma(f0, p2).fma(f0, p1).fma(f0, one)
                    .fma(shifted0.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc0);
            FloatVector d1 = xv
                    .sub(FloatVector.fromArray(F, mean, p + pStride + at))
                    .mul(FloatVector.fromArray(F, scale, p + pStride + at));
            IntVector u1 = d1.fma(d1, FloatVector.fromArray(F, negBias, p + pStride + at)).reinterpretAsInts()
                    .blend(POSITIVE_INFINITY_BITS, done);
            min1 = min1.min(u1);
            FloatVector clamped1 = u1.min(limitBits).reinterpretAsFloats();
            FloatVector shifted1 = clamped1.fma(negLog2e, smv);
            FloatVector f1 = clamped1.fma(negLog2e, smv.sub(shifted1));
            acc1 = f1.fma(p6, p5).fma(f1, p4).fma(f1, p3).fma(f1, p2).fma(f1, p1).fma(f1, one)
                    .fma(shifted1.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc1);
            FloatVector d2 = xv
                    .sub(FloatVector.fromArray(F, mean, p + 2 * pStride + at))
                    .mul(FloatVector.fromArray(F, scale, p + 2 * pStride + at));
            IntVector u2 = d2.fma(d2, FloatVector.fromArray(F, negBias, p + 2 * pStride + at)).reinterpretAsInts()
                    .blend(POSITIVE_INFINITY_BITS, done);
            min2 = min2.min(u2);
            FloatVector clamped2 = u2.min(limitBits).reinterpretAsFloats();
            FloatVector shifted2 = clamped2.fma(negLog2e, smv);
            FloatVector f2 = clamped2.fma(negLog2e, smv.sub(shifted2));
            acc2 = f2.fma(p6, p5).fma(f2, p4).fma(f2, p3).fma(f2, p2).fma(f2, p1).fma(f2, one)
                    .fma(shifted2.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc2);
            FloatVector d3 = xv
                    .sub(FloatVector.fromArray(F, mean, p + 3 * pStride + at))
                    .mul(FloatVector.fromArray(F, scale, p + 3 * pStride + at));
            IntVector u3 = d3.fma(d3, FloatVector.fromArray(F, negBias, p + 3 * pStride + at)).reinterpretAsInts()
                    .blend(POSITIVE_INFINITY_BITS, done);
            min3 = min3.min(u3);
            FloatVector clamped3 = u3.min(limitBits).reinterpretAsFloats();
            FloatVector shifted3 = clamped3.fma(negLog2e, smv);
            FloatVector f3 = clamped3.fma(negLog2e, smv.sub(shifted3));
            acc3 = f3.fma(p6, p5).fma(f3, p4).fma(f3, p3).fma(f3, p2).fma(f3, p1).fma(f3, one)
                    .fma(shifted3.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc3);
        }
        // The four sums' fixed-order lane trees (lane i plus lane i ^ L/2, then i ^ L/4, ...: the same additions
        // as sumTerms' rotations) and the four minima, taken together: each of the first two steps joins two
        // vectors into one (lane groups blended, swapped, added), so 16 operations do what 32 did one by one.
        // Pair r's sum and minimum end in lane 0, L/2, L/4, 3L/4 for r = 0, 1, 2, 3.
        FloatVector ab = acc0.blend(acc1, UPPER_HALF).add(acc1.blend(acc0, UPPER_HALF).rearrange(SWAP_HALF));
        FloatVector cd = acc2.blend(acc3, UPPER_HALF).add(acc3.blend(acc2, UPPER_HALF).rearrange(SWAP_HALF));
        FloatVector t = ab.blend(cd, UPPER_QUARTER).add(cd.blend(ab, UPPER_QUARTER).rearrange(SWAP_QUARTER));
        if (L >= 8) {
            t = t.add(t.rearrange(SWAP_EIGHTH));
        }
        if (L >= 16) {
            t = t.add(t.rearrange(SWAP_SIXTEENTH));
        }
        IntVector mab = min0.blend(min1, INT_UPPER_HALF).min(min1.blend(min0, INT_UPPER_HALF).rearrange(INT_SWAP_HALF));
        IntVector mcd = min2.blend(min3, INT_UPPER_HALF).min(min3.blend(min2, INT_UPPER_HALF).rearrange(INT_SWAP_HALF));
        IntVector m = mab.blend(mcd, INT_UPPER_QUARTER)
                .min(mcd.blend(mab, INT_UPPER_QUARTER).rearrange(INT_SWAP_QUARTER));
        if (L >= 8) {
            m = m.min(m.rearrange(INT_SWAP_EIGHTH));
        }
        if (L >= 16) {
            m = m.min(m.rearrange(INT_SWAP_SIXTEENTH));
        }
        // through the (still unused) log and exponent slots: one store each instead of three lane extractions
        int q = L / 4;
        t.intoArray(box, LOG);
        m.reinterpretAsFloats().intoArray(box, LOG + L);
        box[SUM + k] = box[LOG];
        box[SUM + k + 1] = box[LOG + 2 * q];
        box[SUM + k + 2] = box[LOG + q];
        box[SUM + k + 3] = box[LOG + 3 * q];
        box[MIN + k] = box[LOG + L];
        box[MIN + k + 1] = box[LOG + L + 2 * q];
        box[MIN + k + 2] = box[LOG + L + q];
        box[MIN + k + 3] = box[LOG + L + 3 * q];
    }

    /**
     * Lane i to lane i ^ (L/2), i ^ (L/4), ...: swaps of lane groups, the steps of the reduction at the end of
     * {@link #sumRows} and {@link #sumNodes}.
     */
    private static final VectorShuffle<Float> SWAP_HALF = swap(L / 2);
    private static final VectorShuffle<Float> SWAP_QUARTER = swap(Math.max(1, L / 4));
    private static final VectorShuffle<Float> SWAP_EIGHTH = swap(Math.max(1, L / 8));
    private static final VectorShuffle<Float> SWAP_SIXTEENTH = swap(Math.max(1, L / 16));
    private static final VectorShuffle<Integer> INT_SWAP_HALF = SWAP_HALF.cast(I);
    private static final VectorShuffle<Integer> INT_SWAP_QUARTER = SWAP_QUARTER.cast(I);
    private static final VectorShuffle<Integer> INT_SWAP_EIGHTH = SWAP_EIGHTH.cast(I);
    private static final VectorShuffle<Integer> INT_SWAP_SIXTEENTH = SWAP_SIXTEENTH.cast(I);
    /** The lanes of the upper group of each pair of lane groups of L/2 (of L/4): the lanes with bit L/2 (L/4) set. */
    private static final VectorMask<Float> UPPER_HALF = upper(L / 2);
    private static final VectorMask<Float> UPPER_QUARTER = upper(Math.max(1, L / 4));
    private static final VectorMask<Integer> INT_UPPER_HALF = UPPER_HALF.cast(I);
    private static final VectorMask<Integer> INT_UPPER_QUARTER = UPPER_QUARTER.cast(I);

    private static VectorShuffle<Float> swap(int group) {
        int[] to = new int[L];
        for (int i = 0; i < L; i++) {
            to[i] = i ^ group;
        }
        return VectorShuffle.fromArray(F, to, 0);
    }

    private static VectorMask<Float> upper(int group) {
        boolean[] set = new boolean[L];
        for (int i = 0; i < L; i++) {
            set[i] = (i & group) != 0;
        }
        return VectorMask.fromArray(F, set, 0);
    }

    /**
     * Whether each of the first {@code count} pairs' base ({@link #base} of its minimum) is {@code guess}, the
     * common case, checked L pairs at a time: then no pair is summed again and none is infinite or far (the
     * guess is always a valid base). {@code floor(steps) == g} is {@code g <= steps < g + 1}: two compares, exact.
     */
    private static boolean allGuessed(float[] scratch, int count, float guess) {
        float g = guess / BASE_STEP;
        for (int k = 0; k < CHUNK; k += L) {
            FloatVector steps = FloatVector.fromArray(F, scratch, MIN + k).mul(LOG2E).mul(1 / BASE_STEP);
            VectorMask<Float> wrong = steps.compare(VectorOperators.LT, g).or(steps.compare(VectorOperators.GE, g + 1))
                    .and(F.indexInRange(k, count));
            if (wrong.anyTrue()) {
                return false;
            }
        }
        return true;
    }

    /** The base for a pair whose smallest u is {@code min}: min log2 e rounded down to a multiple of BASE_STEP. */
    private static float base(float min) {
        return BASE_STEP * (float) Math.floor(min * LOG2E / BASE_STEP);
    }

    /**
     * {@code sum_i 2^(s - u_i log2 e)} for the pair (row at {@code xb}, mixture at parameter offset {@code p}),
     * with {@code u = ((x - mean) * scale)^2 + negBias}; leaves the pair's smallest u in {@code box[minAt]}.
     * The sum is only meaningful when {@code s == base(min)}.
     *
     * <p>exp2's range reduction: {@code shifted = fma(u, -log2 e, s + MAGIC)} rounds {@code s - u log2 e} to
     * its nearest integer k, held in the low mantissa bits; {@code (s + MAGIC) - shifted} is exactly
     * {@code k - s} negated (s is an integer, both values lie where floats are spaced 1 apart), so one more FMA
     * gives the fraction {@code f = s - k - u log2 e} with a single rounding, however large s is. 2^f comes
     * from a polynomial, times 2^k: MAGIC is added with 127 more, so the low bits of {@code shifted} hold k + 127,
     * which shifted into the exponent field is the float 2^k (normal, since u is clamped so that k >= -125).
     */
    private static float sumTerms(float[] x, int xb, MixtureBank bank, int p, int n, float s, float[] box,
                                  int minAt) {
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        float sm = s + ROUNDING_MAGIC + 127f;
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
            acc = f.fma(p6, p5).fma(f, p4).fma(f, p3).fma(f, p2).fma(f, p1).fma(f, one)
                    .fma(shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc);
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
            acc = f.fma(p6, p5).fma(f, p4).fma(f, p3).fma(f, p2).fma(f, p1).fma(f, one)
                    .fma(shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats(), acc);
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
        box[minAt] = smallest;
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
