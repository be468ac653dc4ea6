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
        return 4 * components;
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

    /** {@code log(sum_i exp(v[off + i]))} for {@code i < len}, computed without overflow; {@code -Infinity} when len is 0. */
    float logSumExp(float[] v, int off, int len);

    /** {@code out[outOff + i] = v[off + i] - logSumExp(v, off, len)}; {@code out} may be {@code v}. */
    void logSoftmax(float[] v, int off, int len, float[] out, int outOff);
}
