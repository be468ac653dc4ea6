package io.ugmm.simd;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses and hands out the {@link MixtureKernel} implementations.
 *
 * <p>{@link #preferred()} is decided once per JVM (holder idiom) and logged once, with the reason:
 * <ul>
 *   <li>{@code -Dugmm.simd=scalar} or {@code -Dugmm.simd=vector} forces one (vector fails loudly if it
 *       cannot be had); the default {@code auto} takes vector when it can;</li>
 *   <li>vector needs the incubator module: {@code --add-modules jdk.incubator.vector};</li>
 *   <li>vector is unavailable when the JVM's preferred float vector is narrower than 128 or wider than
 *       512 bits (the kernels' padding assumes at most 16 lanes) or when the module fails to initialise;</li>
 *   <li>{@code auto} also skips vector where it would not pay (like Lucene's vectorization provider): an
 *       interpreter-only JVM ({@code -Xint}), C2 disabled ({@code -XX:TieredStopAtLevel} below 4), or no
 *       hardware FMA ({@link JitSupport}). The reason is logged once (a warning) and is in {@link #describe()}.</li>
 * </ul>
 * {@code -Dugmm.simd.bits=128|256|512} forces the vector width (for tests and benchmarks).
 * Nothing here touches {@code jdk.incubator.vector} before checking the module is readable.
 */
public final class MixtureKernels {
    private static final System.Logger LOG = System.getLogger("io.ugmm.simd");
    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private MixtureKernels() {
    }

    /** The plain-Java reference kernel; always available. */
    public static MixtureKernel scalar() {
        return ScalarMixtureKernel.INSTANCE;
    }

    /** The Vector API kernel, or empty with {@link #vectorUnavailableReason()} saying why. */
    public static Optional<MixtureKernel> vector() {
        return Optional.ofNullable(VectorHolder.KERNEL);
    }

    /** Why {@link #vector()} is empty, or an empty string when it is not. */
    public static String vectorUnavailableReason() {
        return VectorHolder.REASON;
    }

    /** The kernel this JVM uses, chosen once as the class comment describes. */
    public static MixtureKernel preferred() {
        return PreferredHolder.KERNEL;
    }

    /** One line saying which kernel was chosen and why, e.g. for a command line's banner. */
    public static String describe() {
        return PreferredHolder.DESCRIPTION;
    }

    private static final class VectorHolder {
        static final MixtureKernel KERNEL;
        static final String REASON;

        static {
            MixtureKernel kernel = null;
            String reason = "";
            if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
                reason = VECTOR_MODULE + " is not in the boot layer; pass --add-modules " + VECTOR_MODULE;
            } else {
                try {
                    Class<?> type = Class.forName("io.ugmm.simd.VectorMixtureKernel");
                    MixtureKernel candidate = (MixtureKernel) type.getDeclaredField("INSTANCE").get(null);
                    if (candidate.vectorBits() < 128 || candidate.vectorBits() > 512) {
                        reason = "preferred float vector is " + candidate.vectorBits()
                                + " bits; the kernels need 128 to 512";
                    } else {
                        kernel = candidate;
                    }
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    reason = "vector kernel failed to initialise: " + e;
                }
            }
            KERNEL = kernel;
            REASON = reason;
        }
    }

    private static final class PreferredHolder {
        static final MixtureKernel KERNEL;
        static final String DESCRIPTION;

        static {
            String mode = System.getProperty("ugmm.simd", "auto").trim().toLowerCase(Locale.ROOT);
            String bits = System.getProperty("ugmm.simd.bits", "").trim();
            if (!List.of("", "128", "256", "512").contains(bits)) {
                throw new IllegalArgumentException("-Dugmm.simd.bits must be 128, 256 or 512; found '" + bits + "'");
            }
            MixtureKernel kernel;
            String why;
            switch (mode) {
                case "scalar":
                    kernel = scalar();
                    why = "forced by -Dugmm.simd=scalar";
                    break;
                case "vector":
                    kernel = vector().orElseThrow(() -> new IllegalStateException(
                            "-Dugmm.simd=vector was given but the vector kernel is unavailable: "
                                    + vectorUnavailableReason()));
                    why = "forced by -Dugmm.simd=vector";
                    break;
                case "auto":
                case "":
                    Optional<String> doesNotPay = JitSupport.reasonVectorDoesNotPay();
                    if (vector().isEmpty()) {
                        kernel = scalar();
                        why = "fallback: " + vectorUnavailableReason();
                    } else if (doesNotPay.isPresent()) {
                        kernel = scalar();
                        why = "fallback: " + doesNotPay.get();
                    } else {
                        kernel = vector().get();
                        why = VECTOR_MODULE + " available, C2 and FMA present";
                    }
                    break;
                default:
                    throw new IllegalArgumentException(
                            "-Dugmm.simd must be auto, scalar or vector; found '" + mode + "'");
            }
            KERNEL = kernel;
            DESCRIPTION = "ugmm kernel: " + kernel.name() + " (" + kernel.vectorBits() + "-bit float lanes; " + why + ")";
            LOG.log(kernel == scalar() && mode.equals("auto") ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                    DESCRIPTION);
        }
    }
}
