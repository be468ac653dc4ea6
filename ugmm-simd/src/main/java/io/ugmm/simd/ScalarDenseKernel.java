package io.ugmm.simd;

/** Plain-Java {@link DenseKernel}: the reference the vector kernel must match bit for bit. */
final class ScalarDenseKernel implements DenseKernel {
    static final ScalarDenseKernel INSTANCE = new ScalarDenseKernel();

    private ScalarDenseKernel() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void forward(float[] x, int xOff, int rows, int inputs, float[] w, int wOff, float[] b, int bOff,
                        int outputs, float[] y, int yOff, float[] scratch) {
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * inputs;
            int yr = yOff + r * outputs;
            for (int o = 0; o < outputs; o++) {
                float acc = b[bOff + o];
                for (int i = 0; i < inputs; i++) {
                    acc = Math.fma(x[xr + i], w[wOff + i * outputs + o], acc);
                }
                y[yr + o] = acc;
            }
        }
    }

    @Override
    public void backwardWeights(float[] x, int xOff, int rows, int inputs, float[] gy, int gyOff, int outputs,
                                float[] gw, int gwOff, float[] gb, int gbOff, float[] scratch) {
        for (int i = 0; i < inputs; i++) {
            for (int o = 0; o < outputs; o++) {
                float acc = gw[gwOff + i * outputs + o];
                for (int r = 0; r < rows; r++) {
                    acc = Math.fma(x[xOff + r * inputs + i], gy[gyOff + r * outputs + o], acc);
                }
                gw[gwOff + i * outputs + o] = acc;
            }
        }
        for (int o = 0; o < outputs; o++) {
            float acc = gb[gbOff + o];
            for (int r = 0; r < rows; r++) {
                acc += gy[gyOff + r * outputs + o];
            }
            gb[gbOff + o] = acc;
        }
    }

    @Override
    public void backwardInput(float[] gy, int gyOff, int rows, int outputs, float[] w, int wOff, int inputs,
                              float[] gx, int gxOff, float[] scratch) {
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < inputs; i++) {
                float acc = 0f;
                for (int o = 0; o < outputs; o++) {
                    acc = Math.fma(gy[gyOff + r * outputs + o], w[wOff + i * outputs + o], acc);
                }
                gx[gxOff + r * inputs + i] = acc;
            }
        }
    }

    @Override
    public void tanh(float[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            v[i] = Tanh.of(v[i]);
        }
    }

    @Override
    public void tanhBackward(float[] y, int yOff, float[] g, int gOff, int len) {
        for (int i = 0; i < len; i++) {
            float t = y[yOff + i];
            g[gOff + i] *= 1f - t * t;
        }
    }

    @Override
    public void relu(float[] v, int off, int len) {
        for (int i = off; i < off + len; i++) {
            v[i] = Math.max(v[i], 0f);
        }
    }

    @Override
    public void reluBackward(float[] y, int yOff, float[] g, int gOff, int len) {
        for (int i = 0; i < len; i++) {
            if (!(y[yOff + i] > 0f)) {
                g[gOff + i] = 0f;
            }
        }
    }
}
