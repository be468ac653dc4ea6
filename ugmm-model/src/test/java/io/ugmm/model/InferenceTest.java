package io.ugmm.model;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class InferenceTest {

    @Test
    void batchedMpeEqualsALoopOfSingleForwards() {
        UgmmNetwork net = UgmmNetwork.builder(5).layer(10).layer(5).layer(1).seed(11).build();
        int rows = 1500; // more than one internal chunk
        int states = 3;
        SplittableRandom random = new SplittableRandom(2);
        float[] x = new float[rows * 5];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) (random.nextDouble() * 4 - 2);
        }
        float[] bestDensity = new float[rows];
        int[] batched = Inference.mpe(net, x, rows, 4, states, bestDensity);
        int[] looped = new int[rows];
        for (int b = 0; b < rows; b++) {
            float[] row = java.util.Arrays.copyOfRange(x, b * 5, b * 5 + 5);
            float best = Float.NEGATIVE_INFINITY;
            for (int s = 0; s < states; s++) {
                row[4] = s;
                float density = net.forward(row)[0];
                if (density > best) {
                    best = density;
                    looped[b] = s;
                }
            }
            assertEquals(best, bestDensity[b], "row " + b);
        }
        assertArrayEquals(looped, batched);
    }

    @Test
    void badArgumentsAreNamed() {
        UgmmNetwork classifier = UgmmNetwork.builder(3).layer(2).seed(1).build();
        assertThrows(IllegalArgumentException.class, () -> Inference.mpe(classifier, new float[3], 1, 2, 2));
        UgmmNetwork net = UgmmNetwork.builder(3).layer(1).seed(1).build();
        assertThrows(IllegalArgumentException.class, () -> Inference.mpe(net, new float[3], 1, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> Inference.mpe(net, new float[4], 1, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Inference.mpe(net, new float[3], 1, 2, 0));
    }
}
