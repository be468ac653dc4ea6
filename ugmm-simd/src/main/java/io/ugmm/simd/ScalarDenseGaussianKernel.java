package io.ugmm.simd;

/**
 * The plain-Java {@link DenseGaussianKernel}: per row, the same fused multiply-adds in the same order as the
 * vector kernel does per lane, so the two agree bit for bit.
 */
final class ScalarDenseGaussianKernel implements DenseGaussianKernel {
    static final ScalarDenseGaussianKernel INSTANCE = new ScalarDenseGaussianKernel();

    private ScalarDenseGaussianKernel() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int scratchSize(int dims) {
        return 2 * dims;
    }

    @Override
    public void mahalanobis(float[] x, int xOff, int rows, int dims, double[] mean, int meanOff, double[] factor,
                            int factorOff, double[] out, int outOff, double[] scratch) {
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * dims;
            for (int j = 0; j < dims; j++) {
                scratch[j] = (double) x[row + j] - mean[meanOff + j];
            }
            double q = 0;
            for (int i = 0; i < dims; i++) {
                int p = factorOff + i * dims;
                double z = 0;
                for (int j = 0; j <= i; j++) {
                    z = Math.fma(factor[p + j], scratch[j], z);
                }
                q = Math.fma(z, z, q);
            }
            out[outOff + r] = q;
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
            centre(x, xOff + r * dims, dims, w, shift, shiftOff, sum, sumOff, scratch);
            for (int i = 0; i < dims; i++) {
                double wy = scratch[dims + i];
                int s = scatterOff + i * dims;
                for (int j = 0; j <= i; j++) {
                    scatter[s + j] = Math.fma(wy, scratch[j], scatter[s + j]);
                }
            }
        }
    }

    /**
     * One row of {@link #scatter}'s first step, shared with the vector kernel: {@code scratch[j] = y_j},
     * {@code scratch[dims + j] = w y_j} with {@code y = x_row - shift}, and {@code sum += w y}.
     */
    static void centre(float[] x, int row, int dims, double w, double[] shift, int shiftOff, double[] sum,
                       int sumOff, double[] scratch) {
        for (int j = 0; j < dims; j++) {
            double y = (double) x[row + j] - shift[shiftOff + j];
            scratch[j] = y;
            scratch[dims + j] = w * y;
            sum[sumOff + j] += w * y;
        }
    }
}
