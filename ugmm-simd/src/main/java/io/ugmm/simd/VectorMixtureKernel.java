package io.ugmm.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Panama Vector API implementation. Loaded only by {@link MixtureKernels} after it has checked that
 * {@code jdk.incubator.vector} is readable, so nothing here runs on a JVM without it.
 *
 * <p>Forward pass, per group of four (row, mixture) pairs:
 * <ol>
 *   <li>pass 1 computes the negated terms {@code u = ((x - mean) * scale)^2 + negBias} (one FMA),
 *       stores them in the scratch array (L1-resident: 4 rows of N floats padded to whole vectors) and keeps a per-lane minimum;</li>
 *   <li>pass 2 sums {@code 2^((min - u) * log2 e)} with a hand-written exp2 and takes the log.</li>
 * </ol>
 * Storing the terms costs one store and one load per element, less than computing them twice.
 * Groups are four rows of one mixture (the mixture's parameters are loaded once for four rows:
 * register blocking) or, for the last rows and at batch 1, four mixtures of one row (the input is
 * loaded once for four mixtures). Either way pass 2 has four independent accumulator chains.
 */
final class VectorMixtureKernel implements MixtureKernel {

    static final VectorSpecies<Float> F = species();
    private static final int L = F.length();

    private static final float LOG2E = (float) (1 / Math.log(2));
    /**
     * exp2 arguments are clamped here: 2^-125 is still a normal float, so no lane ever produces a
     * subnormal (which costs ~10x on x86, and Java cannot set flush-to-zero). A clamped term is at
     * most 2^-125 of the largest term (which is exactly 1): far below float resolution.
     */
    private static final float EXP2_MIN_ARG = -125f;
    /** log2 of the smallest weighted responsibility the backward pass keeps; see {@link #backwardPair}. */
    private static final float GRAD_MIN_LOG2 = -100f;
    /** 1.5 * 2^23: adding it rounds to an integer that lands in the low mantissa bits. */
    private static final float ROUNDING_MAGIC = 12582912f;
    /**
     * 2^f on [-0.5, 0.5], degree 6, fitted for relative error (max 1e-7 evaluated in float Horner form,
     * about one float ulp). Degree 5 gave 2.3e-7, which multi-layer networks would compound.
     */
    private static final float P0 = 1.0f;
    private static final float P1 = 0.6931471824645996f;
    private static final float P2 = 0.24022646248340607f;
    private static final float P3 = 0.05550328642129898f;
    private static final float P4 = 0.009618489071726799f;
    private static final float P5 = 0.0013399930903688073f;
    private static final float P6 = 0.00015345806605182588f;

    /**
     * Shuffles that rotate lanes by L/2, L/4, ... 1, for {@link #sumLanes}. {@code reduceLanes(ADD)} is
     * not used because its order differs between the JIT's intrinsic and the interpreter's fallback,
     * so the same call could give different bits before and after warm-up (or on two threads).
     */
    private static final VectorShuffle<Float> ROTATE_HALF = VectorShuffle.iota(F, L / 2, 1, true);
    private static final VectorShuffle<Float> ROTATE_QUARTER = VectorShuffle.iota(F, Math.max(1, L / 4), 1, true);
    private static final VectorShuffle<Float> ROTATE_EIGHTH = VectorShuffle.iota(F, Math.max(1, L / 8), 1, true);
    private static final VectorShuffle<Float> ROTATE_SIXTEENTH = VectorShuffle.iota(F, Math.max(1, L / 16), 1, true);

    static final VectorMixtureKernel INSTANCE = new VectorMixtureKernel();

    private VectorMixtureKernel() {
    }

