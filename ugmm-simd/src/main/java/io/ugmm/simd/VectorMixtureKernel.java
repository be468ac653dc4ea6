package io.ugmm.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Panama Vector API implementation. Loaded only by {@link MixtureKernels} after it has checked that
 * {@code jdk.incubator.vector} is readable, so nothing here runs on a JVM without it.
 *
 * <p>The forward pass is {@link VectorForward}'s; the backward pass, logsumexp and log-softmax are here.
 */
final class VectorMixtureKernel implements MixtureKernel {

    static final VectorSpecies<Float> F = species();
    private static final int L = F.length();

    static final float LOG2E = FloatExp.LOG2E;
    private static final double LN2 = Math.log(2);
    /**
     * exp2 arguments are clamped here: 2^-125 is still a normal float, so no lane ever produces a
     * subnormal (which costs ~10x on x86, and Java cannot set flush-to-zero). A clamped term is at
     * most 2^-125 of the largest term (which is exactly 1): far below float resolution.
     */
    private static final float EXP2_MIN_ARG = -125f;
    /** log2 of the smallest weighted responsibility the backward pass keeps; see {@link #backwardPair}. */
    private static final float GRAD_MIN_LOG2 = -100f;
    /**
     * Largest power of two of a backward pair's factor handled by the vector loop: {@code k0 + ROUNDING_MAGIC}
     * must be exact, and the pair's exponents must stay within the range where floats are spaced 1 apart.
     */
    private static final double MAX_PAIR_EXPONENT = 1 << 21;
    /** 1.5 * 2^23: adding it rounds to an integer that lands in the low mantissa bits. */
    static final float ROUNDING_MAGIC = FloatExp.ROUNDING_MAGIC;
    /** The polynomial for 2^f on [-0.5, 0.5] shared by every kernel: {@link FloatExp}. */
    private static final float P0 = FloatExp.P0;
    static final float P1 = FloatExp.P1;
    static final float P2 = FloatExp.P2;
    static final float P3 = FloatExp.P3;
    static final float P4 = FloatExp.P4;
    static final float P5 = FloatExp.P5;
    static final float P6 = FloatExp.P6;

    /**
     * Shuffles that rotate lanes by L/2, L/4, ... 1, for {@link #sumLanes} and {@link VectorForward}. {@code reduceLanes(ADD)} is
     * not used because its order differs between the JIT's intrinsic and the interpreter's fallback,
     * so the same call could give different bits before and after warm-up (or on two threads).
     */
    static final VectorShuffle<Float> ROTATE_HALF = VectorShuffle.iota(F, L / 2, 1, true);
    static final VectorShuffle<Float> ROTATE_QUARTER = VectorShuffle.iota(F, Math.max(1, L / 4), 1, true);
    static final VectorShuffle<Float> ROTATE_EIGHTH = VectorShuffle.iota(F, Math.max(1, L / 8), 1, true);
    static final VectorShuffle<Float> ROTATE_SIXTEENTH = VectorShuffle.iota(F, Math.max(1, L / 16), 1, true);

    static final VectorMixtureKernel INSTANCE = new VectorMixtureKernel();

    private VectorMixtureKernel() {
    }

