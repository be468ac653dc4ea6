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
 * blocking); the last partial vector of a row is masked.
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
                        int outputs, float[] y, int yOff) {
        product(x, xOff, rows, inputs, w, wOff, b, bOff, outputs, y, yOff);
    }

    /** {@code y = x w (+ b)}; {@code b == null} starts every sum at 0. */
    private static void product(float[] x, int xOff, int rows, int inputs, float[] w, int wOff, float[] b, int bOff,
                                int outputs, float[] y, int yOff) {
        for (int o = 0; o < outputs; o += L) {
            VectorMask<Float> m = o + L <= outputs ? null : F.indexInRange(o, outputs);
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                productFourRows(x, xOff + r * inputs, inputs, w, wOff + o, b, bOff + o, outputs, y,
                        yOff + r * outputs + o, m);
            }
            for (; r < rows; r++) {
                productOneRow(x, xOff + r * inputs, inputs, w, wOff + o, b, bOff + o, outputs, y,
                        yOff + r * outputs + o, m);
            }
        }
    }

    private static FloatVector load(float[] a, int off, VectorMask<Float> m) {
        return m == null ? FloatVector.fromArray(F, a, off) : FloatVector.fromArray(F, a, off, m);
    }

    private static void store(FloatVector v, float[] a, int off, VectorMask<Float> m) {
        if (m == null) {
            v.intoArray(a, off);
        } else {
            v.intoArray(a, off, m);
        }
    }

    private static void productFourRows(float[] x, int x0, int inputs, float[] w, int wo, float[] b, int bo,
                                        int outputs, float[] y, int y0, VectorMask<Float> m) {
        FloatVector a0 = b == null ? FloatVector.zero(F) : load(b, bo, m);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int x1 = x0 + inputs;
        int x2 = x1 + inputs;
        int x3 = x2 + inputs;
        for (int i = 0; i < inputs; i++) {
            FloatVector wv = load(w, wo + i * outputs, m);
            a0 = FloatVector.broadcast(F, x[x0 + i]).fma(wv, a0);
            a1 = FloatVector.broadcast(F, x[x1 + i]).fma(wv, a1);
            a2 = FloatVector.broadcast(F, x[x2 + i]).fma(wv, a2);
            a3 = FloatVector.broadcast(F, x[x3 + i]).fma(wv, a3);
        }
        store(a0, y, y0, m);
        store(a1, y, y0 + outputs, m);
        store(a2, y, y0 + 2 * outputs, m);
        store(a3, y, y0 + 3 * outputs, m);
    }

    private static void productOneRow(float[] x, int x0, int inputs, float[] w, int wo, float[] b, int bo,
                                      int outputs, float[] y, int y0, VectorMask<Float> m) {
        FloatVector a0 = b == null ? FloatVector.zero(F) : load(b, bo, m);
        for (int i = 0; i < inputs; i++) {
            a0 = FloatVector.broadcast(F, x[x0 + i]).fma(load(w, wo + i * outputs, m), a0);
        }
        store(a0, y, y0, m);
    }

    @Override
    public void backwardWeights(float[] x, int xOff, int rows, int inputs, float[] gy, int gyOff, int outputs,
                                float[] gw, int gwOff, float[] gb, int gbOff) {
        for (int o = 0; o < outputs; o += L) {
            VectorMask<Float> m = o + L <= outputs ? null : F.indexInRange(o, outputs);
            int i = 0;
            // four inputs share each load of a row's output gradient
            for (; i + 4 <= inputs; i += 4) {
                int g0 = gwOff + i * outputs + o;
                FloatVector a0 = load(gw, g0, m);
                FloatVector a1 = load(gw, g0 + outputs, m);
                FloatVector a2 = load(gw, g0 + 2 * outputs, m);
                FloatVector a3 = load(gw, g0 + 3 * outputs, m);
                for (int r = 0; r < rows; r++) {
                    FloatVector g = load(gy, gyOff + r * outputs + o, m);
                    int xr = xOff + r * inputs + i;
                    a0 = FloatVector.broadcast(F, x[xr]).fma(g, a0);
                    a1 = FloatVector.broadcast(F, x[xr + 1]).fma(g, a1);
                    a2 = FloatVector.broadcast(F, x[xr + 2]).fma(g, a2);
                    a3 = FloatVector.broadcast(F, x[xr + 3]).fma(g, a3);
                }
                store(a0, gw, g0, m);
                store(a1, gw, g0 + outputs, m);
                store(a2, gw, g0 + 2 * outputs, m);
                store(a3, gw, g0 + 3 * outputs, m);
            }
            for (; i < inputs; i++) {
                int g0 = gwOff + i * outputs + o;
                FloatVector a0 = load(gw, g0, m);
                for (int r = 0; r < rows; r++) {
                    a0 = FloatVector.broadcast(F, x[xOff + r * inputs + i]).fma(load(gy, gyOff + r * outputs + o, m), a0);
                }
                store(a0, gw, g0, m);
            }
            FloatVector bias = load(gb, gbOff + o, m);
            for (int r = 0; r < rows; r++) {
                bias = bias.add(load(gy, gyOff + r * outputs + o, m));
            }
            store(bias, gb, gbOff + o, m);
        }
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
        product(gy, gyOff, rows, outputs, scratch, 0, null, 0, inputs, gx, gxOff);
    }

    @Override
    public void tanh(float[] v, int off, int len) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = i + L <= len ? null : F.indexInRange(i, len);
            store(tanh(load(v, off + i, m)), v, off + i, m);
        }
    }

    /** {@link Tanh#of} lane by lane, with the same operations in the same order. */
    private static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector x2 = x.mul(x);
        FloatVector p = x2.fma(Tanh.C17, Tanh.C15);
        p = x2.fma(p, FloatVector.broadcast(F, Tanh.C13));
        p = x2.fma(p, FloatVector.broadcast(F, Tanh.C11));
        p = x2.fma(p, FloatVector.broadcast(F, Tanh.C9));
        p = x2.fma(p, FloatVector.broadcast(F, Tanh.C7));
        p = x2.fma(p, FloatVector.broadcast(F, Tanh.C5));
        p = x2.fma(p, FloatVector.broadcast(F, Tanh.C3));
        FloatVector small = x.mul(x2).fma(p, x);

        FloatVector y = ax.min(Tanh.CAP).mul(-2f);
        FloatVector shifted = y.mul(Tanh.LOG2E).add(Tanh.ROUNDING_MAGIC);
        FloatVector n = shifted.sub(Tanh.ROUNDING_MAGIC);
        FloatVector r = n.fma(FloatVector.broadcast(F, -Tanh.LN2_HI), y);
        r = n.fma(FloatVector.broadcast(F, -Tanh.LN2_LO), r);
        FloatVector e = r.fma(Tanh.E7, Tanh.E6);
        e = r.fma(e, FloatVector.broadcast(F, Tanh.E5));
        e = r.fma(e, FloatVector.broadcast(F, Tanh.E4));
        e = r.fma(e, FloatVector.broadcast(F, Tanh.E3));
        e = r.fma(e, FloatVector.broadcast(F, Tanh.E2));
        e = r.fma(e, FloatVector.broadcast(F, 1f));
        e = r.fma(e, FloatVector.broadcast(F, 1f));
        // the low mantissa bits of 'shifted' hold n; (n + 127) << 23 is 2^n (the magic's own bits shift out)
        IntVector bits = shifted.reinterpretAsInts().add(127).lanewise(VectorOperators.LSHL, 23);
        e = e.mul(bits.reinterpretAsFloats());
        FloatVector one = FloatVector.broadcast(F, 1f);
        FloatVector big = one.sub(e).div(one.add(e));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        return big.blend(small, ax.compare(VectorOperators.LT, Tanh.SMALL));
    }

    @Override
    public void tanhBackward(float[] y, int yOff, float[] g, int gOff, int len) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = i + L <= len ? null : F.indexInRange(i, len);
            FloatVector t = load(y, yOff + i, m);
            FloatVector d = FloatVector.broadcast(F, 1f).sub(t.mul(t));
            store(load(g, gOff + i, m).mul(d), g, gOff + i, m);
        }
    }

    @Override
    public void relu(float[] v, int off, int len) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = i + L <= len ? null : F.indexInRange(i, len);
            store(load(v, off + i, m).max(0f), v, off + i, m);
        }
    }

    @Override
    public void reluBackward(float[] y, int yOff, float[] g, int gOff, int len) {
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = i + L <= len ? null : F.indexInRange(i, len);
            FloatVector keep = load(g, gOff + i, m);
            VectorMask<Float> positive = load(y, yOff + i, m).compare(VectorOperators.GT, 0f);
            store(FloatVector.zero(F).blend(keep, positive), g, gOff + i, m);
        }
    }
}
