package io.ugmm.model.gmm;

/** Cholesky factors of symmetric positive-definite matrices stored flat, row-major. */
final class Cholesky {
    private Cholesky() {
    }

    /**
     * The lower factor L of {@code a} (D x D at {@code offset}), so that a = L Lᵀ, written to {@code l} at
     * the same offset; only the lower triangle of {@code a} is read.
     *
     * @throws IllegalArgumentException naming {@code what} when {@code a} is not positive definite
     */
    static void factor(double[] a, int offset, int dims, double[] l, String what) {
        for (int i = 0; i < dims; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[offset + i * dims + j];
                for (int t = 0; t < j; t++) {
                    s -= l[offset + i * dims + t] * l[offset + j * dims + t];
                }
                if (i == j) {
                    if (!(s > 0) || !Double.isFinite(s)) {
                        throw new IllegalArgumentException(what + " is not positive definite (pivot " + i + " is "
                                + s + "); a constant or collinear feature needs regCovar > 0");
                    }
                    l[offset + i * dims + i] = Math.sqrt(s);
                } else {
                    l[offset + i * dims + j] = s / l[offset + j * dims + j];
                }
            }
            for (int j = i + 1; j < dims; j++) {
                l[offset + i * dims + j] = 0;
            }
        }
    }

    /** log det(L Lᵀ) = 2 Σ log L_ii. */
    static double logDeterminant(double[] l, int offset, int dims) {
        double s = 0;
        for (int i = 0; i < dims; i++) {
            s += Math.log(l[offset + i * dims + i]);
        }
        return 2 * s;
    }

    /**
     * The inverse of the lower-triangular {@code l} (D x D at {@code offset}), written to {@code inverse} at
     * the same offset: also lower-triangular, and P = L⁻¹ turns Mahalanobis distances into |P (x - mean)|².
     */
    static void invertLower(double[] l, int offset, int dims, double[] inverse) {
        for (int c = 0; c < dims; c++) {
            for (int i = 0; i < dims; i++) {
                if (i < c) {
                    inverse[offset + i * dims + c] = 0;
                    continue;
                }
                double s = i == c ? 1 : 0;
                for (int t = c; t < i; t++) {
                    s -= l[offset + i * dims + t] * inverse[offset + t * dims + c];
                }
                inverse[offset + i * dims + c] = s / l[offset + i * dims + i];
            }
        }
    }
}
