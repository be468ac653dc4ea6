package io.ugmm.simd;

/**
 * Kernels of dense (fully connected) layers over flat, row-major {@code float[]} batches: the matrix
 * products of the forward and backward pass and the activations, for networks such as mixture density
 * networks whose trunk is made of ordinary layers.
 *
 * <p>Weights are stored {@code inputs x outputs} row-major, i.e. the transpose of PyTorch's
 * {@code Linear.weight}: then every product below runs along contiguous outputs (or inputs) with one
 * broadcast and one fused multiply-add per element, and needs no lane reduction.
 *
 * <p>Every output element is a sum taken in one fixed order with {@code Math.fma} semantics, so the scalar
 * and the vector implementation give the same bits, batched or row by row, on every thread. Implementations
 * are stateless and thread-safe and check nothing beyond array bounds; {@link DenseKernels} picks one.
 */
public interface DenseKernel {

    /** {@code "scalar"} or {@code "vector"}. */
    String name();

    /**
     * {@code y[r][o] = b[o] + sum_i x[r][i] * w[i][o]} for {@code rows} rows, the sum taken in order
     * {@code i = 0 .. inputs-1}, each term fused ({@code acc = fma(x, w, acc)}). Overwrites {@code y}.
     *
     * @param w {@code inputs x outputs} from {@code wOff}
     * @param b {@code outputs} from {@code bOff}
     * @param y       {@code rows x outputs} from {@code yOff}; must not overlap {@code x}
     * @param scratch at least {@link #scratchLength(int, int, int) scratchLength(rows, inputs, outputs)} floats
     */
    void forward(float[] x, int xOff, int rows, int inputs, float[] w, int wOff, float[] b, int bOff, int outputs,
                 float[] y, int yOff, float[] scratch);

    /**
     * Length of the scratch array every product method needs for this shape: room for the transposed weights
     * and for the last, partial vector of outputs padded to a whole 512-bit vector (so no masked vector
     * operation is ever needed; those are slow on JDK 17).
     */
    static int scratchLength(int rows, int inputs, int outputs) {
        int lanes = 16;
        return Math.addExact(Math.multiplyExact(inputs, outputs),
                Math.multiplyExact(lanes, Math.addExact(Math.addExact(inputs, outputs), rows + 1)));
    }

    /**
     * Accumulates the parameter gradients of {@link #forward} from {@code gy = dL/dy}:
     * {@code gw[i][o] += sum_r x[r][i] * gy[r][o]} and {@code gb[o] += sum_r gy[r][o]}, rows in order.
     */
    void backwardWeights(float[] x, int xOff, int rows, int inputs, float[] gy, int gyOff, int outputs,
                         float[] gw, int gwOff, float[] gb, int gbOff, float[] scratch);

    /**
     * {@code gx[r][i] = sum_o gy[r][o] * w[i][o]} (overwrites {@code gx}), the sum in order {@code o = 0 ..}.
     *
     * @param scratch at least {@link #scratchLength(int, int, int) scratchLength(rows, inputs, outputs)} floats
     */
    void backwardInput(float[] gy, int gyOff, int rows, int outputs, float[] w, int wOff, int inputs,
                       float[] gx, int gxOff, float[] scratch);

    /**
     * {@code v[i] = tanh(v[i])} in place, within about 2 float ulps of {@code Math.tanh} (a polynomial near 0,
     * {@code (1 - e^-2|v|) / (1 + e^-2|v|)} elsewhere). NaN stays NaN.
     */
    void tanh(float[] v, int off, int len);

    /** {@code g[i] *= 1 - y[i]^2}, the tanh derivative from its output {@code y}. */
    void tanhBackward(float[] y, int yOff, float[] g, int gOff, int len);

    /** {@code v[i] = max(v[i], 0)} in place. */
    void relu(float[] v, int off, int len);

    /** {@code g[i] = y[i] > 0 ? g[i] : 0}, the ReLU derivative from its output {@code y}. */
    void reluBackward(float[] y, int yOff, float[] g, int gOff, int len);
}