    private static VectorSpecies<Float> species() {
        return VectorSpeciesChoice.floats();
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int vectorBits() {
        return F.vectorBitSize();
    }

    @Override
    public void forward(float[] x, int xOff, int rows, MixtureBank bank, float[] out, int outOff, float[] scratch) {
        VectorForward.forward(x, xOff, rows, bank, 0, bank.mixtures(), out, outOff, scratch);
    }

    @Override
    public void forward(float[] x, int xOff, int rows, MixtureBank bank, int from, int to, float[] out, int outOff,
                        float[] scratch) {
        VectorForward.forward(x, xOff, rows, bank, from, to, out, outOff, scratch);
    }

    /** The sum of the lanes, added in one fixed order whether interpreted or compiled. */
    static float sumLanes(FloatVector v) {
        // L is 4, 8 or 16 (128 to 512 bits): a fixed pairwise tree of at most four steps
        FloatVector t = v.add(v.rearrange(ROTATE_HALF));
        if (L >= 4) {
            t = t.add(t.rearrange(ROTATE_QUARTER));
        }
        if (L >= 8) {
            t = t.add(t.rearrange(ROTATE_EIGHTH));
        }
        if (L >= 16) {
            t = t.add(t.rearrange(ROTATE_SIXTEENTH));
        }
        return t.lane(0);
    }

    /**
     * Mixture by mixture, row by row: the mixture's gradient rows (3 x N floats) stay in L1 while the batch
     * streams past. Each (row, mixture) pair recomputes its terms (cheaper than storing B x M x N of them)
     * in one loop with exp2 written out in it (a vector passed to a call C2 did not inline is boxed: see
     * {@link #backwardPair}).
     *
     * <p>The loop is bound by vector instructions (about one 512-bit operation per cycle), so it is written
     * for the fewest per element (measured per change: README, "Training step cost"):
     * <ul>
     *   <li>the pair's factor {@code 2 g e^(offset - out)} is split into a power of two, added to exp2's
     *       integer part, and a mantissa {@code S} folded into the polynomial's coefficients, so the
     *       polynomial yields {@code 2 g r} directly (no multiply by g, no per-element log);</li>
     *   <li>exp2's range reduction is the forward kernel's (two FMAs and a subtraction from the negated
     *       term u), and lanes whose {@code |g| r} is below about 2^-100 are zeroed by one compare on u,
     *       which also covers the lanes whose exponent would leave the float range;</li>
     *   <li>{@code dlogStd = sum 2 g r d^2 - sum g r}: the second sum is the log-weight block's, so the loop
     *       adds only {@code 2 g r d^2} and the log-weight block's increase is subtracted once per mixture
     *       ({@link #backwardMixture}).</li>
     * </ul>
     */
    @Override
    public void backward(float[] x, int xOff, int rows, MixtureBank bank, float[] out, int outOff, float[] gOut,
                         int gOutOff, float[] grad, int gradOff, float[] gx, int gxOff) {
        int n = bank.components();
        int m = bank.mixtures();
        for (int j = 0; j < m; j++) {
            backwardMixture(x, xOff, rows, bank, j, out, outOff, gOut, gOutOff, grad, gradOff, gx, gxOff, n, m);
        }
    }

    /** Every row's contribution to mixture {@code j}'s gradients (and to dL/dx when {@code gx != null}). */
    private static void backwardMixture(float[] x, int xOff, int rows, MixtureBank bank, int j, float[] out,
                                        int outOff, float[] gOut, int gOutOff, float[] grad, int gradOff, float[] gx,
                                        int gxOff, int n, int m) {
        int size = m * n;
        int p = j * n;
        int g0 = gradOff + p;
        int g1 = g0 + size;
        int g2 = g1 + size;
        // the log-std block gathers sum 2 g r d^2; sum g r (the log-weight block's increase) is taken off at the end
        addInto(grad, g2, grad, g1, n, 1f);
        // without dL/dx, rows go two at a time (backwardTwoPairs); a row waiting for its partner is pending
        int pendingRow = -1;
        float pendingK0 = 0;
        float pendingFactor = 0;
        for (int b = 0; b < rows; b++) {
            float g = gOut[gOutOff + b * m + j];
            float o = out[outOff + b * m + j];
            if (g == 0f || o == Float.NEGATIVE_INFINITY) {
                continue;
            }
            // 2 g r = 2 g e^(offset - out) 2^(-u log2 e) = S 2^(k0 - u log2 e), S = 2 g 2^(c - k0), |S| in [1, 4)
            double c = (bank.offset[j] - o) * LOG2E;
            double k = Math.rint(c);
            int gExponent = Math.getExponent(g);
            // 2^(c - k) by the kernels' float polynomial (c - k is in [-0.5, 0.5]): the factor is rounded to float
            // anyway, and Math.pow here cost a tenth of the backward pass (it runs once per (row, mixture) pair)
            double factor = (float) (2 * Math.scalb((double) g, -gExponent)) * FloatExp.poly((float) (c - k));
            double k0 = k + gExponent;
            int xb = xOff + b * n;
            if (!(Math.abs(k0) < MAX_PAIR_EXPONENT) || !Double.isFinite(factor)) {
                if (pendingRow >= 0) {
                    backwardPair(x, pendingRow, n, bank, p, pendingK0, pendingFactor, grad, g0, size);
                    pendingRow = -1;
                }
                backwardPairInDouble(x, xb, n, bank, p, g, o, grad, g0, size, gx, gx == null ? 0 : gxOff + b * n);
            } else if (gx == null) {
                if (pendingRow < 0) {
                    pendingRow = xb;
                    pendingK0 = (float) k0;
                    pendingFactor = (float) factor;
                } else {
                    backwardTwoPairs(x, pendingRow, pendingK0, pendingFactor, xb, (float) k0, (float) factor, n, bank,
                            p, grad, g0, size);
                    pendingRow = -1;
                }
            } else {
                backwardPairWithInput(x, xb, n, bank, p, (float) k0, (float) factor, grad, g0, size, gx, gxOff + b * n);
            }
        }
        if (pendingRow >= 0) {
            backwardPair(x, pendingRow, n, bank, p, pendingK0, pendingFactor, grad, g0, size);
        }
        addInto(grad, g2, grad, g1, n, -1f);
    }

    /** {@code dst[d + i] += sign * src[s + i]} for {@code i < n}. */
    private static void addInto(float[] src, int s, float[] dst, int d, int n, float sign) {
        // in vectors: C2 does not vectorise the plain loop (src and dst are one array at unknown offsets)
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(F, dst, d + i).add(FloatVector.fromArray(F, src, s + i).mul(sign))
                    .intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            dst[d + i] += sign * src[s + i];
        }
    }

