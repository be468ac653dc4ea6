/**
 * The numeric kernels of ugmm: fused log-Gaussian mixture forward and backward, logsumexp and
 * log-softmax over flat {@code float[]} arrays, as a plain-Java scalar reference and a Panama Vector API
 * implementation. The Vector API is optional ({@code requires static}): without
 * {@code --add-modules jdk.incubator.vector} the scalar kernel is chosen, with one logged line saying why.
 */
module io.ugmm.simd {
    requires static jdk.incubator.vector;
    // JitSupport reads the JVM's flags (C2 present, UseFMA) to choose the vector kernel only where it pays
    requires java.management;
    requires jdk.management;

    exports io.ugmm.simd;
}