    private static VectorSpecies<Float> species() {
        String bits = System.getProperty("ugmm.simd.bits", "");
        switch (bits) {
            case "128":
                return FloatVector.SPECIES_128;
            case "256":
                return FloatVector.SPECIES_256;
            case "512":
                return FloatVector.SPECIES_512;
            default:
                return FloatVector.SPECIES_PREFERRED;
        }
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
        int n = bank.components();
        int m = bank.mixtures();
        int b = 0;
        for (; b + 4 <= rows; b += 4) {
            int xb = xOff + b * n;
            int ob = outOff + b * m;
            for (int j = 0; j < m; j++) {
                double offset = bank.offset[j];
                termsFourRows(x, xb, n, bank, j * n, scratch, out, ob + j, m);
                sumFour(scratch, paddedLength(n), out, ob + j, m, offset, offset, offset, offset);
            }
        }
        for (; b < rows; b++) {
            int xb = xOff + b * n;
            int ob = outOff + b * m;
            int j = 0;
            for (; j + 4 <= m; j += 4) {
                termsFourMixtures(x, xb, n, bank, j * n, scratch, out, ob + j);
                sumFour(scratch, paddedLength(n), out, ob + j, 1,
                        bank.offset[j], bank.offset[j + 1], bank.offset[j + 2], bank.offset[j + 3]);
            }
            for (; j < m; j++) {
                termsOne(x, xb, n, bank, j * n, scratch, out, ob + j);
                sumOneAt(scratch, 0, paddedLength(n), out, ob + j, bank.offset[j]);
            }
        }
    }

