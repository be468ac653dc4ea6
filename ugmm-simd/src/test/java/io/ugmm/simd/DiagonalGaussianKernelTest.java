package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class DiagonalGaussianKernelTest {
    private static final int[] DIMS = {1, 2, 3, 4, 6, 7, 8, 9, 13, 15, 16, 17, 31, 32, 33, 63, 64, 65, 784, 785};

    private static List<DiagonalGaussianKernel> kernels() {
        List<DiagonalGaussianKernel> all = new ArrayList<>();
        all.add(DiagonalGaussianKernels.scalar());
        assertNotNull(DiagonalGaussianKernels.vectorOrNull(), "tests run with --add-modules jdk.incubator.vector");
        all.add(DiagonalGaussianKernels.vectorOrNull());
        return all;
    }

    @Test
    void preferredFollowsTheMixtureKernelsChoice() {
        assertSame(MixtureKernels.preferred().name().equals("vector") ? DiagonalGaussianKernels.vectorOrNull()
                : DiagonalGaussianKernels.scalar(), DiagonalGaussianKernels.preferred());
    }

    @Test
    void logDensitiesMatchADoubleReference() {
        for (double magnitude : new double[] {1, 1000}) {
            for (int dims : DIMS) {
                for (int rows : new int[] {1, 3, 4, 5, 9}) {
                    check(dims, rows, 3, magnitude, 31L * dims + rows);
                }
            }
        }
    }

    private static void check(int dims, int rows, int components, double magnitude, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * dims + 5];
        float[] means = new float[components * dims];
        float[] precisions = new float[components * dims];
        double[] constants = new double[components];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (magnitude + random.nextGaussian());
        }
        for (int i = 0; i < means.length; i++) {
            means[i] = (float) (magnitude + random.nextGaussian());
            precisions[i] = (float) Math.exp(4 * random.nextDouble() - 2);
        }
        for (int k = 0; k < components; k++) {
            constants[k] = random.nextGaussian() * 10;
        }
        int offset = 5; // a non-zero row offset
        double[] expected = new double[rows * components];
        double scale = 0;
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < components; k++) {
                double sum = 0;
                for (int d = 0; d < dims; d++) {
                    double c = (double) x[offset + r * dims + d] - means[k * dims + d];
                    sum += c * c * precisions[k * dims + d];
                }
                expected[r * components + k] = constants[k] - 0.5 * sum;
                scale = Math.max(scale, sum);
            }
        }
        for (DiagonalGaussianKernel kernel : kernels()) {
            double[] out = new double[rows * components + 2];
            kernel.logDensities(x, offset, rows, dims, means, precisions, constants, components, out, 2);
            for (int i = 0; i < expected.length; i++) {
                // float differences, rounded once per term and summed: a few ulps of the largest sum
                double tolerance = 1e-6 * (1 + scale) * (1 + dims / 64.0);
                assertEquals(expected[i], out[2 + i], tolerance,
                        kernel.name() + " dims " + dims + " rows " + rows + " magnitude " + magnitude + " value " + i);
            }
        }
    }

    @Test
    void accumulateMatchesADoubleReference() {
        for (int dims : DIMS) {
            SplittableRandom random = new SplittableRandom(dims);
            float[] x = new float[dims + 3];
            float[] shift = new float[dims + 1];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (1000 + random.nextGaussian());
            }
            for (int i = 0; i < shift.length; i++) {
                shift[i] = (float) (1000 + random.nextGaussian());
            }
            for (DiagonalGaussianKernel kernel : kernels()) {
                float[] sum = new float[dims + 2];
                float[] squares = new float[dims + 2];
                double[] expectedSum = new double[dims];
                double[] expectedSquares = new double[dims];
                for (int row = 0; row < 3; row++) {
                    float w = (float) random.nextDouble();
                    kernel.accumulate(x, row, dims, w, shift, 1, sum, squares, 2);
                    for (int d = 0; d < dims; d++) {
                        double c = (double) x[row + d] - shift[1 + d];
                        expectedSum[d] += w * c;
                        expectedSquares[d] += w * c * c;
                    }
                }
                assertEquals(0f, sum[0]);
                assertEquals(0f, squares[1]);
                for (int d = 0; d < dims; d++) {
                    assertEquals(expectedSum[d], sum[2 + d], 1e-5 * (1 + Math.abs(expectedSum[d])), kernel.name() + " sum " + d);
                    assertEquals(expectedSquares[d], squares[2 + d], 1e-5 * (1 + expectedSquares[d]),
                            kernel.name() + " squares " + d);
                }
            }
        }
    }

    @Test
    void theVectorKernelGivesTheSameBitsBatchedAndRowByRow() {
        DiagonalGaussianKernel vector = DiagonalGaussianKernels.vectorOrNull();
        int dims = 37;
        int rows = 11;
        SplittableRandom random = new SplittableRandom(3);
        float[] x = new float[rows * dims];
        float[] means = new float[2 * dims];
        float[] precisions = new float[2 * dims];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < means.length; i++) {
            means[i] = (float) random.nextGaussian();
            precisions[i] = 1.5f;
        }
        double[] constants = {0.25, -1};
        double[] batch = new double[rows * 2];
        vector.logDensities(x, 0, rows, dims, means, precisions, constants, 2, batch, 0);
        for (int r = 0; r < rows; r++) {
            double[] one = new double[2];
            vector.logDensities(x, r * dims, 1, dims, means, precisions, constants, 2, one, 0);
            assertEquals(batch[2 * r], one[0], 0.0, "row " + r);
            assertEquals(batch[2 * r + 1], one[1], 0.0, "row " + r);
        }
    }
}
