package io.ugmm.model.train;

import java.util.SplittableRandom;

/** Synthetic classes: Gaussian blobs around random centres, for tests that need learnable data fast. */
final class Blobs {
    final float[] x;
    final int[] labels;
    final int rows;
    final int features;
    final int classes;

    Blobs(long seed, int rows, int features, int classes, double spread) {
        this.rows = rows;
        this.features = features;
        this.classes = classes;
        SplittableRandom random = new SplittableRandom(seed);
        double[][] centres = new double[classes][features];
        for (double[] c : centres) {
            for (int f = 0; f < features; f++) {
                c[f] = random.nextDouble() * 4 - 2;
            }
        }
        x = new float[rows * features];
        labels = new int[rows];
        for (int b = 0; b < rows; b++) {
            int c = random.nextInt(classes);
            labels[b] = c;
            for (int f = 0; f < features; f++) {
                x[b * features + f] = (float) (centres[c][f] + spread * gaussian(random));
            }
        }
    }

    /** The rows with the label appended as one more column (the generative setup). */
    float[] withLabelColumn() {
        float[] out = new float[rows * (features + 1)];
        for (int b = 0; b < rows; b++) {
            System.arraycopy(x, b * features, out, b * (features + 1), features);
            out[b * (features + 1) + features] = labels[b];
        }
        return out;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