    /** Pass 1 for rows xb..xb+3 of one mixture; leaves each row's minimum u in out[o + r*stride]. */
    private static void termsFourRows(float[] x, int xb, int n, MixtureBank bank, int p,
                                      float[] scratch, float[] out, int o, int stride) {
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        FloatVector min0 = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        FloatVector min1 = min0;
        FloatVector min2 = min0;
        FloatVector min3 = min0;
        int x1 = xb + n;
        int x2 = x1 + n;
        int x3 = x2 + n;
        int w = paddedLength(n);
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector mu = FloatVector.fromArray(F, mean, p + i);
            FloatVector a = FloatVector.fromArray(F, scale, p + i);
            FloatVector c = FloatVector.fromArray(F, negBias, p + i);
            FloatVector d0 = FloatVector.fromArray(F, x, xb + i).sub(mu).mul(a);
            FloatVector u0 = d0.fma(d0, c);
            u0.intoArray(scratch, i);
            min0 = min0.blend(u0, u0.compare(VectorOperators.LT, min0));
            FloatVector d1 = FloatVector.fromArray(F, x, x1 + i).sub(mu).mul(a);
            FloatVector u1 = d1.fma(d1, c);
            u1.intoArray(scratch, w + i);
            min1 = min1.blend(u1, u1.compare(VectorOperators.LT, min1));
            FloatVector d2 = FloatVector.fromArray(F, x, x2 + i).sub(mu).mul(a);
            FloatVector u2 = d2.fma(d2, c);
            u2.intoArray(scratch, 2 * w + i);
            min2 = min2.blend(u2, u2.compare(VectorOperators.LT, min2));
            FloatVector d3 = FloatVector.fromArray(F, x, x3 + i).sub(mu).mul(a);
            FloatVector u3 = d3.fma(d3, c);
            u3.intoArray(scratch, 3 * w + i);
            min3 = min3.blend(u3, u3.compare(VectorOperators.LT, min3));
        }
        float m0 = min0.reduceLanes(VectorOperators.MIN);
        float m1 = min1.reduceLanes(VectorOperators.MIN);
        float m2 = min2.reduceLanes(VectorOperators.MIN);
        float m3 = min3.reduceLanes(VectorOperators.MIN);
        for (; i < n; i++) {
            m0 = Math.min(m0, scratch[i] = scalarU(x[xb + i], mean, scale, negBias, p + i));
            m1 = Math.min(m1, scratch[w + i] = scalarU(x[x1 + i], mean, scale, negBias, p + i));
            m2 = Math.min(m2, scratch[2 * w + i] = scalarU(x[x2 + i], mean, scale, negBias, p + i));
            m3 = Math.min(m3, scratch[3 * w + i] = scalarU(x[x3 + i], mean, scale, negBias, p + i));
        }
        padFour(scratch, n, w);
        out[o] = m0;
        out[o + stride] = m1;
        out[o + 2 * stride] = m2;
        out[o + 3 * stride] = m3;
    }

    /** Pass 1 for one row against mixtures p/n .. p/n+3; leaves each minimum u in out[o + r]. */
    private static void termsFourMixtures(float[] x, int xb, int n, MixtureBank bank, int p,
                                          float[] scratch, float[] out, int o) {
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        FloatVector min0 = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        FloatVector min1 = min0;
        FloatVector min2 = min0;
        FloatVector min3 = min0;
        int p1 = p + n;
        int p2 = p1 + n;
        int p3 = p2 + n;
        int w = paddedLength(n);
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xb + i);
            FloatVector d0 = xv.sub(FloatVector.fromArray(F, mean, p + i)).mul(FloatVector.fromArray(F, scale, p + i));
            FloatVector u0 = d0.fma(d0, FloatVector.fromArray(F, negBias, p + i));
            u0.intoArray(scratch, i);
            min0 = min0.blend(u0, u0.compare(VectorOperators.LT, min0));
            FloatVector d1 = xv.sub(FloatVector.fromArray(F, mean, p1 + i)).mul(FloatVector.fromArray(F, scale, p1 + i));
            FloatVector u1 = d1.fma(d1, FloatVector.fromArray(F, negBias, p1 + i));
            u1.intoArray(scratch, w + i);
            min1 = min1.blend(u1, u1.compare(VectorOperators.LT, min1));
            FloatVector d2 = xv.sub(FloatVector.fromArray(F, mean, p2 + i)).mul(FloatVector.fromArray(F, scale, p2 + i));
            FloatVector u2 = d2.fma(d2, FloatVector.fromArray(F, negBias, p2 + i));
            u2.intoArray(scratch, 2 * w + i);
            min2 = min2.blend(u2, u2.compare(VectorOperators.LT, min2));
            FloatVector d3 = xv.sub(FloatVector.fromArray(F, mean, p3 + i)).mul(FloatVector.fromArray(F, scale, p3 + i));
            FloatVector u3 = d3.fma(d3, FloatVector.fromArray(F, negBias, p3 + i));
            u3.intoArray(scratch, 3 * w + i);
            min3 = min3.blend(u3, u3.compare(VectorOperators.LT, min3));
        }
        float m0 = min0.reduceLanes(VectorOperators.MIN);
        float m1 = min1.reduceLanes(VectorOperators.MIN);
        float m2 = min2.reduceLanes(VectorOperators.MIN);
        float m3 = min3.reduceLanes(VectorOperators.MIN);
        for (; i < n; i++) {
            float xi = x[xb + i];
            m0 = Math.min(m0, scratch[i] = scalarU(xi, mean, scale, negBias, p + i));
            m1 = Math.min(m1, scratch[w + i] = scalarU(xi, mean, scale, negBias, p1 + i));
            m2 = Math.min(m2, scratch[2 * w + i] = scalarU(xi, mean, scale, negBias, p2 + i));
            m3 = Math.min(m3, scratch[3 * w + i] = scalarU(xi, mean, scale, negBias, p3 + i));
        }
        padFour(scratch, n, w);
        out[o] = m0;
        out[o + 1] = m1;
        out[o + 2] = m2;
        out[o + 3] = m3;
    }

    /** Pass 1 for a single (row, mixture) pair; leaves the minimum u in out[o]. */
    private static void termsOne(float[] x, int xb, int n, MixtureBank bank, int p, float[] scratch, float[] out, int o) {
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        FloatVector min = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector d = FloatVector.fromArray(F, x, xb + i).sub(FloatVector.fromArray(F, mean, p + i))
                    .mul(FloatVector.fromArray(F, scale, p + i));
            FloatVector u = d.fma(d, FloatVector.fromArray(F, negBias, p + i));
            u.intoArray(scratch, i);
            min = min.blend(u, u.compare(VectorOperators.LT, min));
        }
        float m = min.reduceLanes(VectorOperators.MIN);
        for (; i < n; i++) {
            m = Math.min(m, scratch[i] = scalarU(x[xb + i], mean, scale, negBias, p + i));
        }
        java.util.Arrays.fill(scratch, n, paddedLength(n), Float.POSITIVE_INFINITY);
        out[o] = m;
    }

    /** Scratch row length: n rounded up to whole vectors, so pass 2 needs no scalar tail. */
    static int paddedLength(int n) {
        return (n + L - 1) / L * L;
    }

    /**
     * Fills each scratch row's padding with u = +inf: its term is then 2^-125 after the clamp in
     * {@link #exp2}, at most L x 2^-125 against a sum of at least 1 (the largest term): nothing.
     */
    private static void padFour(float[] scratch, int n, int w) {
        if (w != n) {
            for (int r = 0; r < 4; r++) {
                java.util.Arrays.fill(scratch, r * w + n, r * w + w, Float.POSITIVE_INFINITY);
            }
        }
    }

    private static float scalarU(float x, float[] mean, float[] scale, float[] negBias, int e) {
        float d = (x - mean[e]) * scale[e];
        return Math.fma(d, d, negBias[e]);
    }

    /**
     * Pass 2 for four scratch rows: out[o + r*stride] holds row r's minimum u on entry and
     * {@code offset_r - min + log(sum_i exp(min - u_i))} on exit.
     */
    private static void sumFour(float[] scratch, int w, float[] out, int o, int stride,
                                double off0, double off1, double off2, double off3) {
        float s0 = out[o];
        float s1 = out[o + stride];
        float s2 = out[o + 2 * stride];
        float s3 = out[o + 3 * stride];
        sumOneAt(scratch, 0, w, out, o, off0);
        sumOneAt(scratch, w, w, out, o + stride, off1);
        sumOneAt(scratch, 2 * w, w, out, o + 2 * stride, off2);
        sumOneAt(scratch, 3 * w, w, out, o + 3 * stride, off3);
    }

    /** Pass 2 for one padded scratch row of {@code w} floats (a whole number of vectors) at {@code from}. */
    private static void sumOneAt(float[] scratch, int from, int w, float[] out, int o, double offset) {
        float s = out[o];
        if (!Float.isFinite(s)) {
            // +inf: every term is -inf, so the log-density is -inf; NaN propagates
            out[o] = -s;
            return;
        }
        FloatVector log2e = FloatVector.broadcast(F, LOG2E);
        FloatVector c = FloatVector.broadcast(F, s);
        FloatVector acc = FloatVector.zero(F);
        // One exp2 call site only: C2 stops inlining after a node budget, and a vector passed to a
        // call that was not inlined is boxed (an allocation per vector). Out-of-order execution
        // overlaps the exp2 of the next vector with this add, so one accumulator costs nothing.
        for (int i = 0; i < w; i += L) {
            acc = acc.add(exp2(c.sub(FloatVector.fromArray(F, scratch, from + i)).mul(log2e)));
        }
        // the row's first L terms are consumed: park the lanes there and add them in a fixed order
        acc.intoArray(scratch, from);
        out[o] = (float) (offset - s + Math.log(sumParked(scratch, from)));
    }

    /**
     * Sum of L floats at {@code a[from..]} in a fixed order (four interleaved partial sums). Takes an
     * array, not a vector, so it costs nothing if C2 declines to inline it.
     */
    private static double sumParked(float[] a, int from) {
        double p0 = 0;
        double p1 = 0;
        double p2 = 0;
        double p3 = 0;
        for (int i = 0; i < L; i += 4) {
            p0 += a[from + i];
            p1 += a[from + i + 1];
            p2 += a[from + i + 2];
            p3 += a[from + i + 3];
        }
        return (p0 + p1) + (p2 + p3);
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
     * in one loop with one exp2 call site, for the reason given in {@link #sumOneAt}.
     */
    @Override
    public void backward(float[] x, int xOff, int rows, MixtureBank bank, float[] out, int outOff, float[] gOut,
                         int gOutOff, float[] grad, int gradOff, float[] gx, int gxOff) {
        int n = bank.components();
        int m = bank.mixtures();
        int size = m * n;
        for (int j = 0; j < m; j++) {
            int p = j * n;
            for (int b = 0; b < rows; b++) {
                float g = gOut[gOutOff + b * m + j];
                float o = out[outOff + b * m + j];
                if (g == 0f || o == Float.NEGATIVE_INFINITY) {
                    continue;
                }
                // |g| r = 2^(c - u log2 e) with |g| folded into c; the sign is applied after
                float c = (float) ((bank.offset[j] - o) * LOG2E + Math.log(Math.abs(g)) * LOG2E);
                float sign = Math.signum(g);
                if (gx == null) {
                    backwardPair(x, xOff + b * n, n, bank, p, c, sign, grad, gradOff + p, size);
                } else {
                    backwardPairWithInput(x, xOff + b * n, n, bank, p, c, sign, grad, gradOff + p, size, gx,
                            gxOff + b * n);
                }
            }
        }
    }

    /**
     * One (row, mixture) pair without the input gradient. {@code c = (offset - out + log|g|) * log2 e}, so
     * {@code |g| r = 2^(c - u log2 e)} with the negated term {@code u} of {@link #forward}.
     *
     * <p>Weighted responsibilities below {@code 2^}{@value #GRAD_MIN_LOG2} are set to exactly 0: most
     * components of a mixture carry almost none of its mass, and their products with {@code d} and
     * {@code scale} would be subnormal floats, which cost ~10x each on x86 (measured: the whole kernel ran
     * 4x slower). What is dropped is below 2^-100 per element: far under float resolution of any sum.
     */
    private static void backwardPair(float[] x, int xb, int n, MixtureBank bank, int p, float c, float sign,
                                     float[] grad, int gp, int size) {
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        FloatVector cv = FloatVector.broadcast(F, c);
        FloatVector sv = FloatVector.broadcast(F, sign);
        FloatVector s2 = FloatVector.broadcast(F, 2 * sign);
        FloatVector negLog2e = FloatVector.broadcast(F, -LOG2E);
        FloatVector minusHalf = FloatVector.broadcast(F, -0.5f);
        FloatVector zero = FloatVector.zero(F);
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector a = FloatVector.fromArray(F, scale, p + i);
            FloatVector d = FloatVector.fromArray(F, x, xb + i).sub(FloatVector.fromArray(F, mean, p + i)).mul(a);
            FloatVector y = d.fma(d, FloatVector.fromArray(F, negBias, p + i)).fma(negLog2e, cv);
            FloatVector gr = exp2(y).blend(zero, y.compare(VectorOperators.LT, GRAD_MIN_LOG2));
            // with gr2 = 2 g r: dmean = gr2 d a; dlogStd = g r (2 d^2 - 1) = gr2 (d^2 - 1/2); dlogWeight = g r
            FloatVector gr2 = gr.mul(s2);
            FloatVector pull = gr2.mul(d).mul(a);
            FloatVector.fromArray(F, grad, gp + i).add(pull).intoArray(grad, gp + i);
            gr2.fma(d.fma(d, minusHalf), FloatVector.fromArray(F, grad, gp + size + i)).intoArray(grad, gp + size + i);
            gr.fma(sv, FloatVector.fromArray(F, grad, gp + 2 * size + i)).intoArray(grad, gp + 2 * size + i);
        }
        for (; i < n; i++) {
            backwardScalar(x[xb + i], bank, p + i, c, sign, grad, gp + i, size);
        }
    }

    /** {@link #backwardPair} plus the input gradient of the row at {@code gx[gxb..]}. */
    private static void backwardPairWithInput(float[] x, int xb, int n, MixtureBank bank, int p, float c, float sign,
                                              float[] grad, int gp, int size, float[] gx, int gxb) {
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        FloatVector cv = FloatVector.broadcast(F, c);
        FloatVector sv = FloatVector.broadcast(F, sign);
        FloatVector s2 = FloatVector.broadcast(F, 2 * sign);
        FloatVector negLog2e = FloatVector.broadcast(F, -LOG2E);
        FloatVector minusHalf = FloatVector.broadcast(F, -0.5f);
        FloatVector zero = FloatVector.zero(F);
        int upper = F.loopBound(n);
        int i = 0;
        for (; i < upper; i += L) {
            FloatVector a = FloatVector.fromArray(F, scale, p + i);
            FloatVector d = FloatVector.fromArray(F, x, xb + i).sub(FloatVector.fromArray(F, mean, p + i)).mul(a);
            FloatVector y = d.fma(d, FloatVector.fromArray(F, negBias, p + i)).fma(negLog2e, cv);
            FloatVector gr = exp2(y).blend(zero, y.compare(VectorOperators.LT, GRAD_MIN_LOG2));
            FloatVector gr2 = gr.mul(s2);
            FloatVector pull = gr2.mul(d).mul(a);
            FloatVector.fromArray(F, grad, gp + i).add(pull).intoArray(grad, gp + i);
            gr2.fma(d.fma(d, minusHalf), FloatVector.fromArray(F, grad, gp + size + i)).intoArray(grad, gp + size + i);
            gr.fma(sv, FloatVector.fromArray(F, grad, gp + 2 * size + i)).intoArray(grad, gp + 2 * size + i);
            FloatVector.fromArray(F, gx, gxb + i).sub(pull).intoArray(gx, gxb + i);
        }
        for (; i < n; i++) {
            gx[gxb + i] -= backwardScalar(x[xb + i], bank, p + i, c, sign, grad, gp + i, size);
        }
    }

    /** The scalar tail of the two loops above; returns the mean's gradient (the input's, negated). */
    private static float backwardScalar(float x, MixtureBank bank, int e, float c, float sign, float[] grad, int ge,
                                        int size) {
        float a = bank.scale[e];
        float d = (x - bank.mean[e]) * a;
        double y = c - (double) Math.fma(d, d, bank.negBias[e]) * LOG2E;
        double gr = y < GRAD_MIN_LOG2 ? 0 : sign * Math.exp(y / LOG2E);
        float pull = (float) (2 * gr * d * a);
        grad[ge] += pull;
        grad[ge + size] += (float) (gr * (2.0 * d * d - 1));
        grad[ge + 2 * size] += (float) gr;
        return pull;
    }

    /**
     * 2^y for y <= 0 (larger y works up to 127). Round y to k, evaluate 2^(y-k) by polynomial, then add k
     * to the exponent bits. Arguments below {@link #EXP2_MIN_ARG} are clamped (see there).
     */
    static FloatVector exp2(FloatVector y) {
        FloatVector yc = y.blend(EXP2_MIN_ARG, y.compare(VectorOperators.LT, EXP2_MIN_ARG));
        FloatVector shifted = yc.add(ROUNDING_MAGIC);
        IntVector exponent = shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23);
        FloatVector f = yc.sub(shifted.sub(ROUNDING_MAGIC));
        FloatVector p = f.fma(FloatVector.broadcast(F, P6), FloatVector.broadcast(F, P5))
                .fma(f, FloatVector.broadcast(F, P4))
                .fma(f, FloatVector.broadcast(F, P3))
                .fma(f, FloatVector.broadcast(F, P2))
                .fma(f, FloatVector.broadcast(F, P1))
                .fma(f, FloatVector.broadcast(F, P0));
        return p.reinterpretAsInts().add(exponent).reinterpretAsFloats();
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
            acc = acc.add(exp2(FloatVector.fromArray(F, v, off + i).sub(c).mul(log2e)));
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
}
