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
}
