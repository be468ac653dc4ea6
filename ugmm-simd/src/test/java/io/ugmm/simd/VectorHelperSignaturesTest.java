package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 12: a kernel's helper method that takes a vector (or returns one) is fast only where C2 inlines it,
 * and C2 decides that per JVM start from the profile it has when it compiles the caller. In some JDK 17
 * starts it did not inline the backward pass's responsibility helper: every vector crossing the call was
 * boxed and the training step ran about 3x slower for the whole run. So the vector kernels keep vectors
 * inside the method that loops over them; this test fails when a helper with a vector in its signature
 * comes back (its name and the reason to write it out are in the message).
 */
class VectorHelperSignaturesTest {
    private static final List<String> VECTOR_CLASSES = List.of("VectorMixtureKernel", "VectorForward",
            "VectorDenseKernel", "VectorDiagonalGaussianKernel", "VectorDenseGaussianKernel");
    /** Called once per kernel call, after its loops: a boxed vector there costs nothing measurable. */
    private static final Set<String> ALLOWED = Set.of("VectorMixtureKernel.sumLanes");

    @Test
    void noVectorKernelHelperPassesVectorsAcrossACall() throws ClassNotFoundException {
        List<String> found = new ArrayList<>();
        for (String name : VECTOR_CLASSES) {
            Class<?> type = Class.forName("io.ugmm.simd." + name, false, getClass().getClassLoader());
            for (Method m : type.getDeclaredMethods()) {
                boolean vectorIn = Arrays.stream(m.getParameterTypes()).anyMatch(VectorHelperSignaturesTest::isVectorValue);
                boolean vectorOut = jdk.incubator.vector.Vector.class.isAssignableFrom(m.getReturnType());
                if ((vectorIn || vectorOut) && !m.isSynthetic() && !ALLOWED.contains(name + "." + m.getName())) {
                    found.add(name + "." + m.getName());
                }
            }
        }
        assertEquals(List.of(), found, "helpers that pass vectors across a call: write their body out in the"
                + " calling loop (a vector crossing a call C2 did not inline is boxed, see VectorMixtureKernel.backwardPair)");
    }

    /** A vector, mask or shuffle: boxed when it crosses a call that was not inlined. */
    private static boolean isVectorValue(Class<?> type) {
        return jdk.incubator.vector.Vector.class.isAssignableFrom(type)
                || jdk.incubator.vector.VectorMask.class.isAssignableFrom(type)
                || jdk.incubator.vector.VectorShuffle.class.isAssignableFrom(type);
    }
}
