package io.ugmm.simd;

/** The plain-Java {@link DiagonalGaussianKernel}: the reference the vector one is tested against. */
final class ScalarDiagonalGaussianKernel implements DiagonalGaussianKernel {
    static final ScalarDiagonalGaussianKernel INSTANCE = new ScalarDiagonalGaussianKernel();

    private ScalarDiagonalGaussianKernel() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void logDensities(float[] x, int xOff, int rows, int dims, float[] means, float[] precisions,
                             double[] constants, int components, double[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int row = xOff + r * dims;
            for (int k = 0; k < components; k++) {
                int p = k * dims;
                float sum = 0;
                for (int d = 0; d < dims; d++) {
                    float diff = x[row + d] - means[p + d];
                    sum = Math.fma(diff * precisions[p + d], diff, sum);
                }
                out[outOff + r * components + k] = constants[k] - 0.5 * sum;
            }
        }
    }

    @Override
    public void accumulate(float[] x, int xOff, int dims, float weight, float[] shift, int shiftOff,
                           float[] sum, float[] sumSquares, int accOff) {
        for (int d = 0; d < dims; d++) {
            float c = x[xOff + d] - shift[shiftOff + d];
            float wc = weight * c;
            sum[accOff + d] += wc;
            sumSquares[accOff + d] = Math.fma(wc, c, sumSquares[accOff + d]);
        }
    }
}
