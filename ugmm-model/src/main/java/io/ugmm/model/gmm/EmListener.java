package io.ugmm.model.gmm;

/** Told after every EM iteration, e.g. to draw one animation frame per iteration. */
@FunctionalInterface
public interface EmListener {
    /**
     * @param run        which initialisation (0-based, below {@code nInit})
     * @param iteration  1-based iteration within the run
     * @param model      the parameters after this iteration's M-step
     * @param lowerBound mean log-likelihood per row under the parameters before the M-step
     */
    void iteration(int run, int iteration, GaussianMixture model, double lowerBound);

    EmListener NONE = (run, iteration, model, lowerBound) -> {
    };
}
