package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogSumExpTest {
    private static final MixtureKernel[] KERNELS = {
            MixtureKernels.scalar(), MixtureKernels.vector().orElseThrow()};

    @Test
    void matchesDoubleReferenceOnLaneBoundarySizes() {
        SplittableRandom random = new SplittableRandom(1);
        for (int len : new int[] {1, 2, 7, 15, 16, 17, 31, 33, 64, 784, 1000, 4098}) {
            float[] v = new float[len];
            for (int i = 0; i < len; i++) {
                v[i] = (float) (random.nextGaussian() * 20);
            }
            double expected = DoubleReference.logSumExp(v, 0, len);
            for (MixtureKernel k : KERNELS) {
                // float accumulation over len/lanes terms per lane: relative error of the sum <= that x 6e-8
                double tolerance = 2e-7 * Math.abs(expected) + 2e-7 + len / 16.0 * 1.2e-7;
                assertEquals(expected, k.logSumExp(v, 0, len), tolerance, k.name() + " len=" + len);
            }
        }
    }

    @Test
    void neverOverflowsOnHugeValues() {
        float[] v = {3e38f, 3e38f, 1e38f, -3e38f};
        for (MixtureKernel k : KERNELS) {
            float got = k.logSumExp(v, 0, v.length);
            assertTrue(Float.isFinite(got), k.name() + " gave " + got);
            assertEquals(3e38, got, 3e38 * 1e-6, k.name());
        }
    }

    @Test
    void infinitiesAndEmptyRows() {
        for (MixtureKernel k : KERNELS) {
            assertEquals(Float.NEGATIVE_INFINITY, k.logSumExp(new float[0], 0, 0), k.name() + " empty");
            float[] allMinusInf = new float[20];
            java.util.Arrays.fill(allMinusInf, Float.NEGATIVE_INFINITY);
            assertEquals(Float.NEGATIVE_INFINITY, k.logSumExp(allMinusInf, 0, 20), k.name() + " all -inf");
            allMinusInf[17] = 2f;
            assertEquals(2f, k.logSumExp(allMinusInf, 0, 20), 1e-6, k.name() + " one finite among -inf");
            float[] withPlusInf = new float[20];
            withPlusInf[3] = Float.POSITIVE_INFINITY;
            assertEquals(Float.POSITIVE_INFINITY, k.logSumExp(withPlusInf, 0, 20), k.name() + " +inf");
            float[] withNaN = new float[20];
            withNaN[19] = Float.NaN;
            assertTrue(Float.isNaN(k.logSumExp(withNaN, 0, 20)), k.name() + " NaN");
        }
    }

    @Test
    void logSoftmaxSumsToOneAndHonoursOffsets() {
        SplittableRandom random = new SplittableRandom(2);
        for (int len : new int[] {1, 10, 16, 33, 1000}) {
            float[] v = new float[len + 5];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (random.nextGaussian() * 50);
            }
            for (MixtureKernel k : KERNELS) {
                float[] out = new float[len + 2];
                k.logSoftmax(v, 5, len, out, 2);
                double sum = 0;
                for (int i = 0; i < len; i++) {
                    sum += Math.exp(out[2 + i]);
                    assertTrue(out[2 + i] <= 1e-6, "log-probabilities are <= 0");
                }
                assertEquals(1.0, sum, 1e-5, k.name() + " len=" + len);
            }
        }
    }
}