    /**
     * One (row, mixture) pair without the input gradient: {@code 2 g r = S 2^(k0 - u log2 e)} with the negated
     * term {@code u = d^2 + negBias} of the forward pass and {@code d = (x - mean) * scale}:
     * <pre>
     *   dmean += 2 g r d scale;   dlogStd += 2 g r d^2 (less g r, see backwardMixture);   dlogWeight += g r
     * </pre>
     *
     * <p>Weighted responsibilities below about {@code 2^}{@value #GRAD_MIN_LOG2} are set to exactly 0: most
     * components of a mixture carry almost none of its mass, and their products with {@code d} and
     * {@code scale} would be subnormal floats, which cost ~10x each on x86 (measured: the whole kernel ran
     * 4x slower). What is dropped is below 2^-100 per element: far under float resolution of any sum.
     *
     * <p>{@code 2 g r} is written out in each of the three pair loops, not computed by a helper method taking
     * vectors: C2 inlines such a helper only if its profile says so when it compiles the caller, and in some
     * JVM starts it did not; every vector crossing the call was then boxed, and the training step ran about
     * 3x slower for the whole run (issue 12, {@code JitInliningRobustnessTest}).
     */
    private static void backwardPair(float[] x, int xb, int n, MixtureBank bank, int p, float k0, float factor,
                                     float[] grad, int gp, int size) {
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        FloatVector km = FloatVector.broadcast(F, k0 + ROUNDING_MAGIC);
        FloatVector uCut = FloatVector.broadcast(F, (k0 - GRAD_MIN_LOG2) / LOG2E);
        FloatVector negLog2e = FloatVector.broadcast(F, -LOG2E);
        FloatVector half = FloatVector.broadcast(F, 0.5f);
        FloatVector zero = FloatVector.zero(F);
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector a = FloatVector.fromArray(F, scale, p + i);
            FloatVector d = FloatVector.fromArray(F, x, xb + i).sub(FloatVector.fromArray(F, mean, p + i)).mul(a);
            FloatVector u = d.fma(d, FloatVector.fromArray(F, negBias, p + i));
            // 2 g r = S 2^(k0 - u log2 e), S folded into the polynomial's coefficients, 0 beyond the cut
            FloatVector shifted = u.fma(negLog2e, km);
            FloatVector frac = u.fma(negLog2e, km.sub(shifted));
            FloatVector gr2 = frac.fma(FloatVector.broadcast(F, factor * P6), FloatVector.broadcast(F, factor * P5))
                    .fma(frac, FloatVector.broadcast(F, factor * P4))
                    .fma(frac, FloatVector.broadcast(F, factor * P3))
                    .fma(frac, FloatVector.broadcast(F, factor * P2))
                    .fma(frac, FloatVector.broadcast(F, factor * P1))
                    .fma(frac, FloatVector.broadcast(F, factor))
                    .reinterpretAsInts().add(shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
                    .reinterpretAsFloats().blend(zero, u.compare(VectorOperators.GT, uCut));
            FloatVector gd = gr2.mul(d);
            gd.fma(a, FloatVector.fromArray(F, grad, gp + i)).intoArray(grad, gp + i);
            gd.fma(d, FloatVector.fromArray(F, grad, gp + size + i)).intoArray(grad, gp + size + i);
            gr2.fma(half, FloatVector.fromArray(F, grad, gp + 2 * size + i)).intoArray(grad, gp + 2 * size + i);
        }
        for (; i < n; i++) {
            backwardScalar(x[xb + i], bank, p + i, k0, factor, grad, gp + i, size);
        }
    }

