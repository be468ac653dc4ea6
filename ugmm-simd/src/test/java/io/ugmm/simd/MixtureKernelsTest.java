package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixtureKernelsTest {
    @Test
    void vectorKernelIsChosenWhenTheModuleIsPresent() {
        // surefire runs with --add-modules jdk.incubator.vector and no -Dugmm.simd
        assertTrue(MixtureKernels.vector().isPresent(), MixtureKernels.vectorUnavailableReason());
        assertEquals("vector", MixtureKernels.preferred().name());
        assertTrue(MixtureKernels.describe().contains("vector"), MixtureKernels.describe());
        assertTrue(MixtureKernels.preferred().vectorBits() >= 128);
    }

    @Test
    void scalarKernelIsAlwaysThere() {
        assertEquals("scalar", MixtureKernels.scalar().name());
        assertEquals(32, MixtureKernels.scalar().vectorBits());
    }
}
