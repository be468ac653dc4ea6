package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
}