    /**
     * {@link #backwardPair} for two rows of the same mixture (at {@code x[xa..]} then {@code x[xb..]}) in one
     * loop: the mixture's constants are loaded and its gradient rows loaded and stored once for both. Each
     * gradient element gets row a's FMA and then row b's, as two calls would give it: the same bits.
     */
    private static void backwardTwoPairs(float[] x, int xa, float k0a, float factorA, int xb, float k0b,
                                         float factorB, int n, MixtureBank bank, int p, float[] grad, int gp,
                                         int size) {
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        FloatVector kmA = FloatVector.broadcast(F, k0a + ROUNDING_MAGIC);
        FloatVector kmB = FloatVector.broadcast(F, k0b + ROUNDING_MAGIC);
        FloatVector cutA = FloatVector.broadcast(F, (k0a - GRAD_MIN_LOG2) / LOG2E);
        FloatVector cutB = FloatVector.broadcast(F, (k0b - GRAD_MIN_LOG2) / LOG2E);
        FloatVector negLog2e = FloatVector.broadcast(F, -LOG2E);
        FloatVector half = FloatVector.broadcast(F, 0.5f);
        FloatVector zero = FloatVector.zero(F);
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector a = FloatVector.fromArray(F, scale, p + i);
            FloatVector mu = FloatVector.fromArray(F, mean, p + i);
            FloatVector nb = FloatVector.fromArray(F, negBias, p + i);
            FloatVector dA = FloatVector.fromArray(F, x, xa + i).sub(mu).mul(a);
            FloatVector dB = FloatVector.fromArray(F, x, xb + i).sub(mu).mul(a);
            FloatVector uA = dA.fma(dA, nb);
            FloatVector uB = dB.fma(dB, nb);
            // 2 g r = S 2^(k0 - u log2 e), S folded into the polynomial's coefficients, 0 beyond the cut
            FloatVector shiftedA = uA.fma(negLog2e, kmA);
            FloatVector fracA = uA.fma(negLog2e, kmA.sub(shiftedA));
            FloatVector grA = fracA.fma(FloatVector.broadcast(F, factorA * P6), FloatVector.broadcast(F, factorA * P5))
                    .fma(fracA, FloatVector.broadcast(F, factorA * P4))
                    .fma(fracA, FloatVector.broadcast(F, factorA * P3))
                    .fma(fracA, FloatVector.broadcast(F, factorA * P2))
                    .fma(fracA, FloatVector.broadcast(F, factorA * P1))
                    .fma(fracA, FloatVector.broadcast(F, factorA))
                    .reinterpretAsInts().add(shiftedA.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
                    .reinterpretAsFloats().blend(zero, uA.compare(VectorOperators.GT, cutA));
            // the same for row b
            FloatVector shiftedB = uB.fma(negLog2e, kmB);
            FloatVector fracB = uB.fma(negLog2e, kmB.sub(shiftedB));
            FloatVector grB = fracB.fma(FloatVector.broadcast(F, factorB * P6), FloatVector.broadcast(F, factorB * P5))
                    .fma(fracB, FloatVector.broadcast(F, factorB * P4))
                    .fma(fracB, FloatVector.broadcast(F, factorB * P3))
                    .fma(fracB, FloatVector.broadcast(F, factorB * P2))
                    .fma(fracB, FloatVector.broadcast(F, factorB * P1))
                    .fma(fracB, FloatVector.broadcast(F, factorB))
                    .reinterpretAsInts().add(shiftedB.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
                    .reinterpretAsFloats().blend(zero, uB.compare(VectorOperators.GT, cutB));
            FloatVector gdA = grA.mul(dA);
            FloatVector gdB = grB.mul(dB);
            gdB.fma(a, gdA.fma(a, FloatVector.fromArray(F, grad, gp + i))).intoArray(grad, gp + i);
            gdB.fma(dB, gdA.fma(dA, FloatVector.fromArray(F, grad, gp + size + i))).intoArray(grad, gp + size + i);
            grB.fma(half, grA.fma(half, FloatVector.fromArray(F, grad, gp + 2 * size + i)))
                    .intoArray(grad, gp + 2 * size + i);
        }
        for (; i < n; i++) {
            backwardScalar(x[xa + i], bank, p + i, k0a, factorA, grad, gp + i, size);
            backwardScalar(x[xb + i], bank, p + i, k0b, factorB, grad, gp + i, size);
        }
    }

    /** {@link #backwardPair} plus the input gradient of the row at {@code gx[gxb..]}. */
    private static void backwardPairWithInput(float[] x, int xb, int n, MixtureBank bank, int p, float k0,
                                              float factor, float[] grad, int gp, int size, float[] gx, int gxb) {
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        FloatVector km = FloatVector.broadcast(F, k0 + ROUNDING_MAGIC);
        FloatVector uCut = FloatVector.broadcast(F, (k0 - GRAD_MIN_LOG2) / LOG2E);
        FloatVector negLog2e = FloatVector.broadcast(F, -LOG2E);
        FloatVector half = FloatVector.broadcast(F, 0.5f);
        FloatVector zero = FloatVector.zero(F);
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector a = FloatVector.fromArray(F, scale, p + i);
            FloatVector d = FloatVector.fromArray(F, x, xb + i).sub(FloatVector.fromArray(F, mean, p + i)).mul(a);
            FloatVector u = d.fma(d, FloatVector.fromArray(F, negBias, p + i));
            // 2 g r = S 2^(k0 - u log2 e), S folded into the polynomial's coefficients, 0 beyond the cut
            FloatVector shifted = u.fma(negLog2e, km);
            FloatVector frac = u.fma(negLog2e, km.sub(shifted));
            FloatVector gr2 = frac.fma(FloatVector.broadcast(F, factor * P6), FloatVector.broadcast(F, factor * P5))
                    .fma(frac, FloatVector.broadcast(F, factor * P4))
                    .fma(frac, FloatVector.broadcast(F, factor * P3))
                    .fma(frac, FloatVector.broadcast(F, factor * P2))
                    .fma(frac, FloatVector.broadcast(F, factor * P1))
                    .fma(frac, FloatVector.broadcast(F, factor))
                    .reinterpretAsInts().add(shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
                    .reinterpretAsFloats().blend(zero, u.compare(VectorOperators.GT, uCut));
            FloatVector gd = gr2.mul(d);
            FloatVector pull = gd.mul(a);
            FloatVector.fromArray(F, grad, gp + i).add(pull).intoArray(grad, gp + i);
            gd.fma(d, FloatVector.fromArray(F, grad, gp + size + i)).intoArray(grad, gp + size + i);
            gr2.fma(half, FloatVector.fromArray(F, grad, gp + 2 * size + i)).intoArray(grad, gp + 2 * size + i);
            FloatVector.fromArray(F, gx, gxb + i).sub(pull).intoArray(gx, gxb + i);
        }
        for (; i < n; i++) {
            gx[gxb + i] -= backwardScalar(x[xb + i], bank, p + i, k0, factor, grad, gp + i, size);
        }
    }

    /**
     * The scalar tail of the two loops above, the same sums in double; returns the mean's gradient (the
     * input's, negated).
     */
    private static float backwardScalar(float x, MixtureBank bank, int e, float k0, float factor, float[] grad,
                                        int ge, int size) {
        float a = bank.scale[e];
        float d = (x - bank.mean[e]) * a;
        float u = Math.fma(d, d, bank.negBias[e]);
        double y = k0 - (double) u * LOG2E;
        double gr2 = u > (k0 - GRAD_MIN_LOG2) / LOG2E ? 0 : factor * Math.exp(y * LN2);
        float pull = (float) (gr2 * d * a);
        grad[ge] += pull;
        grad[ge + size] += (float) (gr2 * d * d);
        grad[ge + 2 * size] += (float) (0.5 * gr2);
        return pull;
    }

    /**
     * A pair whose factor's power of two is beyond {@link #MAX_PAIR_EXPONENT} (an output tens of thousands of
     * nats below its mixture's largest bias, or a huge incoming gradient): the scalar kernel's sums in double,
     * in the log-std block's convention of {@link #backwardMixture}.
     */
    private static void backwardPairInDouble(float[] x, int xb, int n, MixtureBank bank, int p, float g, float o,
                                             float[] grad, int gp, int size, float[] gx, int gxb) {
        double c = bank.offset[p / n] - o;
        for (int i = 0; i < n; i++) {
            float a = bank.scale[p + i];
            float d = (x[xb + i] - bank.mean[p + i]) * a;
            double gr = g * Math.exp(c - Math.fma(d, d, bank.negBias[p + i]));
            double pull = 2 * gr * d * a;
            grad[gp + i] += (float) pull;
            grad[gp + size + i] += (float) (2 * gr * d * d);
            grad[gp + 2 * size + i] += (float) gr;
            if (gx != null) {
                gx[gxb + i] -= (float) pull;
            }
        }
    }

    @Override
    public float logSumExp(float[] v, int off, int len) {
        FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int upper = F.loopBound(len);
        int i = 0;
        for (; i < upper; i += L) {
            maxV = maxV.max(FloatVector.fromArray(F, v, off + i));
        }
        float max = maxV.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) {
            max = Math.max(max, v[off + i]);
        }
        if (!Float.isFinite(max)) {
            return max;
        }
        FloatVector log2e = FloatVector.broadcast(F, LOG2E);
        FloatVector c = FloatVector.broadcast(F, max);
        FloatVector acc = FloatVector.zero(F);
        for (i = 0; i < upper; i += L) {
            // 2^y, y = (v - max) log2 e <= 0, written out here rather than in a helper taking a vector (see
            // backwardPair): round y to k, 2^(y-k) by polynomial, k added to the exponent bits; y is clamped at
            // EXP2_MIN_ARG (see there)
            FloatVector y = FloatVector.fromArray(F, v, off + i).sub(c).mul(log2e);
            FloatVector yc = y.blend(EXP2_MIN_ARG, y.compare(VectorOperators.LT, EXP2_MIN_ARG));
            FloatVector shifted = yc.add(ROUNDING_MAGIC);
            FloatVector f = yc.sub(shifted.sub(ROUNDING_MAGIC));
            FloatVector p = f.fma(FloatVector.broadcast(F, P6), FloatVector.broadcast(F, P5))
                    .fma(f, FloatVector.broadcast(F, P4))
                    .fma(f, FloatVector.broadcast(F, P3))
                    .fma(f, FloatVector.broadcast(F, P2))
                    .fma(f, FloatVector.broadcast(F, P1))
                    .fma(f, FloatVector.broadcast(F, P0));
            acc = acc.add(p.reinterpretAsInts().add(shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
                    .reinterpretAsFloats());
        }
        double tail = 0;
        for (; i < len; i++) {
            tail += Math.exp((double) v[off + i] - max);
        }
        return (float) (max + Math.log(sumLanes(acc) + tail));
    }

    @Override
    public void logSoftmax(float[] v, int off, int len, float[] out, int outOff) {
        float lse = logSumExp(v, off, len);
        int upper = F.loopBound(len);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector.fromArray(F, v, off + i).sub(lse).intoArray(out, outOff + i);
        }
        for (; i < len; i++) {
            out[outOff + i] = v[off + i] - lse;
        }
    }

