package io.ugmm.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Panama Vector API {@link DenseKernel}, loaded only by {@link DenseKernels} after the module check. Lanes
 * hold consecutive outputs (or inputs), so every element is the scalar kernel's chain of fused multiply-adds
 * in the same order: the same bits, no lane reductions. Four rows share each weight load (register
 * blocking); the last partial vector of a row is computed
 * as the scalar kernel does it (masked vectors are not intrinsified on JDK 17).
 */
final class VectorDenseKernel implements DenseKernel {
    private static final VectorSpecies<Float> F = VectorMixtureKernel.F;
    private static final int L = F.length();

    static final VectorDenseKernel INSTANCE = new VectorDenseKernel();

    private VectorDenseKernel() {
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void forward(float[] x, int xOff, int rows, int inputs, float[] w, int wOff, float[] b, int bOff,
                        int outputs, float[] y, int yOff, float[] scratch) {
        product(x, xOff, rows, inputs, w, wOff, b, bOff, outputs, y, yOff, scratch, 0);
    }

    /**
     * {@code y = x w (+ b)}; {@code b == null} starts every sum at 0. The last partial vector of outputs is
     * computed on copies padded with zeros to a whole vector in {@code scratch} from {@code sOff}, then copied
     * out: the same chain of FMAs per element, without masks.
     */
    private static void product(float[] x, int xOff, int rows, int inputs, float[] w, int wOff, float[] b, int bOff,
                                int outputs, float[] y, int yOff, float[] scratch, int sOff) {
        int full = F.loopBound(outputs);
        for (int o = 0; o < full; o += L) {
            productColumns(x, xOff, rows, inputs, w, wOff + o, outputs, b, b == null ? 0 : bOff + o, y, yOff + o,
                    outputs);
        }
        int tail = outputs - full;
        if (tail == 0) {
            return;
        }
        int pw = sOff;
        int pb = pw + inputs * L;
        int py = pb + L;
        java.util.Arrays.fill(scratch, pw, py, 0f);
        for (int i = 0; i < inputs; i++) {
            System.arraycopy(w, wOff + i * outputs + full, scratch, pw + i * L, tail);
        }
        if (b != null) {
            System.arraycopy(b, bOff + full, scratch, pb, tail);
        }
        productColumns(x, xOff, rows, inputs, scratch, pw, L, b == null ? null : scratch, pb, scratch, py, L);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(scratch, py + r * L, y, yOff + r * outputs + full, tail);
        }
    }

