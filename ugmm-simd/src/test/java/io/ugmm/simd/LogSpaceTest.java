package io.ugmm.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LogSpaceTest {
    @Test
    void matchesTheDirectSumWhereThatIsFinite() {
        double[] v = {0.5, -1.25, 2.0, -3.0};
        double direct = Math.log(Math.exp(0.5) + Math.exp(-1.25) + Math.exp(2.0) + Math.exp(-3.0));
        assertEquals(direct, LogSpace.logSumExp(v, 0, 4), 1e-15);
        assertEquals(Math.log(Math.exp(-1.25) + Math.exp(2.0)), LogSpace.logSumExp(v, 1, 2), 1e-15);
    }

    @Test
    void neverOverflowsOrUnderflowsAtLargeMagnitudes() {
        assertEquals(1000 + Math.log(2), LogSpace.logSumExp(new double[] {1000, 1000}, 0, 2), 1e-12);
        assertEquals(-1000 + Math.log(2), LogSpace.logSumExp(new double[] {-1000, -1000}, 0, 2), 1e-12);
        assertEquals(800, LogSpace.logSumExp(new double[] {800, -800}, 0, 2), 0);
    }

    @Test
    void minusInfinityAndNaNPropagate() {
        double ninf = Double.NEGATIVE_INFINITY;
        assertEquals(ninf, LogSpace.logSumExp(new double[] {ninf, ninf}, 0, 2));
        assertEquals(ninf, LogSpace.logSumExp(new double[0], 0, 0));
        assertEquals(3.0, LogSpace.logSumExp(new double[] {ninf, 3.0}, 0, 2), 0);
        assertTrue(Double.isNaN(LogSpace.logSumExp(new double[] {1.0, Double.NaN}, 0, 2)));
    }

    @Test
    void floatValuesAreSummedInDoubleWithTheSameRules() {
        float ninf = Float.NEGATIVE_INFINITY;
        float[] v = {0.5f, -1.25f, 2.0f, -3.0f};
        assertEquals(LogSpace.logSumExp(new double[] {0.5, -1.25, 2.0, -3.0}, 0, 4), LogSpace.logSumExp(v, 0, 4), 0);
        assertEquals((double) 1e30f + Math.log(2), LogSpace.logSumExp(new float[] {1e30f, 1e30f}, 0, 2), 0);
        assertEquals(Double.NEGATIVE_INFINITY, LogSpace.logSumExp(new float[] {ninf, ninf}, 0, 2));
        assertEquals(-2.0, LogSpace.logSumExp(new float[] {9f, ninf, -2f}, 1, 2), 0);
        assertTrue(Double.isNaN(LogSpace.logSumExp(new float[] {1f, Float.NaN}, 0, 2)));
        assertTrue(Double.isNaN(LogSpace.logSumExp(new float[] {1f, Float.POSITIVE_INFINITY}, 0, 2)));
    }
}