    @Override
    public boolean allWithin(float[] v, int off, int len, float lo, float hi) {
        int upper = F.loopBound(len);
        int i = 0;
        for (; i < upper; i += L) {
            // a NaN fails both compares; a branch per vector (never taken until the end), no mask carried
            // from one iteration to the next (JDK 25 ran such a mask's or() as Java code)
            FloatVector x = FloatVector.fromArray(F, v, off + i);
            if (!x.compare(VectorOperators.GE, lo).and(x.compare(VectorOperators.LE, hi)).allTrue()) {
                return false;
            }
        }
        return MixtureKernel.super.allWithin(v, off + i, len - i, lo, hi); // the tail
    }

    /** {@link FloatExp#exp(float)} lane by lane: the same operations, so the same bits. */
    @Override
    public void exp(float[] v, int off, int len, float[] out, int outOff) {
        FloatVector log2e = FloatVector.broadcast(F, FloatExp.LOG2E);
        FloatVector log2eLo = FloatVector.broadcast(F, FloatExp.LOG2E_LO);
        FloatVector magic = FloatVector.broadcast(F, ROUNDING_MAGIC);
        FloatVector zero = FloatVector.zero(F);
        FloatVector inf = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        int upper = F.loopBound(len);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector x = FloatVector.fromArray(F, v, off + i);
            FloatVector hi = x.mul(log2e);
            FloatVector lo = x.fma(log2e, hi.neg()).add(x.mul(log2eLo));
            FloatVector shifted = hi.add(magic);
            FloatVector f = hi.sub(shifted.sub(magic)).add(lo);
            FloatVector p = f.fma(FloatVector.broadcast(F, P6), FloatVector.broadcast(F, P5))
                    .fma(f, FloatVector.broadcast(F, P4))
                    .fma(f, FloatVector.broadcast(F, P3))
                    .fma(f, FloatVector.broadcast(F, P2))
                    .fma(f, FloatVector.broadcast(F, P1))
                    .fma(f, FloatVector.broadcast(F, P0));
            p.reinterpretAsInts().add(shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23))
                    .reinterpretAsFloats()
                    .blend(zero, hi.compare(VectorOperators.LT, FloatExp.MIN_LOG2))
                    .blend(inf, hi.compare(VectorOperators.GE, FloatExp.MAX_LOG2))
                    .blend(x, x.test(VectorOperators.IS_NAN))
                    .intoArray(out, outOff + i);
        }
        for (; i < len; i++) {
            out[outOff + i] = FloatExp.exp(v[off + i]);
        }
    }

    /** {@link AdamCoefficients}' update lane by lane: the same operations in the same order, so the same bits. */
    @Override
    public void adam(float[] param, int pOff, float[] grad, int gOff, float[] m, float[] v, int sOff, int len,
                     AdamCoefficients c) {
        FloatVector b1 = FloatVector.broadcast(F, c.b1());
        FloatVector b2 = FloatVector.broadcast(F, c.b2());
        FloatVector oneMinusB1 = FloatVector.broadcast(F, c.oneMinusB1());
        FloatVector oneMinusB2 = FloatVector.broadcast(F, c.oneMinusB2());
        FloatVector stepSize = FloatVector.broadcast(F, c.stepSize());
        FloatVector invSqrtC2 = FloatVector.broadcast(F, c.invSqrtC2());
        FloatVector eps = FloatVector.broadcast(F, c.eps());
        int upper = F.loopBound(len);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector g = FloatVector.fromArray(F, grad, gOff + i);
            FloatVector mi = b1.mul(FloatVector.fromArray(F, m, sOff + i)).add(oneMinusB1.mul(g));
            FloatVector vi = b2.mul(FloatVector.fromArray(F, v, sOff + i)).add(oneMinusB2.mul(g).mul(g));
            mi.intoArray(m, sOff + i);
            vi.intoArray(v, sOff + i);
            FloatVector step = stepSize.mul(mi).div(vi.sqrt().mul(invSqrtC2).add(eps));
            FloatVector.fromArray(F, param, pOff + i).sub(step).intoArray(param, pOff + i);
        }
        for (; i < len; i++) {
            param[pOff + i] = c.update(param, pOff + i, grad, gOff + i, m, v, sOff + i);
        }
    }
}
