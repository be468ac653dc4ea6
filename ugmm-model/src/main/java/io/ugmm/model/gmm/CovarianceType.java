package io.ugmm.model.gmm;

import java.util.Locale;

/**
 * The shape of each component's covariance, as scikit-learn names them. Covariances are stored flat:
 * {@link #FULL} {@code K x D x D}, {@link #DIAG} {@code K x D}, {@link #SPHERICAL} {@code K}, {@link #TIED}
 * one shared {@code D x D}.
 */
public enum CovarianceType {
    FULL, DIAG, SPHERICAL, TIED;

    /** The lower-case name used on the command line and in files: {@code full}, {@code diag}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code full|diag|spherical|tied}; anything else is an error naming the choices. */
    public static CovarianceType parse(String text) {
        for (CovarianceType t : values()) {
            if (t.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("covariance type '" + text + "': expected full, diag, spherical or tied");
    }

    /** Number of stored covariance values for {@code components} components over {@code dims} features. */
    public int storedValues(int components, int dims) {
        switch (this) {
            case FULL:
                return Math.multiplyExact(components, Math.multiplyExact(dims, dims));
            case DIAG:
                return Math.multiplyExact(components, dims);
            case SPHERICAL:
                return components;
            default:
                return Math.multiplyExact(dims, dims);
        }
    }

    /** The tensor shape of the stored covariances. */
    public long[] shape(int components, int dims) {
        switch (this) {
            case FULL:
                return new long[] {components, dims, dims};
            case DIAG:
                return new long[] {components, dims};
            case SPHERICAL:
                return new long[] {components};
            default:
                return new long[] {dims, dims};
        }
    }

    /** Free parameters of a mixture, as scikit-learn counts them for BIC/AIC: covariances, means, weights - 1. */
    public long freeParameters(int components, int dims) {
        long k = components;
        long d = dims;
        long covariance;
        switch (this) {
            case FULL:
                covariance = k * d * (d + 1) / 2;
                break;
            case DIAG:
                covariance = k * d;
                break;
            case SPHERICAL:
                covariance = k;
                break;
            default:
                covariance = d * (d + 1) / 2;
        }
        return covariance + k * d + k - 1;
    }
}
