package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixtureBankBuilderTest {

    @Test
    void aBankFilledInPartsEqualsOneBuiltAtOnce() {
        int m = 7;
        int n = 5;
        SplittableRandom random = new SplittableRandom(4);
        float[] mean = new float[m * n];
        float[] logStd = new float[m * n];
        float[] logW = new float[m * n];
        for (int e = 0; e < m * n; e++) {
            mean[e] = (float) random.nextDouble();
            logStd[e] = (float) (random.nextDouble() - 0.5);
            logW[e] = e % 4 == 0 ? Float.NEGATIVE_INFINITY : (float) -random.nextDouble();
        }
        MixtureBank whole = MixtureBank.of(m, n, mean, logStd, logW);
        MixtureBank parts = MixtureBank.builder(m, n).fill(4, 7, mean, logStd, logW).fill(0, 4, mean, logStd, logW)
                .build();
        assertArrayEquals(whole.mean(), parts.mean());
        assertArrayEquals(whole.scale(), parts.scale());
        assertArrayEquals(whole.bias(), parts.bias());
    }

    @Test
    void unfilledMixturesAndReuseAreRefused() {
        float[] a = new float[6];
        MixtureBank.Builder b = MixtureBank.builder(3, 2).fill(0, 2, a, a, a);
        IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
        assertTrue(e.getMessage().contains("mixture 2"), e.getMessage());
        b.fill(2, 3, a, a, a).build();
        assertThrows(IllegalStateException.class, b::build);
        assertThrows(IllegalStateException.class, () -> b.fill(0, 1, a, a, a));
        assertThrows(IllegalArgumentException.class, () -> MixtureBank.builder(3, 2).fill(2, 4, a, a, a));
    }

    @Test
    void aReusableBuilderRefillsOneBankInPlaceWithAFreshBuildersBits() {
        int m = 6;
        int n = 37;
        MixtureBank.Builder reusable = MixtureBank.reusableBuilder(m, n);
        MixtureBank first = null;
        for (int round = 0; round < 3; round++) {
            float[][] p = parameters(m, n, round);
            MixtureBank bank = reusable.restart().fill(3, 6, p[0], p[1], p[2]).fill(0, 3, p[0], p[1], p[2]).build();
            if (first == null) {
                first = bank;
            }
            assertSame(first, bank, "the same bank, refilled");
            MixtureBank fresh = MixtureBank.of(m, n, p[0], p[1], p[2]);
            assertArrayEquals(fresh.mean(), bank.mean());
            assertArrayEquals(fresh.scale(), bank.scale());
            assertArrayEquals(fresh.bias(), bank.bias());
        }
        assertThrows(IllegalStateException.class, () -> reusable.fill(0, 1, new float[m * n], new float[m * n],
                new float[m * n]), "a fill after build without restart");
        reusable.restart().fill(0, 2, new float[m * n], new float[m * n], new float[m * n]);
        IllegalStateException e = assertThrows(IllegalStateException.class, reusable::build);
        assertTrue(e.getMessage().contains("mixture 2"), "every mixture must be filled again: " + e.getMessage());
        assertThrows(IllegalStateException.class, () -> MixtureBank.builder(m, n).restart());
    }

    @Test
    void aKernelFillDiffersFromTheDoubleOneOnlyInTheScalesLastBits() {
        int m = 5;
        int n = 40;
        float[][] p = parameters(m, n, 7);
        p[1][3] = -80f;
        p[1][4] = 60f;
        MixtureBank exact = MixtureBank.of(m, n, p[0], p[1], p[2]);
        for (MixtureKernel kernel : new MixtureKernel[] {MixtureKernels.scalar(), MixtureKernels.preferred()}) {
            MixtureBank bank = MixtureBank.builder(m, n).fill(0, m, p[0], p[1], p[2], kernel).build();
            assertArrayEquals(exact.mean(), bank.mean());
            assertArrayEquals(exact.bias(), bank.bias());
            float[] a = exact.scale();
            float[] b = bank.scale();
            for (int e = 0; e < a.length; e++) {
                assertEquals(a[e], b[e], 3 * Math.ulp(a[e]), kernel.name() + " scale " + e);
            }
        }
    }

    @Test
    void aKernelFillNamesTheFirstBadValue() {
        float[][] p = parameters(3, 4, 1);
        p[1][6] = Float.NaN;
        p[0][9] = Float.POSITIVE_INFINITY;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MixtureBank.builder(3, 4).fill(0, 3, p[0], p[1], p[2], MixtureKernels.preferred()));
        assertTrue(e.getMessage().startsWith("logStd[1][2] is NaN"), e.getMessage());
        p[1][6] = 100f; // 1/sigma = e^-100 underflows a float
        e = assertThrows(IllegalArgumentException.class,
                () -> MixtureBank.builder(3, 4).fill(0, 2, p[0], p[1], p[2], MixtureKernels.preferred()));
        assertTrue(e.getMessage().startsWith("logStd[1][2] is 100.0"), e.getMessage());
    }

    /** Means, log-stds and log-weights (a quarter -Infinity) of an m x n bank, from a seed. */
    private static float[][] parameters(int m, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] p = new float[3][m * n];
        for (int e = 0; e < m * n; e++) {
            p[0][e] = (float) (random.nextDouble() * 4 - 2);
            p[1][e] = (float) (random.nextDouble() * 3 - 1.5);
            p[2][e] = random.nextDouble() < 0.25 ? Float.NEGATIVE_INFINITY : (float) (-3 * random.nextDouble());
        }
        return p;
    }
}
