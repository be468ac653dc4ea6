package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The surefire run this is part of really uses the width it asked for (see the executions in the pom). */
class WidthTest {
    @Test
    void vectorKernelUsesTheRequestedWidth() {
        String bits = System.getProperty("ugmm.simd.bits", "");
        int expected = bits.isEmpty() ? VectorMixtureKernel.F.vectorBitSize() : Integer.parseInt(bits);
        assertEquals(expected, MixtureKernels.vector().orElseThrow().vectorBits());
    }
}
