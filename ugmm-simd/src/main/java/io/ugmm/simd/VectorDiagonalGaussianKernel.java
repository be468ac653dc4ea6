package io.ugmm.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Panama Vector API {@link DiagonalGaussianKernel}. Four rows share each load of a component's means
 * and precisions (register blocking); lanes are finished in double in a fixed order rather than with
 * {@code reduceLanes}, whose order the API leaves open, so results do not depend on JIT state.
 */
final class VectorDiagonalGaussianKernel implements DiagonalGaussianKernel {
    static final VectorSpecies<Float> F = VectorSpeciesChoice.floats();
    private static final int L = F.length();
    static final VectorDiagonalGaussianKernel INSTANCE = new VectorDiagonalGaussianKernel();

    private VectorDiagonalGaussianKernel() {
    }


    @Override
    public String name() {
        return "vector";
    }

    int vectorBits() {
        return F.vectorBitSize();
    }

    @Override
    public void logDensities(float[] x, int xOff, int rows, int dims, float[] means, float[] precisions,
                             double[] constants, int components, double[] out, int outOff) {
        float[] lanes = new float[4 * L];
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int row = xOff + r * dims;
            for (int k = 0; k < components; k++) {
                fourRows(x, row, dims, means, precisions, k * dims, lanes, constants[k], out,
                        outOff + r * components + k, components);
            }
        }
        for (; r < rows; r++) {
            int row = xOff + r * dims;
            for (int k = 0; k < components; k++) {
                out[outOff + r * components + k] = constants[k]
                        - 0.5 * oneRow(x, row, dims, means, precisions, k * dims, lanes);
            }
        }
    }

    private static void fourRows(float[] x, int row, int dims, float[] means, float[] precisions, int p,
                                 float[] lanes, double constant, double[] out, int o, int stride) {
        FloatVector a0 = FloatVector.zero(F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        int upper = F.loopBound(dims);
        int d = 0;
        for (; d < upper; d += L) {
            FloatVector mu = FloatVector.fromArray(F, means, p + d);
            FloatVector prec = FloatVector.fromArray(F, precisions, p + d);
            FloatVector c0 = FloatVector.fromArray(F, x, row + d).sub(mu);
            FloatVector c1 = FloatVector.fromArray(F, x, row + dims + d).sub(mu);
            FloatVector c2 = FloatVector.fromArray(F, x, row + 2 * dims + d).sub(mu);
            FloatVector c3 = FloatVector.fromArray(F, x, row + 3 * dims + d).sub(mu);
            a0 = c0.mul(prec).fma(c0, a0);
            a1 = c1.mul(prec).fma(c1, a1);
            a2 = c2.mul(prec).fma(c2, a2);
            a3 = c3.mul(prec).fma(c3, a3);
        }
        a0.intoArray(lanes, 0);
        a1.intoArray(lanes, L);
        a2.intoArray(lanes, 2 * L);
        a3.intoArray(lanes, 3 * L);
        for (int i = 0; i < 4; i++) {
            double sum = laneSum(lanes, i * L);
            int xr = row + i * dims;
            for (int t = d; t < dims; t++) {
                float c = x[xr + t] - means[p + t];
                sum += (double) (c * precisions[p + t]) * c;
            }
            out[o + i * stride] = constant - 0.5 * sum;
        }
    }

    private static double oneRow(float[] x, int row, int dims, float[] means, float[] precisions, int p,
                                 float[] lanes) {
        FloatVector acc = FloatVector.zero(F);
        int upper = F.loopBound(dims);
        int d = 0;
        for (; d < upper; d += L) {
            FloatVector c = FloatVector.fromArray(F, x, row + d).sub(FloatVector.fromArray(F, means, p + d));
            acc = c.mul(FloatVector.fromArray(F, precisions, p + d)).fma(c, acc);
        }
        acc.intoArray(lanes, 0);
        double sum = laneSum(lanes, 0);
        for (; d < dims; d++) {
            float c = x[row + d] - means[p + d];
            sum += (double) (c * precisions[p + d]) * c;
        }
        return sum;
    }

    private static double laneSum(float[] lanes, int from) {
        double sum = 0;
        for (int i = 0; i < L; i++) {
            sum += lanes[from + i];
        }
        return sum;
    }

    @Override
    public void accumulate(float[] x, int xOff, int dims, float weight, float[] shift, int shiftOff,
                           float[] sum, float[] sumSquares, int accOff) {
        FloatVector w = FloatVector.broadcast(F, weight);
        int upper = F.loopBound(dims);
        int d = 0;
        for (; d < upper; d += L) {
            FloatVector c = FloatVector.fromArray(F, x, xOff + d).sub(FloatVector.fromArray(F, shift, shiftOff + d));
            FloatVector wc = c.mul(w);
            wc.add(FloatVector.fromArray(F, sum, accOff + d)).intoArray(sum, accOff + d);
            wc.fma(c, FloatVector.fromArray(F, sumSquares, accOff + d)).intoArray(sumSquares, accOff + d);
        }
        for (; d < dims; d++) {
            float c = x[xOff + d] - shift[shiftOff + d];
            float wc = weight * c;
            sum[accOff + d] += wc;
            sumSquares[accOff + d] = Math.fma(wc, c, sumSquares[accOff + d]);
        }
    }
}
