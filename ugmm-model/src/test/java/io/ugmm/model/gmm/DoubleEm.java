package io.ugmm.model.gmm;

import io.ugmm.simd.LogSpace;

/**
 * A plain double-precision EM step written straight from the textbook formulas (no shifts, no float
 * kernel, no chunks, full D x D matrices for every type), to hold the production code against.
 */
final class DoubleEm {
    final double[] weights;
    final double[] means;
    final double[][] covariances; // per component, D x D
    final int k;
    final int d;

    DoubleEm(GaussianMixture m) {
        k = m.components();
        d = m.dims();
        weights = m.weights();
        means = m.means();
        covariances = new double[k][];
        for (int c = 0; c < k; c++) {
            covariances[c] = m.covarianceMatrix(c);
        }
    }

    /** log w_c + log N(x | mean_c, cov_c) by Gaussian elimination on a copy of the covariance. */
    double weightedLogDensity(float[] x, int row, int c) {
        double[] a = covariances[c].clone();
        double[] y = new double[d];
        for (int i = 0; i < d; i++) {
            y[i] = x[row * d + i] - means[c * d + i];
        }
        double[] b = y.clone();
        double logDet = 0;
        for (int p = 0; p < d; p++) {
            double pivot = a[p * d + p];
            logDet += Math.log(pivot);
            for (int i = p + 1; i < d; i++) {
                double f = a[i * d + p] / pivot;
                for (int j = p; j < d; j++) {
                    a[i * d + j] -= f * a[p * d + j];
                }
                b[i] -= f * b[p];
            }
        }
        double[] z = new double[d];
        for (int i = d - 1; i >= 0; i--) {
            double s = b[i];
            for (int j = i + 1; j < d; j++) {
                s -= a[i * d + j] * z[j];
            }
            z[i] = s / a[i * d + i];
        }
        double q = 0;
        for (int i = 0; i < d; i++) {
            q += y[i] * z[i];
        }
        return Math.log(weights[c]) - 0.5 * (d * Math.log(2 * Math.PI) + logDet + q);
    }

    /** Mean log-likelihood of the rows under these parameters. */
    double meanLogLikelihood(float[] x, int rows) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double[] lp = new double[k];
            for (int c = 0; c < k; c++) {
                lp[c] = weightedLogDensity(x, r, c);
            }
            total += LogSpace.logSumExp(lp, 0, k);
        }
        return total / rows;
    }

    /** One EM iteration; returns the new parameters as a mixture of {@code type}. */
    GaussianMixture step(float[] x, int rows, CovarianceType type, double reg) {
        double[][] resp = new double[rows][k];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < k; c++) {
                resp[r][c] = weightedLogDensity(x, r, c);
            }
            double lse = LogSpace.logSumExp(resp[r], 0, k);
            for (int c = 0; c < k; c++) {
                resp[r][c] = Math.exp(resp[r][c] - lse);
            }
        }
        double[] nk = new double[k];
        double[] mu = new double[k * d];
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < rows; r++) {
                nk[c] += resp[r][c];
                for (int i = 0; i < d; i++) {
                    mu[c * d + i] += resp[r][c] * x[r * d + i];
                }
            }
            nk[c] += 10 * Math.ulp(1.0);
            for (int i = 0; i < d; i++) {
                mu[c * d + i] /= nk[c];
            }
        }
        double[][] full = new double[k][d * d];
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        full[c][i * d + j] += resp[r][c] * (x[r * d + i] - mu[c * d + i]) * (x[r * d + j] - mu[c * d + j]);
                    }
                }
            }
        }
        double[] w = new double[k];
        double total = 0;
        for (int c = 0; c < k; c++) {
            total += nk[c];
        }
        for (int c = 0; c < k; c++) {
            w[c] = nk[c] / total;
        }
        double[] cov = new double[type.storedValues(k, d)];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    double v = full[c][i * d + j];
                    switch (type) {
                        case FULL:
                            cov[c * d * d + i * d + j] = v / nk[c] + (i == j ? reg : 0);
                            break;
                        case TIED:
                            cov[i * d + j] += v / total + (i == j && c == 0 ? reg : 0);
                            break;
                        case DIAG:
                            if (i == j) {
                                cov[c * d + i] = v / nk[c] + reg;
                            }
                            break;
                        default:
                            if (i == j) {
                                cov[c] += (v / nk[c] + reg) / d;
                            }
                    }
                }
            }
        }
        return GaussianMixture.of(type, w, mu, cov);
    }
}
