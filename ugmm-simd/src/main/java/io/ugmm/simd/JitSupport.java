package io.ugmm.simd;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Whether this JVM compiles vector code into vector instructions, checked the way Lucene's vectorization
 * provider does: the Vector API is only fast once C2 has compiled it (the interpreter and C1 run it as
 * objects, 10-100x slower than the scalar kernel), and {@code Math.fma}, which the kernels use on every
 * element, is a library call without hardware FMA.
 */
final class JitSupport {
    private JitSupport() {
    }

    /** Why the vector kernel would not pay on this JVM, or empty when it would (or the JVM cannot tell). */
    static Optional<String> reasonVectorDoesNotPay() {
        String info = System.getProperty("java.vm.info", "");
        if (info.contains("interpreted mode")) {
            return Optional.of("the JVM runs interpreted only (-Xint): vector code is not compiled");
        }
        HotSpotDiagnosticMXBean hotspot;
        try {
            hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty(); // not HotSpot: nothing to read, trust the JVM
        }
        if (hotspot == null) {
            return Optional.empty();
        }
        if (option(hotspot, "TieredCompilation").map(Boolean::parseBoolean).orElse(true)
                && option(hotspot, "TieredStopAtLevel").map(Integer::parseInt).orElse(4) < 4) {
            return Optional.of("C2 is disabled (-XX:TieredStopAtLevel="
                    + option(hotspot, "TieredStopAtLevel").orElse("?") + "): vector code is not compiled");
        }
        if (option(hotspot, "UseFMA").map(v -> !Boolean.parseBoolean(v)).orElse(false)) {
            return Optional.of("no hardware FMA (-XX:-UseFMA or the CPU lacks it): Math.fma would be a slow call");
        }
        return Optional.empty();
    }

    private static Optional<String> option(HotSpotDiagnosticMXBean hotspot, String name) {
        try {
            return Optional.of(hotspot.getVMOption(name).getValue());
        } catch (IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}
