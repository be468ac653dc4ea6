package io.ugmm.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Panama Vector API {@link DenseGaussianKernel}, in double lanes. Mahalanobis distances run across rows:
 * a block of rows is centred and transposed into scratch, then each lower-triangular factor entry is
 * broadcast once and multiplied into a whole lane of rows, so a factor load serves many rows and no lane sum
 * is ever needed. The scatter adds each row's outer product to the lower triangle, across columns.
 */
final class VectorDenseGaussianKernel implements DenseGaussianKernel {
    static final VectorSpecies<Double> D = VectorSpeciesChoice.doubles();
    private static final int L = D.length();
    /** Rows per block: two vectors of rows, enough independent FMA chains to hide their latency. */
    private static final int BLOCK = 2 * L;
    static final VectorDenseGaussianKernel INSTANCE = new VectorDenseGaussianKernel();

    private VectorDenseGaussianKernel() {
    }


    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int scratchSize(int dims) {
        return Math.max(BLOCK * dims, 2 * dims);
    }

    @Override
    public void mahalanobis(float[] x, int xOff, int rows, int dims, double[] mean, int meanOff, double[] factor,
                            int factorOff, double[] out, int outOff, double[] scratch) {
        for (int b = 0; b < rows; b += BLOCK) {
            int n = Math.min(BLOCK, rows - b);
            // scratch[j * BLOCK + r] = x[b + r][j] - mean[j]; rows past the end are zero
            for (int j = 0; j < dims; j++) {
                double m = mean[meanOff + j];
                int t = j * BLOCK;
                int xr = xOff + b * dims + j;
                for (int r = 0; r < n; r++) {
                    scratch[t + r] = (double) x[xr + r * dims] - m;
                }
                for (int r = n; r < BLOCK; r++) {
                    scratch[t + r] = 0;
                }
            }
            DoubleVector q0 = DoubleVector.zero(D);
            DoubleVector q1 = q0;
            for (int i = 0; i < dims; i++) {
                int p = factorOff + i * dims;
                DoubleVector z0 = DoubleVector.zero(D);
                DoubleVector z1 = z0;
                for (int j = 0; j <= i; j++) {
                    DoubleVector f = DoubleVector.broadcast(D, factor[p + j]);
                    z0 = f.fma(DoubleVector.fromArray(D, scratch, j * BLOCK), z0);
                    z1 = f.fma(DoubleVector.fromArray(D, scratch, j * BLOCK + L), z1);
                }
                q0 = z0.fma(z0, q0);
                q1 = z1.fma(z1, q1);
            }
            if (n == BLOCK) {
                q0.intoArray(out, outOff + b);
                q1.intoArray(out, outOff + b + L);
            } else {
                double[] lanes = new double[BLOCK];
                q0.intoArray(lanes, 0);
                q1.intoArray(lanes, L);
                System.arraycopy(lanes, 0, out, outOff + b, n);
            }
        }
    }

    @Override
    public void scatter(float[] x, int xOff, int rows, int dims, double[] weights, int wOff, int wStride,
                        double[] shift, int shiftOff, double[] sum, int sumOff, double[] scatter, int scatterOff,
                        double[] scratch) {
        for (int r = 0; r < rows; r++) {
            double w = weights[wOff + r * wStride];
            if (w == 0) {
                continue;
            }
            ScalarDenseGaussianKernel.centre(x, xOff + r * dims, dims, w, shift, shiftOff, sum, sumOff, scratch);
            for (int i = 0; i < dims; i++) {
                DoubleVector wy = DoubleVector.broadcast(D, scratch[dims + i]);
                int s = scatterOff + i * dims;
                // whole vectors up to the diagonal (entries past it are spare work, never read)
                int end = Math.min(dims, (i / L + 1) * L);
                int j = 0;
                for (; j + L <= end; j += L) {
                    wy.fma(DoubleVector.fromArray(D, scratch, j), DoubleVector.fromArray(D, scatter, s + j))
                            .intoArray(scatter, s + j);
                }
                double wyi = scratch[dims + i];
                for (; j <= i; j++) {
                    scatter[s + j] = Math.fma(wyi, scratch[j], scatter[s + j]);
                }
            }
        }
    }
}
