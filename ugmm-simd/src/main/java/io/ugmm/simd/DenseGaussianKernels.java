package io.ugmm.simd;

/**
 * Hands out the {@link DenseGaussianKernel}s; {@link #preferred()} follows {@link MixtureKernels#preferred()}
 * as {@link DiagonalGaussianKernels} does.
 */
public final class DenseGaussianKernels {
    private DenseGaussianKernels() {
    }

    public static DenseGaussianKernel scalar() {
        return ScalarDenseGaussianKernel.INSTANCE;
    }

    /** The Vector API kernel, or null when {@link MixtureKernels#vector()} is unavailable. */
    public static DenseGaussianKernel vectorOrNull() {
        return VectorHolder.KERNEL;
    }

    public static DenseGaussianKernel preferred() {
        return PreferredHolder.KERNEL;
    }

    private static final class VectorHolder {
        static final DenseGaussianKernel KERNEL = load();

        private static DenseGaussianKernel load() {
            if (MixtureKernels.vector().isEmpty()) {
                return null;
            }
            try {
                Class<?> type = Class.forName("io.ugmm.simd.VectorDenseGaussianKernel");
                return (DenseGaussianKernel) type.getDeclaredField("INSTANCE").get(null);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return null;
            }
        }
    }

    private static final class PreferredHolder {
        static final DenseGaussianKernel KERNEL =
                MixtureKernels.preferred().name().equals("vector") && vectorOrNull() != null
                        ? vectorOrNull() : scalar();
    }
}