    /** One vector of columns: {@code y[r][0..L) = b + sum_i x[r][i] w[i][0..L)}, rows strided by wStride/yStride. */
    private static void productColumns(float[] x, int xOff, int rows, int inputs, float[] w, int wo, int wStride,
                                       float[] b, int bo, float[] y, int yo, int yStride) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            productFourRows(x, xOff + r * inputs, inputs, w, wo, wStride, b, bo, y, yo + r * yStride, yStride);
        }
        for (; r < rows; r++) {
            productOneRow(x, xOff + r * inputs, inputs, w, wo, wStride, b, bo, y, yo + r * yStride);
        }
    }

    private static void productFourRows(float[] x, int x0, int inputs, float[] w, int wo, int wStride, float[] b,
                                        int bo, float[] y, int y0, int yStride) {
        FloatVector a0 = b == null ? FloatVector.zero(F) : FloatVector.fromArray(F, b, bo);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int x1 = x0 + inputs;
        int x2 = x1 + inputs;
        int x3 = x2 + inputs;
        for (int i = 0; i < inputs; i++) {
            FloatVector wv = FloatVector.fromArray(F, w, wo + i * wStride);
            a0 = FloatVector.broadcast(F, x[x0 + i]).fma(wv, a0);
            a1 = FloatVector.broadcast(F, x[x1 + i]).fma(wv, a1);
            a2 = FloatVector.broadcast(F, x[x2 + i]).fma(wv, a2);
            a3 = FloatVector.broadcast(F, x[x3 + i]).fma(wv, a3);
        }
        a0.intoArray(y, y0);
        a1.intoArray(y, y0 + yStride);
        a2.intoArray(y, y0 + 2 * yStride);
        a3.intoArray(y, y0 + 3 * yStride);
    }

    private static void productOneRow(float[] x, int x0, int inputs, float[] w, int wo, int wStride, float[] b,
                                      int bo, float[] y, int y0) {
        FloatVector a0 = b == null ? FloatVector.zero(F) : FloatVector.fromArray(F, b, bo);
        for (int i = 0; i < inputs; i++) {
            a0 = FloatVector.broadcast(F, x[x0 + i]).fma(FloatVector.fromArray(F, w, wo + i * wStride), a0);
        }
        a0.intoArray(y, y0);
    }

    @Override
    public void backwardWeights(float[] x, int xOff, int rows, int inputs, float[] gy, int gyOff, int outputs,
                                float[] gw, int gwOff, float[] gb, int gbOff, float[] scratch) {
        int full = F.loopBound(outputs);
        for (int o = 0; o < full; o += L) {
            weightColumns(x, xOff, rows, inputs, gy, gyOff + o, outputs, gw, gwOff + o, outputs, gb, gbOff + o);
        }
        int tail = outputs - full;
        if (tail == 0) {
            return;
        }
        // the last partial vector on zero-padded copies, as in product()
        int pg = 0;
        int pgy = pg + inputs * L;
        int pb = pgy + rows * L;
        java.util.Arrays.fill(scratch, 0, pb + L, 0f);
        for (int i = 0; i < inputs; i++) {
            System.arraycopy(gw, gwOff + i * outputs + full, scratch, pg + i * L, tail);
        }
        for (int r = 0; r < rows; r++) {
            System.arraycopy(gy, gyOff + r * outputs + full, scratch, pgy + r * L, tail);
        }
        System.arraycopy(gb, gbOff + full, scratch, pb, tail);
        weightColumns(x, xOff, rows, inputs, scratch, pgy, L, scratch, pg, L, scratch, pb);
        for (int i = 0; i < inputs; i++) {
            System.arraycopy(scratch, pg + i * L, gw, gwOff + i * outputs + full, tail);
        }
        System.arraycopy(scratch, pb, gb, gbOff + full, tail);
    }

    /** One vector of columns of dW and db; four inputs share each load of a row's output gradient. */
    private static void weightColumns(float[] x, int xOff, int rows, int inputs, float[] gy, int gyo, int gyStride,
                                      float[] gw, int gwo, int gwStride, float[] gb, int gbo) {
        int i = 0;
        for (; i + 4 <= inputs; i += 4) {
            int g0 = gwo + i * gwStride;
            FloatVector a0 = FloatVector.fromArray(F, gw, g0);
            FloatVector a1 = FloatVector.fromArray(F, gw, g0 + gwStride);
            FloatVector a2 = FloatVector.fromArray(F, gw, g0 + 2 * gwStride);
            FloatVector a3 = FloatVector.fromArray(F, gw, g0 + 3 * gwStride);
            for (int r = 0; r < rows; r++) {
                FloatVector g = FloatVector.fromArray(F, gy, gyo + r * gyStride);
                int xr = xOff + r * inputs + i;
                a0 = FloatVector.broadcast(F, x[xr]).fma(g, a0);
                a1 = FloatVector.broadcast(F, x[xr + 1]).fma(g, a1);
                a2 = FloatVector.broadcast(F, x[xr + 2]).fma(g, a2);
                a3 = FloatVector.broadcast(F, x[xr + 3]).fma(g, a3);
            }
            a0.intoArray(gw, g0);
            a1.intoArray(gw, g0 + gwStride);
            a2.intoArray(gw, g0 + 2 * gwStride);
            a3.intoArray(gw, g0 + 3 * gwStride);
        }
        for (; i < inputs; i++) {
            int g0 = gwo + i * gwStride;
            FloatVector a0 = FloatVector.fromArray(F, gw, g0);
            for (int r = 0; r < rows; r++) {
                a0 = FloatVector.broadcast(F, x[xOff + r * inputs + i])
                        .fma(FloatVector.fromArray(F, gy, gyo + r * gyStride), a0);
            }
            a0.intoArray(gw, g0);
        }
        FloatVector bias = FloatVector.fromArray(F, gb, gbo);
        for (int r = 0; r < rows; r++) {
            bias = bias.add(FloatVector.fromArray(F, gy, gyo + r * gyStride));
        }
        bias.intoArray(gb, gbo);
    }

    @Override
    public void backwardInput(float[] gy, int gyOff, int rows, int outputs, float[] w, int wOff, int inputs,
                              float[] gx, int gxOff, float[] scratch) {
        // transposed once per call (inputs x outputs floats), then the same broadcast-FMA product as forward
        for (int i = 0; i < inputs; i++) {
            for (int o = 0; o < outputs; o++) {
                scratch[o * inputs + i] = w[wOff + i * outputs + o];
            }
        }
        product(gy, gyOff, rows, outputs, scratch, 0, null, 0, inputs, gx, gxOff, scratch, inputs * outputs);
    }

    /**
     * {@link Tanh#of} lane by lane, with the same operations in the same order. The whole body sits in the
     * loop: a helper taking and returning vectors would be too big to inline, and vectors that cross a call
     * that is not inlined are allocated.
     */
    @Override
    public void tanh(float[] v, int off, int len) {
        int full = F.loopBound(len);
        // every constant broadcast once, outside the loop: keeps the loop body small enough for C2 to inline
        // all of it (on JDK 17 a body too big to inline falls back to allocating vector objects)
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector c3 = FloatVector.broadcast(F, Tanh.C3);
        FloatVector c5 = FloatVector.broadcast(F, Tanh.C5);
        FloatVector c7 = FloatVector.broadcast(F, Tanh.C7);
        FloatVector c9 = FloatVector.broadcast(F, Tanh.C9);
        FloatVector c11 = FloatVector.broadcast(F, Tanh.C11);
        FloatVector c13 = FloatVector.broadcast(F, Tanh.C13);
        FloatVector c15 = FloatVector.broadcast(F, Tanh.C15);
        FloatVector c17 = FloatVector.broadcast(F, Tanh.C17);
        FloatVector e2 = FloatVector.broadcast(F, Tanh.E2);
        FloatVector e3 = FloatVector.broadcast(F, Tanh.E3);
        FloatVector e4 = FloatVector.broadcast(F, Tanh.E4);
        FloatVector e5 = FloatVector.broadcast(F, Tanh.E5);
        FloatVector e6 = FloatVector.broadcast(F, Tanh.E6);
        FloatVector e7 = FloatVector.broadcast(F, Tanh.E7);
        FloatVector cap = FloatVector.broadcast(F, Tanh.CAP);
        FloatVector minusTwo = FloatVector.broadcast(F, -2f);
        FloatVector log2e = FloatVector.broadcast(F, Tanh.LOG2E);
        FloatVector magic = FloatVector.broadcast(F, Tanh.ROUNDING_MAGIC);
        FloatVector minusLn2Hi = FloatVector.broadcast(F, -Tanh.LN2_HI);
        FloatVector minusLn2Lo = FloatVector.broadcast(F, -Tanh.LN2_LO);
        FloatVector small = FloatVector.broadcast(F, Tanh.SMALL);
        FloatVector zero = FloatVector.zero(F);
        for (int i = 0; i < full; i += L) {
            FloatVector x = FloatVector.fromArray(F, v, off + i);
            FloatVector ax = x.abs();
            FloatVector x2 = x.mul(x);
            FloatVector p = x2.fma(c17, c15);
            p = x2.fma(p, c13);
            p = x2.fma(p, c11);
            p = x2.fma(p, c9);
            p = x2.fma(p, c7);
            p = x2.fma(p, c5);
            p = x2.fma(p, c3);
            FloatVector series = x.mul(x2).fma(p, x);

            FloatVector y = ax.min(cap).mul(minusTwo);
            FloatVector shifted = y.mul(log2e).add(magic);
            FloatVector n = shifted.sub(magic);
            FloatVector r = n.fma(minusLn2Hi, y);
            r = n.fma(minusLn2Lo, r);
            FloatVector e = r.fma(e7, e6);
            e = r.fma(e, e5);
            e = r.fma(e, e4);
            e = r.fma(e, e3);
            e = r.fma(e, e2);
            e = r.fma(e, one);
            e = r.fma(e, one);
            // the low mantissa bits of 'shifted' hold n; (n + 127) << 23 is 2^n (the magic's own bits shift out)
            IntVector bits = shifted.reinterpretAsInts().add(127).mul(1 << 23);
            e = e.mul(bits.reinterpretAsFloats());
            FloatVector big = one.sub(e).div(one.add(e));
            big = big.blend(big.neg(), x.compare(VectorOperators.LT, zero));
            big.blend(series, ax.compare(VectorOperators.LT, small)).intoArray(v, off + i);
        }
        for (int i = full; i < len; i++) {
            v[off + i] = Tanh.of(v[off + i]);
        }
    }

    @Override
    public void tanhBackward(float[] y, int yOff, float[] g, int gOff, int len) {
        int full = F.loopBound(len);
        for (int i = 0; i < full; i += L) {
            FloatVector t = FloatVector.fromArray(F, y, yOff + i);
            FloatVector d = FloatVector.broadcast(F, 1f).sub(t.mul(t));
            FloatVector.fromArray(F, g, gOff + i).mul(d).intoArray(g, gOff + i);
        }
        for (int i = full; i < len; i++) {
            float t = y[yOff + i];
            g[gOff + i] *= 1f - t * t;
        }
    }

    @Override
    public void relu(float[] v, int off, int len) {
        int full = F.loopBound(len);
        for (int i = 0; i < full; i += L) {
            FloatVector.fromArray(F, v, off + i).max(0f).intoArray(v, off + i);
        }
        for (int i = full; i < len; i++) {
            v[off + i] = Math.max(v[off + i], 0f);
        }
    }

    @Override
    public void reluBackward(float[] y, int yOff, float[] g, int gOff, int len) {
        int full = F.loopBound(len);
        for (int i = 0; i < full; i += L) {
            FloatVector keep = FloatVector.fromArray(F, g, gOff + i);
            VectorMask<Float> positive = FloatVector.fromArray(F, y, yOff + i).compare(VectorOperators.GT, 0f);
            FloatVector.zero(F).blend(keep, positive).intoArray(g, gOff + i);
        }
        for (int i = full; i < len; i++) {
            if (!(y[yOff + i] > 0f)) {
                g[gOff + i] = 0f;
            }
        }
    }
}
