package io.ugmm.model.gmm;

/** Known mixtures for tests, and data drawn from them. */
final class Mixtures {
    private Mixtures() {
    }

    /** Three well-separated 2-D components with different shapes and weights 0.5, 0.3, 0.2. */
    static GaussianMixture threeBlobs() {
        return GaussianMixture.of(CovarianceType.FULL,
                new double[] {0.5, 0.3, 0.2},
                new double[] {0, 0, 8, 2, -3, 9},
                new double[] {
                        1.0, 0.3, 0.3, 0.5,
                        2.0, -0.6, -0.6, 1.0,
                        0.4, 0.0, 0.0, 0.4});
    }
}
