package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The backward pass without the input gradient ({@code gx == null}: a network's first layer, the hottest call of
 * a training step) is a loop of its own in the vector kernel; its parameter gradients must be those of the pass
 * with the input gradient (checked against finite differences in {@link MixtureBackwardTest}). The two loops
 * round differently in one place (a fused multiply-add against a multiply and an add), about 1e-7 of a block's
 * largest entry; 1e-6 catches a loop that is wrong by 1e-4 (tried) or drops responsibilities below 2^-24.
 */
class BackwardWithoutInputTest {

    @Test
    void parameterGradientsEqualThoseOfThePassWithTheInputGradient() {
        int[] sizes = {1, 5, 15, 16, 17, 33, 64, 100, 784};
        long seed = 3;
        for (MixtureKernel kernel : MixtureBackwardTest.kernels()) {
            for (int n : sizes) {
                for (int rows : new int[]{1, 2, 3, 4, 5}) { // the vector kernel takes rows in pairs: odd counts too
                    int m = 3;
                    SplittableRandom random = new SplittableRandom(seed++);
                    float[] mean = new float[m * n];
                    float[] logStd = new float[m * n];
                    float[] logWeight = new float[m * n];
                    for (int e = 0; e < m * n; e++) {
                        mean[e] = (float) (random.nextDouble() * 2 - 1);
                        logStd[e] = (float) (random.nextDouble() * 1.5 - 1);
                        logWeight[e] = e % 7 == 3 ? Float.NEGATIVE_INFINITY : (float) (random.nextDouble() * 2 - 3);
                    }
                    MixtureBank bank = MixtureBank.of(m, n, mean, logStd, logWeight);
                    float[] x = new float[rows * n];
                    for (int e = 0; e < x.length; e++) {
                        x[e] = (float) ((random.nextDouble() * 2 - 1) * 3);
                    }
                    float[] gOut = new float[rows * m];
                    for (int e = 0; e < gOut.length; e++) {
                        gOut[e] = (float) (random.nextDouble() * 2 - 1);
                    }
                    float[] out = new float[rows * m];
                    kernel.forward(x, 0, rows, bank, out, 0, new float[MixtureKernel.scratchLength(n)]);
                    float[] with = new float[3 * m * n];
                    kernel.backward(x, 0, rows, bank, out, 0, gOut, 0, with, 0, new float[rows * n], 0);
                    float[] without = new float[3 * m * n + 2];
                    kernel.backward(x, 0, rows, bank, out, 0, gOut, 0, without, 2, null, 0);
                    String what = kernel.name() + " n=" + n + " rows=" + rows;
                    for (int block = 0; block < 3; block++) {
                        double scale = 0;
                        for (int e = block * m * n; e < (block + 1) * m * n; e++) {
                            scale = Math.max(scale, Math.abs(with[e]));
                        }
                        for (int e = block * m * n; e < (block + 1) * m * n; e++) {
                            assertEquals(with[e], without[2 + e], 1e-6 * scale, what + " block " + block + " entry " + e);
                        }
                    }
                }
            }
        }
    }
}
