package io.ugmm.simd;

/**
 * The numeric kernels of Gaussian-mixture models over flat, row-major {@code float[]} data.
 *
 * <p>Two implementations exist: a plain-Java scalar reference and a Panama Vector API one.
 * {@link MixtureKernels#preferred()} picks one once per JVM. Implementations are stateless and
 * thread-safe; methods check nothing beyond what the JVM checks (array bounds): validate arguments
 * once, above the kernels (see {@link MixtureKernels}).
 *
 * <p>Non-finite inputs: a NaN input yields NaN for the mixtures that read it; a mixture whose terms are
 * all {@code -Infinity} yields {@code -Infinity}. Callers that want errors instead validate first.
 */
public interface MixtureKernel {

    /** {@code "scalar"} or {@code "vector"}. */
    String name();

    /** Width of the vectors used, in bits (32 for the scalar kernel). */
    int vectorBits();

    /** Length of the scratch array {@link #forward} needs for rows of {@code components} inputs. */
    static int scratchLength(int components) {
        // four rows, each rounded up to whole 512-bit vectors (16 floats) so kernels can pad them; at least 64
        // floats, which the vector forward kernel needs for the sums, minima, logs and exponents of 16 pairs
        return 4 * ((components + 15) / 16 * 16);
    }

    /**
     * Log-densities of every mixture of {@code bank} for {@code rows} input rows:
     * {@code out[outOff + b*M + j] = logsumexp_i (bias[j][i] - ((x[xOff + b*N + i] - mean[j][i]) * scale[j][i])^2)}
     * with {@code N = bank.components()}, {@code M = bank.mixtures()}. Never materialises the
     * {@code rows x M x N} terms; the logsumexp subtracts each row's maximum so it cannot overflow.
     *
     * @param scratch at least {@link #scratchLength(int) scratchLength(N)} floats, overwritten
     */
    void forward(float[] x, int xOff, int rows, MixtureBank bank, float[] out, int outOff, float[] scratch);

    /**
     * {@link #forward(float[], int, int, MixtureBank, float[], int, float[]) forward} for mixtures
     * {@code [from, to)} only, written where the full call writes them ({@code out[outOff + b*M + j]}); other
     * entries of {@code out} are left as they are. Each value is bit-identical to the full call's, so
     * disjoint ranges may be computed by different threads (each with its own scratch) into one array.
     */
    void forward(float[] x, int xOff, int rows, MixtureBank bank, int from, int to, float[] out, int outOff,
                 float[] scratch);

    /**
     * Gradient of {@link #forward}, for a whole batch, accumulated ({@code +=}) and never materialising the
     * {@code rows x M x N} terms. With the terms {@code t[b][j][i]} of {@code forward}, the outputs
     * {@code out[b][j] = logsumexp_i t[b][j][i]} it produced and the incoming gradient
     * {@code g[b][j] = dL/dout[b][j]}, the responsibilities are {@code r = exp(t - out)} (each row of
     * {@code r} sums to one) and, summed over the rows {@code b}:
     * <pre>
     *   dL/dmean[j][i]      += g * r * (x[i] - mean) / sigma^2
     *   dL/dlogStd[j][i]    += g * r * ((x[i] - mean)^2 / sigma^2 - 1)
     *   dL/dlogWeight[j][i] += g * r
     *   dL/dx[b][i]         += sum_j g * r * (mean - x[i]) / sigma^2
     * </pre>
     * {@code logWeight} is the normalised log mixing weight the bank was built from; a caller whose weights
     * are a softmax of logits {@code k} gets {@code dL/dk[j][i] = G[j][i] - w[j][i] * sum_i G[j][i]} from
     * {@code G = dL/dlogWeight}. Pairs with {@code g == 0} or {@code out == -Infinity} contribute nothing, and
     * a dropped component ({@code logWeight == -Infinity}) gets exactly 0 in all three blocks.
     * An input so far from a mean that {@code ((x - mean) / sigma)^2} overflows a float gives the scalar
     * kernel a NaN log-std gradient (its responsibility is 0, the square infinite) even when {@code out} is
     * finite; callers that train on raw data should check their gradients (the trainer does, and names the row).
     * The vector kernel treats weighted responsibilities {@code |g| r} below about {@code 2^-100} as 0 (such a
     * component, including one whose square overflows, contributes exactly 0).
     *
     * @param out   the outputs {@link #forward} wrote for these rows and this bank, {@code rows x M}
     * @param gOut  {@code dL/dout}, {@code rows x M}
     * @param grad  three consecutive {@code M x N} blocks from {@code gradOff}: means, log standard
     *              deviations, log mixing weights
     * @param gx    {@code dL/dx}, {@code rows x N} from {@code gxOff}; {@code null} skips it (e.g. for the
     *              first layer of a network, whose inputs are data)
     */
    void backward(float[] x, int xOff, int rows, MixtureBank bank, float[] out, int outOff, float[] gOut, int gOutOff,
                  float[] grad, int gradOff, float[] gx, int gxOff);

    /** {@code log(sum_i exp(v[off + i]))} for {@code i < len}, computed without overflow; {@code -Infinity} when len is 0. */
    float logSumExp(float[] v, int off, int len);

    /** {@code out[outOff + i] = v[off + i] - logSumExp(v, off, len)}; {@code out} may be {@code v}. */
    void logSoftmax(float[] v, int off, int len, float[] out, int outOff);

    /**
     * {@code out[outOff + i] = e^v[off + i]} for {@code i < len}, in float; {@code out} may be {@code v}.
     * {@code -Infinity} gives 0, values above {@code log(Float.MAX_VALUE)} give {@code +Infinity}, NaN gives NaN.
     * The scalar kernel rounds the double {@link Math#exp}; the vector kernel is within 2 ulp of it and gives 0
     * for results below {@code 2^-125} (no subnormals).
     */
    void exp(float[] v, int off, int len, float[] out, int outOff);

    /**
     * One Adam update of {@code len} parameters, per element in float and in this order:
     * <pre>
     *   m = b1 m + oneMinusB1 g;   v = b2 v + oneMinusB2 g g;   p -= stepSize m / (sqrt(v) invSqrtC2 + eps)
     * </pre>
     * Every kernel gives the same bits (no fused operations, a correctly rounded square root), so the kernel
     * changes only the speed. {@code io.ugmm.model.train.Adam} computes the coefficients.
     */
    void adam(float[] param, int pOff, float[] grad, int gOff, float[] m, float[] v, int sOff, int len,
              AdamCoefficients c);

    /**
     * Whether every {@code v[off + i]}, {@code i < len}, lies in {@code [lo, hi]} (NaN never does): e.g. finite
     * with {@code lo = -Float.MAX_VALUE}, {@code hi = Float.MAX_VALUE}. Without a branch per element; the vector
     * kernel's is about 10x faster than this loop (the trainer checks every parameter and gradient of every step,
     * and JDK 17's C2 vectorises neither this loop nor one on the bits).
     */
    default boolean allWithin(float[] v, int off, int len, float lo, float hi) {
        boolean all = true;
        for (int i = off; i < off + len; i++) {
            all &= v[i] >= lo & v[i] <= hi;
        }
        return all;
    }
}
