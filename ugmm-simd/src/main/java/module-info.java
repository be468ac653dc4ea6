/**
 * The numeric kernels of ugmm: fused log-Gaussian mixture forward and backward, logsumexp and
 * log-softmax over flat {@code float[]} arrays, as a plain-Java scalar reference and a Panama Vector API
 * implementation. The Vector API is optional ({@code requires static}): without
 * {@code --add-modules jdk.incubator.vector} the scalar kernel is chosen, with one logged line saying why.
 */
module io.ugmm.simd {
    requires static jdk.incubator.vector;

    exports io.ugmm.simd;
}
