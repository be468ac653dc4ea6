package io.ugmm.model.gmm;

import java.util.Objects;
import java.util.Optional;

/**
 * How to fit a {@link GaussianMixture} by EM: an immutable value made by {@link #builder(int)}. Defaults
 * follow scikit-learn's {@code GaussianMixture}: full covariances, one initialisation, at most 100
 * iterations, {@code tol = 1e-3} on the change of the mean log-likelihood per row, {@code regCovar = 1e-6}
 * added to every variance; the initialisation is k-means++ seeding.
 */
public final class GmmConfig {
    private final int components;
    private final CovarianceType covarianceType;
    private final InitMethod init;
    private final GaussianMixture initialModel;
    private final int nInit;
    private final int maxIter;
    private final double tol;
    private final double regCovar;
    private final long seed;

    private GmmConfig(Builder b) {
        this.components = b.components;
        this.covarianceType = b.covarianceType;
        this.init = b.init;
        this.initialModel = b.initialModel;
        this.nInit = b.nInit;
        this.maxIter = b.maxIter;
        this.tol = b.tol;
        this.regCovar = b.regCovar;
        this.seed = b.seed;
    }

    /** A builder for {@code components} components (at least 1). */
    public static Builder builder(int components) {
        return new Builder(components);
    }

    public int components() {
        return components;
    }

    public CovarianceType covarianceType() {
        return covarianceType;
    }

    public InitMethod init() {
        return init;
    }

    /** The parameters EM starts from (given parameters, or warm start from an earlier fit), if any. */
    public Optional<GaussianMixture> initialModel() {
        return Optional.ofNullable(initialModel);
    }

    public int nInit() {
        return nInit;
    }

    public int maxIter() {
        return maxIter;
    }

    public double tol() {
        return tol;
    }

    public double regCovar() {
        return regCovar;
    }

    public long seed() {
        return seed;
    }

    /**
     * EM's stopping rule: the mean log-likelihood per row moved by less than {@link #tol()} from one
     * iteration to the next ({@code previous} is minus infinity before the first).
     */
    public boolean converged(double previous, double current) {
        return Math.abs(current - previous) < tol;
    }

    /** A builder holding this config's values. */
    public Builder toBuilder() {
        Builder b = new Builder(components).covarianceType(covarianceType).init(init).nInit(nInit).maxIter(maxIter)
                .tol(tol).regCovar(regCovar).seed(seed);
        b.initialModel = initialModel;
        return b;
    }

    @Override
    public String toString() {
        return "GmmConfig[components=" + components + ", covariance=" + covarianceType.label() + ", init="
                + (initialModel != null ? "given parameters" : init.label()) + ", nInit=" + nInit + ", maxIter="
                + maxIter + ", tol=" + tol + ", regCovar=" + regCovar + ", seed=" + seed + "]";
    }

    /** Builds a {@link GmmConfig}; every setter checks its argument at once. */
    public static final class Builder {
        private final int components;
        private CovarianceType covarianceType = CovarianceType.FULL;
        private InitMethod init = InitMethod.KMEANS_PLUS_PLUS;
        private GaussianMixture initialModel;
        private int nInit = 1;
        private int maxIter = 100;
        private double tol = 1e-3;
        private double regCovar = 1e-6;
        private long seed = 0;

        private Builder(int components) {
            if (components < 1) {
                throw new IllegalArgumentException("a mixture needs at least 1 component, found " + components);
            }
            this.components = components;
        }

        public Builder covarianceType(CovarianceType type) {
            this.covarianceType = Objects.requireNonNull(type, "covarianceType");
            return this;
        }

        public Builder init(InitMethod method) {
            this.init = Objects.requireNonNull(method, "init");
            return this;
        }

        /**
         * Starts EM from these parameters (scikit-learn's {@code weights_init}/{@code means_init}/
         * {@code precisions_init}, or {@code warm_start} when it is an earlier fit). The model must have this
         * config's component count and covariance type; {@code nInit} is then ignored (one run).
         */
        public Builder initialModel(GaussianMixture model) {
            Objects.requireNonNull(model, "initialModel");
            if (model.components() != components) {
                throw new IllegalArgumentException("initial model has " + model.components()
                        + " components, the config " + components);
            }
            this.initialModel = model;
            return this;
        }

        /** Warm start: continue from an earlier fit, taking its covariance type too. */
        public Builder warmStart(GaussianMixture previous) {
            covarianceType(previous.covarianceType());
            return initialModel(previous);
        }

        public Builder nInit(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("nInit must be at least 1, found " + n);
            }
            this.nInit = n;
            return this;
        }

        public Builder maxIter(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxIter must be at least 1, found " + n);
            }
            this.maxIter = n;
            return this;
        }

        public Builder tol(double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("tol must be a finite number >= 0, found " + value);
            }
            this.tol = value;
            return this;
        }

        public Builder regCovar(double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("regCovar must be a finite number >= 0, found " + value);
            }
            this.regCovar = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public GmmConfig build() {
            if (initialModel != null && initialModel.covarianceType() != covarianceType) {
                throw new IllegalArgumentException("initial model has " + initialModel.covarianceType().label()
                        + " covariances, the config " + covarianceType.label());
            }
            return new GmmConfig(this);
        }
    }
}
