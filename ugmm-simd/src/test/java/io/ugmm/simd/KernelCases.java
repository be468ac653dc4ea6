package io.ugmm.simd;

import java.util.SplittableRandom;

/** Random mixture banks and inputs in the reference's initialisation, with knobs for the hard cases. */
final class KernelCases {
    final int mixtures;
    final int components;
    final float[] mean;
    final float[] logStd;
    final float[] logWeights;
    final MixtureBank bank;

    private KernelCases(int mixtures, int components, float[] mean, float[] logStd, float[] logWeights) {
        this.mixtures = mixtures;
        this.components = components;
        this.mean = mean;
        this.logStd = logStd;
        this.logWeights = logWeights;
        this.bank = MixtureBank.of(mixtures, components, mean, logStd, logWeights);
    }

    /** mu ~ N(0, meanScale^2), std = log U(0,1) (or log sigma near tinySigma), k ~ U(0,1) normalised. */
    static KernelCases random(int mixtures, int components, long seed, double meanScale, double tinySigma,
                              double droppedFraction) {
        SplittableRandom random = new SplittableRandom(seed);
        int size = mixtures * components;
        float[] mean = new float[size];
        float[] logStd = new float[size];
        float[] logits = new float[size];
        for (int e = 0; e < size; e++) {
            mean[e] = (float) (random.nextGaussian() * meanScale);
            logStd[e] = tinySigma > 0
                    ? (float) Math.log(tinySigma * (0.5 + random.nextDouble()))
                    : (float) Math.log(1.0 - random.nextDouble());
            logits[e] = random.nextDouble() < droppedFraction ? Float.NEGATIVE_INFINITY : (float) random.nextDouble();
        }
        return new KernelCases(mixtures, components, mean, logStd, normalise(mixtures, components, logits));
    }

    static float[] normalise(int mixtures, int components, float[] logits) {
        float[] out = new float[logits.length];
        for (int j = 0; j < mixtures; j++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < components; i++) {
                max = Math.max(max, logits[j * components + i]);
            }
            double sum = 0;
            for (int i = 0; i < components; i++) {
                sum += max == Double.NEGATIVE_INFINITY ? 0 : Math.exp(logits[j * components + i] - max);
            }
            for (int i = 0; i < components; i++) {
                out[j * components + i] = max == Double.NEGATIVE_INFINITY
                        ? Float.NEGATIVE_INFINITY
                        : (float) (logits[j * components + i] - max - Math.log(sum));
            }
        }
        return out;
    }

    static float[] inputs(int rows, int components, long seed, double magnitude) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * components];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((random.nextDouble() * 2 - 1) * magnitude);
        }
        return x;
    }

    float[] run(MixtureKernel kernel, float[] x, int rows) {
        float[] out = new float[rows * mixtures];
        kernel.forward(x, 0, rows, bank, out, 0, new float[MixtureKernel.scratchLength(components)]);
        return out;
    }

    double[] reference(float[] x, int rows) {
        return DoubleReference.forward(x, rows, mixtures, components, mean, logStd, logWeights);
    }
}
