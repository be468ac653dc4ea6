package io.ugmm.cli.bench;

import io.ugmm.model.UgmmNetwork;
import io.ugmm.simd.MixtureKernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The measuring code runs end to end on tiny shapes with 1 ms rounds; the figures themselves are not checked. */
class BenchSmokeTest {
    private static final long ONE_MS = 1_000_000L;

    @Test
    void kernelBenchMeasuresAnOddShape() {
        KernelBench bench = new KernelBench(MixtureKernels.scalar(), MixtureKernels.vector().orElseThrow(), ONE_MS, 3, 7);
        Shape shape = new Shape(5, 37, 6);
        KernelBench.Result r = bench.measure(shape);
        assertEquals(shape, r.shape());
        assertTrue(r.scalarElementsPerSecond() > 0 && r.vectorElementsPerSecond() > 0, r.toString());
        assertTrue(r.speedupMin() <= r.speedup() && r.speedup() <= r.speedupMax(), r.toString());
    }

    @Test
    void networkTimingOnASmallNetwork() {
        UgmmNetwork net = UgmmNetwork.builder(20).layer(8).layer(3).seed(3).build();
        NetworkTiming.Result r = new NetworkTiming(net, ONE_MS, 3, 7).measure();
        assertTrue(r.batch1P50Micros() <= r.batch1P99Micros(), r.toString());
        assertTrue(r.kernelFraction() > 0 && r.batch256SamplesPerSecond() > 0, r.toString());
        assertTrue(r.batch1TwoThreadsMicros() > 0, r.toString());
    }

    @Test
    void agreementNamesTheFirstDifference() {
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Agreement.check("k", new float[] {0, 0, 0, 0}, new float[] {0, 0, 0, 1}, 4, 2,
                        Agreement.KERNEL_TOLERANCE));
        assertTrue(e.getMessage().startsWith("k: output row 1, column 1 is 1.0"), e.getMessage());
    }
}
