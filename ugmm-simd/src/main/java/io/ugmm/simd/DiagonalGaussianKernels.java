package io.ugmm.simd;

/**
 * Hands out the {@link DiagonalGaussianKernel}s. {@link #preferred()} follows the JVM-wide choice of
 * {@link MixtureKernels#preferred()} ({@code -Dugmm.simd}, the incubator module, the vector width), so one
 * switch moves every kernel of the project between vector and scalar.
 */
public final class DiagonalGaussianKernels {
    private DiagonalGaussianKernels() {
    }

    /** The plain-Java kernel; always available. */
    public static DiagonalGaussianKernel scalar() {
        return ScalarDiagonalGaussianKernel.INSTANCE;
    }

    /** The Vector API kernel, or null when {@link MixtureKernels#vector()} is unavailable. */
    public static DiagonalGaussianKernel vectorOrNull() {
        return VectorHolder.KERNEL;
    }

    /** The vector kernel when the JVM's preferred mixture kernel is the vector one, otherwise the scalar one. */
    public static DiagonalGaussianKernel preferred() {
        return PreferredHolder.KERNEL;
    }

    private static final class VectorHolder {
        static final DiagonalGaussianKernel KERNEL = load();

        private static DiagonalGaussianKernel load() {
            if (MixtureKernels.vector().isEmpty()) {
                return null; // never touch jdk.incubator.vector unless the mixture kernels could
            }
            try {
                Class<?> type = Class.forName("io.ugmm.simd.VectorDiagonalGaussianKernel");
                return (DiagonalGaussianKernel) type.getDeclaredField("INSTANCE").get(null);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null;
            }
        }
    }

    private static final class PreferredHolder {
        static final DiagonalGaussianKernel KERNEL =
                MixtureKernels.preferred().name().equals("vector") && vectorOrNull() != null
                        ? vectorOrNull() : scalar();
    }
}
