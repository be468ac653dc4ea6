package io.ugmm.simd;

/**
 * Plain-Java reference implementation. Terms are computed in float exactly as the vector kernel does;
 * exponentials and sums are taken in double, which makes this the accuracy reference for the vector kernel.
 */
final class ScalarMixtureKernel implements MixtureKernel {

    static final ScalarMixtureKernel INSTANCE = new ScalarMixtureKernel();

    private ScalarMixtureKernel() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int vectorBits() {
        return Float.SIZE;
    }

    @Override
    public void forward(float[] x, int xOff, int rows, MixtureBank bank, float[] out, int outOff, float[] scratch) {
        forward(x, xOff, rows, bank, 0, bank.mixtures(), out, outOff, scratch);
    }

    @Override
    public void forward(float[] x, int xOff, int rows, MixtureBank bank, int from, int to, float[] out, int outOff,
                        float[] scratch) {
        int n = bank.components();
        int m = bank.mixtures();
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        for (int b = 0; b < rows; b++) {
            int xb = xOff + b * n;
            for (int j = from; j < to; j++) {
                int p = j * n;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    float d = (x[xb + i] - mean[p + i]) * scale[p + i];
                    float t = -Math.fma(d, d, negBias[p + i]);
                    scratch[i] = t;
                    max = Math.max(max, t);
                }
                out[outOff + b * m + j] = (float) (bank.offset[j] + shiftedLogSumExpDouble(scratch, 0, n, max));
            }
        }
    }

    @Override
    public void backward(float[] x, int xOff, int rows, MixtureBank bank, float[] out, int outOff, float[] gOut,
                         int gOutOff, float[] grad, int gradOff, float[] gx, int gxOff) {
        int n = bank.components();
        int m = bank.mixtures();
        int size = m * n;
        float[] mean = bank.mean;
        float[] scale = bank.scale;
        float[] negBias = bank.negBias;
        for (int b = 0; b < rows; b++) {
            int xb = xOff + b * n;
            for (int j = 0; j < m; j++) {
                double g = gOut[gOutOff + b * m + j];
                float o = out[outOff + b * m + j];
                if (g == 0 || o == Float.NEGATIVE_INFINITY) {
                    continue;
                }
                // r = exp(t - out) = exp(c - u) with t = offset - u, as forward computes it
                double c = bank.offset[j] - o;
                int p = j * n;
                int gp = gradOff + p;
                for (int i = 0; i < n; i++) {
                    float d = (x[xb + i] - mean[p + i]) * scale[p + i];
                    double gr = g * Math.exp(c - Math.fma(d, d, negBias[p + i]));
                    // d = (x - mean) / (sigma sqrt 2): (x - mean) / sigma^2 = 2 d scale, (x - mean)^2 / sigma^2 = 2 d^2
                    double pull = 2 * gr * d * scale[p + i];
                    grad[gp + i] += (float) pull;
                    grad[gp + size + i] += (float) (gr * (2.0 * d * d - 1));
                    grad[gp + 2 * size + i] += (float) gr;
                    if (gx != null) {
                        gx[gxOff + b * n + i] -= (float) pull;
                    }
                }
            }
        }
    }

    @Override
    public float logSumExp(float[] v, int off, int len) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            max = Math.max(max, v[off + i]);
        }
        return shiftedLogSumExp(v, off, len, max);
    }

    @Override
    public void logSoftmax(float[] v, int off, int len, float[] out, int outOff) {
        float lse = logSumExp(v, off, len);
        for (int i = 0; i < len; i++) {
            out[outOff + i] = v[off + i] - lse;
        }
    }

    @Override
    public void exp(float[] v, int off, int len, float[] out, int outOff) {
        for (int i = 0; i < len; i++) {
            out[outOff + i] = (float) Math.exp(v[off + i]);
        }
    }

    @Override
    public void adam(float[] param, int pOff, float[] grad, int gOff, float[] m, float[] v, int sOff, int len,
                     AdamCoefficients c) {
        for (int i = 0; i < len; i++) {
            param[pOff + i] = c.update(param, pOff + i, grad, gOff + i, m, v, sOff + i);
        }
    }

    /** logsumexp given the maximum; NaN and all-(-inf) rows short-circuit (exp(-inf - -inf) would be NaN). */
    static float shiftedLogSumExp(float[] v, int off, int len, float max) {
        return (float) shiftedLogSumExpDouble(v, off, len, max);
    }

    private static double shiftedLogSumExpDouble(float[] v, int off, int len, float max) {
        if (max == Float.NEGATIVE_INFINITY || max == Float.POSITIVE_INFINITY || Float.isNaN(max)) {
            return max;
        }
        double sum = 0;
        for (int i = 0; i < len; i++) {
            sum += Math.exp((double) v[off + i] - max);
        }
        return max + Math.log(sum);
    }
}
