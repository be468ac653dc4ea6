package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

class DenseGaussianKernelTest {
    private static final int[] DIMS = {1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 33, 50};
    private static final int[] ROWS = {1, 3, 7, 8, 9, 15, 16, 17, 33};

    private static DenseGaussianKernel vector() {
        DenseGaussianKernel v = DenseGaussianKernels.vectorOrNull();
        assertNotNull(v, "tests run with --add-modules jdk.incubator.vector");
        return v;
    }

    /** A well-conditioned lower-triangular factor with a positive diagonal. */
    private static double[] factor(int dims, SplittableRandom random) {
        double[] p = new double[dims * dims];
        for (int i = 0; i < dims; i++) {
            for (int j = 0; j < i; j++) {
                p[i * dims + j] = random.nextGaussian() * 0.3;
            }
            p[i * dims + i] = 0.5 + random.nextDouble();
        }
        return p;
    }

    @Test
    void mahalanobisIsTheSameBitsOnBothKernelsAndMatchesExactArithmetic() {
        for (double magnitude : new double[] {1, 1000}) {
            for (int dims : DIMS) {
                for (int rows : ROWS) {
                    SplittableRandom random = new SplittableRandom(dims * 101L + rows);
                    float[] x = new float[3 + rows * dims];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) (magnitude + random.nextGaussian());
                    }
                    double[] mean = new double[dims + 2];
                    for (int i = 0; i < mean.length; i++) {
                        mean[i] = magnitude + random.nextGaussian();
                    }
                    double[] p = factor(dims, random);
                    double[] scalar = new double[rows + 1];
                    double[] vec = new double[rows + 1];
                    DenseGaussianKernels.scalar().mahalanobis(x, 3, rows, dims, mean, 2, p, 0, scalar, 1,
                            new double[DenseGaussianKernels.scalar().scratchSize(dims)]);
                    vector().mahalanobis(x, 3, rows, dims, mean, 2, p, 0, vec, 1, new double[vector().scratchSize(dims)]);
                    for (int r = 0; r < rows; r++) {
                        assertEquals(scalar[1 + r], vec[1 + r], 0.0, "dims " + dims + " rows " + rows + " row " + r);
                        double exact = exact(x, 3 + r * dims, dims, mean, 2, p);
                        assertEquals(exact, vec[1 + r], 1e-12 * (1 + exact), "dims " + dims + " row " + r);
                    }
                    assertEquals(0.0, vec[0]);
                }
            }
        }
    }

    private static double exact(float[] x, int row, int dims, double[] mean, int meanOff, double[] p) {
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal q = BigDecimal.ZERO;
        for (int i = 0; i < dims; i++) {
            BigDecimal z = BigDecimal.ZERO;
            for (int j = 0; j <= i; j++) {
                BigDecimal y = new BigDecimal(x[row + j]).subtract(new BigDecimal(mean[meanOff + j]), mc);
                z = z.add(new BigDecimal(p[i * dims + j]).multiply(y, mc), mc);
            }
            q = q.add(z.multiply(z, mc), mc);
        }
        return q.doubleValue();
    }

    @Test
    void scatterIsTheSameBitsOnBothKernelsAndMatchesADoubleReference() {
        for (int dims : DIMS) {
            for (int rows : new int[] {1, 5, 16}) {
                SplittableRandom random = new SplittableRandom(dims * 7L + rows);
                float[] x = new float[rows * dims];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (1000 + random.nextGaussian());
                }
                int k = 3;
                double[] weights = new double[rows * k];
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = i % 4 == 0 ? 0 : random.nextDouble();
                }
                double[] shift = new double[dims];
                for (int i = 0; i < dims; i++) {
                    shift[i] = 1000 + random.nextGaussian();
                }
                double[][] sums = new double[2][dims];
                double[][] squares = new double[2][dims * dims];
                DenseGaussianKernel[] kernels = {DenseGaussianKernels.scalar(), vector()};
                for (int v = 0; v < 2; v++) {
                    kernels[v].scatter(x, 0, rows, dims, weights, 1, k, shift, 0, sums[v], 0, squares[v], 0,
                            new double[kernels[v].scratchSize(dims)]);
                }
                for (int i = 0; i < dims; i++) {
                    assertEquals(sums[0][i], sums[1][i], 0.0);
                    double expectedSum = 0;
                    for (int r = 0; r < rows; r++) {
                        expectedSum += weights[1 + r * k] * ((double) x[r * dims + i] - shift[i]);
                    }
                    assertEquals(expectedSum, sums[1][i], 1e-12 * (1 + Math.abs(expectedSum)));
                    for (int j = 0; j <= i; j++) {
                        assertEquals(squares[0][i * dims + j], squares[1][i * dims + j], 0.0, "dims " + dims + " [" + i + "][" + j + "]");
                        double expected = 0;
                        for (int r = 0; r < rows; r++) {
                            expected += weights[1 + r * k] * ((double) x[r * dims + i] - shift[i]) * ((double) x[r * dims + j] - shift[j]);
                        }
                        assertEquals(expected, squares[1][i * dims + j], 1e-12 * (1 + Math.abs(expected)));
                    }
                }
            }
        }
    }

    @Test
    void preferredFollowsTheMixtureKernelsChoice() {
        assertEquals(MixtureKernels.preferred().name(), DenseGaussianKernels.preferred().name());
    }
}
