package io.ugmm.model.mdn;

import java.util.Arrays;

/**
 * How to train a mixture density network: architecture and optimisation settings. Immutable; each
 * {@code withX} returns a checked copy. The defaults are the command line's.
 */
public final class MdnConfig {
    private final int components;
    private final int[] hidden;
    private final Activation activation;
    private final int epochs;
    private final int batchSize;
    private final double learningRate;
    private final double minStd;
    private final double clipNorm;
    private final long seed;
    private final int threads;

    private MdnConfig(int components, int[] hidden, Activation activation, int epochs, int batchSize,
                      double learningRate, double minStd, double clipNorm, long seed, int threads) {
        if (components < 1) {
            throw new IllegalArgumentException("components must be at least 1, found " + components);
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden widths must be at least 1, found " + Arrays.toString(hidden));
            }
        }
        if (epochs < 1 || batchSize < 1 || threads < 1) {
            throw new IllegalArgumentException("epochs, batch size and threads must be at least 1, found "
                    + epochs + ", " + batchSize + ", " + threads);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, found " + learningRate);
        }
        if (!(minStd >= 0) || !Double.isFinite(minStd)) {
            throw new IllegalArgumentException("min std must be finite and >= 0, found " + minStd);
        }
        if (!(clipNorm >= 0) || Double.isNaN(clipNorm)) {
            throw new IllegalArgumentException("clip norm must be >= 0 (0: no clipping), found " + clipNorm);
        }
        this.components = components;
        this.hidden = hidden.clone();
        this.activation = activation;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.minStd = minStd;
        this.clipNorm = clipNorm;
        this.seed = seed;
        this.threads = threads;
    }

    /** 5 components, 32,32 tanh, 500 epochs, batch 128, Adam 3e-3, min std 1e-3, clip 10, seed 42, all cores. */
    public static MdnConfig defaults() {
        return new MdnConfig(5, new int[]{32, 32}, Activation.TANH, 500, 128, 3e-3, 1e-3, 10, 42,
                Runtime.getRuntime().availableProcessors());
    }

    public MdnConfig withComponents(int k) {
        return new MdnConfig(k, hidden, activation, epochs, batchSize, learningRate, minStd, clipNorm, seed, threads);
    }

    public MdnConfig withHidden(int... widths) {
        return new MdnConfig(components, widths, activation, epochs, batchSize, learningRate, minStd, clipNorm, seed,
                threads);
    }

    public MdnConfig withActivation(Activation a) {
        return new MdnConfig(components, hidden, a, epochs, batchSize, learningRate, minStd, clipNorm, seed, threads);
    }

    public MdnConfig withEpochs(int n) {
        return new MdnConfig(components, hidden, activation, n, batchSize, learningRate, minStd, clipNorm, seed, threads);
    }

    public MdnConfig withBatchSize(int b) {
        return new MdnConfig(components, hidden, activation, epochs, b, learningRate, minStd, clipNorm, seed, threads);
    }

    public MdnConfig withLearningRate(double lr) {
        return new MdnConfig(components, hidden, activation, epochs, batchSize, lr, minStd, clipNorm, seed, threads);
    }

    /** Floor on every component's standard deviation, in the target's raw units (0: none). */
    public MdnConfig withMinStd(double s) {
        return new MdnConfig(components, hidden, activation, epochs, batchSize, learningRate, s, clipNorm, seed, threads);
    }

    /** Largest gradient norm per step; larger gradients are scaled down to it (0: no clipping). */
    public MdnConfig withClipNorm(double c) {
        return new MdnConfig(components, hidden, activation, epochs, batchSize, learningRate, minStd, c, seed, threads);
    }

    public MdnConfig withSeed(long s) {
        return new MdnConfig(components, hidden, activation, epochs, batchSize, learningRate, minStd, clipNorm, s, threads);
    }

    public MdnConfig withThreads(int t) {
        return new MdnConfig(components, hidden, activation, epochs, batchSize, learningRate, minStd, clipNorm, seed, t);
    }

    public int components() {
        return components;
    }

    public int[] hidden() {
        return hidden.clone();
    }

    public Activation activation() {
        return activation;
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public double learningRate() {
        return learningRate;
    }

    public double minStd() {
        return minStd;
    }

    public double clipNorm() {
        return clipNorm;
    }

    public long seed() {
        return seed;
    }

    public int threads() {
        return threads;
    }

    /** The architecture for data with these column counts. */
    public MdnShape shape(int inputs, int targets) {
        return new MdnShape(inputs, targets, components, hidden, activation);
    }
}
