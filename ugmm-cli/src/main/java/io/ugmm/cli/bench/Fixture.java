package io.ugmm.cli.bench;

import io.ugmm.model.UgmmNetwork;
import io.ugmm.simd.MixtureBank;

import java.util.SplittableRandom;

/**
 * Deterministic benchmark data: a mixture bank with the reference's initialisation (taken from a
 * one-layer network built from a seed) and inputs uniform in [-2, 2).
 */
final class Fixture {
    final Shape shape;
    final MixtureBank bank;
    final float[] x;

    private Fixture(Shape shape, MixtureBank bank, float[] x) {
        this.shape = shape;
        this.bank = bank;
        this.x = x;
    }

    static Fixture of(Shape shape, long seed) {
        MixtureBank bank = UgmmNetwork.builder(shape.inputs()).layer(shape.mixtures()).seed(seed).build()
                .layers().get(0).bank();
        return new Fixture(shape, bank, inputs(shape.rows() * shape.inputs(), seed + 1));
    }

    static float[] inputs(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[count];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return x;
    }
}
