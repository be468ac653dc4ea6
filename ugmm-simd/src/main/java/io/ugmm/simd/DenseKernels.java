package io.ugmm.simd;

import java.util.Optional;

/**
 * Hands out the {@link DenseKernel} implementations, following the JVM-wide choice of
 * {@link MixtureKernels#preferred()}: the vector dense kernel when the preferred mixture kernel is the vector
 * one (so {@code -Dugmm.simd=scalar} switches both), the scalar one otherwise. {@code -Dugmm.simd.bits}
 * sets the vector width of both.
 */
public final class DenseKernels {

    private DenseKernels() {
    }

    /** The plain-Java kernel; always available. */
    public static DenseKernel scalar() {
        return ScalarDenseKernel.INSTANCE;
    }

    /** The Vector API kernel, or empty when the vector mixture kernel is unavailable (same reason). */
    public static Optional<DenseKernel> vector() {
        return Optional.ofNullable(VectorHolder.KERNEL);
    }

    /** The kernel this JVM uses: vector exactly when {@link MixtureKernels#preferred()} is vector. */
    public static DenseKernel preferred() {
        return PreferredHolder.KERNEL;
    }

    private static final class VectorHolder {
        static final DenseKernel KERNEL = load();

        private static DenseKernel load() {
            if (MixtureKernels.vector().isEmpty()) {
                return null; // the module check happened there; never touch the Vector API without it
            }
            try {
                return (DenseKernel) Class.forName("io.ugmm.simd.VectorDenseKernel").getDeclaredField("INSTANCE")
                        .get(null);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                System.getLogger("io.ugmm.simd").log(System.Logger.Level.WARNING,
                        "vector dense kernel failed to initialise, using scalar: " + e);
                return null;
            }
        }
    }

    private static final class PreferredHolder {
        static final DenseKernel KERNEL = "vector".equals(MixtureKernels.preferred().name())
                ? vector().orElse(scalar()) : scalar();
    }
}
