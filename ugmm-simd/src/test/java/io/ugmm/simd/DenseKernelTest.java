package io.ugmm.simd;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dense kernels against a double-precision reference, and vector against scalar bit for bit, on sizes
 * around every lane multiple (4, 8, 16 floats) and with row counts around the 4-row blocking.
 */
class DenseKernelTest {
    private static final int[] SIZES = {1, 2, 3, 4, 5, 7, 8, 9, 13, 15, 16, 17, 31, 32, 33, 47};
    private static final int[] ROWS = {1, 3, 4, 5, 9};

    private static List<DenseKernel> kernels() {
        List<DenseKernel> all = new ArrayList<>();
        all.add(DenseKernels.scalar());
        DenseKernels.vector().ifPresent(all::add);
        return all;
    }

    @Test
    void vectorIsAvailableWhereTheVectorMixtureKernelIs() {
        assertEquals(MixtureKernels.vector().isPresent(), DenseKernels.vector().isPresent());
        assertEquals(MixtureKernels.preferred().name(), DenseKernels.preferred().name());
    }

    @Test
    void forwardMatchesDoubleReferenceAndScalarBits() {
        SplittableRandom random = new SplittableRandom(11);
        for (int inputs : SIZES) {
            for (int outputs : SIZES) {
                for (int rows : ROWS) {
                    double scale = random.nextBoolean() ? 1 : 1000;
                    float[] x = values(random, rows * inputs + 3, scale);
                    float[] w = values(random, inputs * outputs + 2, 1);
                    float[] b = values(random, outputs + 1, scale);
                    float[] expected = null;
                    for (DenseKernel k : kernels()) {
                        float[] y = new float[rows * outputs + 5];
                        k.forward(x, 3, rows, inputs, w, 2, b, 1, outputs, y, 5, scratch(rows, inputs, outputs));
                        for (int r = 0; r < rows; r++) {
                            for (int o = 0; o < outputs; o++) {
                                double sum = b[1 + o];
                                double abs = Math.abs(sum);
                                for (int i = 0; i < inputs; i++) {
                                    double t = (double) x[3 + r * inputs + i] * w[2 + i * outputs + o];
                                    sum += t;
                                    abs += Math.abs(t);
                                }
                                assertEquals(sum, y[5 + r * outputs + o], 1e-6 * abs * (inputs + 1),
                                        k.name() + " forward " + rows + "x" + inputs + "->" + outputs);
                            }
                        }
                        expected = sameBits(expected, y, k.name() + " forward " + rows + "x" + inputs + "->" + outputs);
                    }
                }
            }
        }
    }

    @Test
    void backwardMatchesDoubleReferenceAndScalarBits() {
        SplittableRandom random = new SplittableRandom(12);
        for (int inputs : SIZES) {
            for (int outputs : SIZES) {
                for (int rows : ROWS) {
                    float[] x = values(random, rows * inputs, 1);
                    float[] w = values(random, inputs * outputs, 1);
                    float[] gy = values(random, rows * outputs, 1);
                    float[] gw0 = values(random, inputs * outputs, 1);
                    float[] gb0 = values(random, outputs, 1);
                    float[][] expected = new float[3][];
                    for (DenseKernel k : kernels()) {
                        String what = k.name() + " backward " + rows + "x" + inputs + "->" + outputs;
                        float[] gw = gw0.clone();
                        float[] gb = gb0.clone();
                        float[] gx = new float[rows * inputs];
                        k.backwardWeights(x, 0, rows, inputs, gy, 0, outputs, gw, 0, gb, 0, scratch(rows, inputs, outputs));
                        k.backwardInput(gy, 0, rows, outputs, w, 0, inputs, gx, 0,
                                scratch(rows, inputs, outputs));
                        for (int i = 0; i < inputs; i++) {
                            for (int o = 0; o < outputs; o++) {
                                double sum = gw0[i * outputs + o];
                                for (int r = 0; r < rows; r++) {
                                    sum += (double) x[r * inputs + i] * gy[r * outputs + o];
                                }
                                assertEquals(sum, gw[i * outputs + o], 1e-6 * (rows + 1), what + " dW");
                            }
                        }
                        for (int o = 0; o < outputs; o++) {
                            double sum = gb0[o];
                            for (int r = 0; r < rows; r++) {
                                sum += gy[r * outputs + o];
                            }
                            assertEquals(sum, gb[o], 1e-6 * (rows + 1), what + " db");
                        }
                        for (int r = 0; r < rows; r++) {
                            for (int i = 0; i < inputs; i++) {
                                double sum = 0;
                                for (int o = 0; o < outputs; o++) {
                                    sum += (double) gy[r * outputs + o] * w[i * outputs + o];
                                }
                                assertEquals(sum, gx[r * inputs + i], 1e-6 * outputs, what + " dX");
                            }
                        }
                        expected[0] = sameBits(expected[0], gw, what + " dW");
                        expected[1] = sameBits(expected[1], gb, what + " db");
                        expected[2] = sameBits(expected[2], gx, what + " dX");
                    }
                }
            }
        }
    }

    @Test
    void tanhIsWithinTwoUlpsOfMathTanhEverywhere() {
        SplittableRandom random = new SplittableRandom(13);
        List<Float> cases = new ArrayList<>(List.of(0f, -0f, 1e-30f, -1e-8f, 0.29999998f, 0.3f, -0.3f, 0.5f, 0.54999995f, 0.55f, -0.55f, 1f,
                -2f, 8.99f, 9f, 9.5f, -20f, 1e30f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MIN_VALUE));
        for (int i = 0; i < 20_000; i++) {
            cases.add((float) ((random.nextDouble() * 2 - 1) * (i % 2 == 0 ? 1 : 12)));
        }
        float[] v = new float[cases.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = cases.get(i);
        }
        float[] expected = null;
        for (DenseKernel k : kernels()) {
            for (int len : new int[]{v.length, 1, 15, 17}) {
                float[] t = v.clone();
                k.tanh(t, 0, len);
                for (int i = 0; i < len; i++) {
                    double exact = Math.tanh(v[i]);
                    assertTrue(Math.abs(t[i] - exact) <= 2 * Math.ulp((float) exact) + 1e-45,
                            k.name() + " tanh(" + v[i] + ") = " + t[i] + ", expected " + exact);
                }
                for (int i = len; i < v.length; i++) {
                    assertEquals(v[i], t[i], 0, "tanh wrote past its length");
                }
            }
            float[] t = v.clone();
            k.tanh(t, 0, t.length);
            expected = sameBits(expected, t, k.name() + " tanh");
        }
        float[] nan = {Float.NaN};
        for (DenseKernel k : kernels()) {
            k.tanh(nan, 0, 1);
            assertTrue(Float.isNaN(nan[0]), k.name() + " tanh(NaN)");
        }
    }

    @Test
    void activationDerivatives() {
        SplittableRandom random = new SplittableRandom(14);
        for (int len : SIZES) {
            float[] a = values(random, len, 3);
            float[] g = values(random, len, 1);
            float[][] expected = new float[4][];
            for (DenseKernel k : kernels()) {
                float[] relu = a.clone();
                k.relu(relu, 0, len);
                float[] gRelu = g.clone();
                k.reluBackward(relu, 0, gRelu, 0, len);
                float[] tanh = a.clone();
                k.tanh(tanh, 0, len);
                float[] gTanh = g.clone();
                k.tanhBackward(tanh, 0, gTanh, 0, len);
                for (int i = 0; i < len; i++) {
                    assertEquals(Math.max(a[i], 0f), relu[i], 0);
                    assertEquals(a[i] > 0 ? g[i] : 0f, gRelu[i], 0);
                    double d = 1 - Math.tanh(a[i]) * Math.tanh(a[i]);
                    assertEquals(g[i] * d, gTanh[i], 1e-6 * Math.abs(g[i]) + 1e-7);
                }
                expected[0] = sameBits(expected[0], relu, "relu");
                expected[1] = sameBits(expected[1], gRelu, "relu backward");
                expected[2] = sameBits(expected[2], tanh, "tanh");
                expected[3] = sameBits(expected[3], gTanh, "tanh backward");
            }
        }
    }

    /** A scratch array of the documented length, filled with garbage the kernels must not depend on. */
    private static float[] scratch(int rows, int inputs, int outputs) {
        float[] s = new float[DenseKernel.scratchLength(rows, inputs, outputs)];
        java.util.Arrays.fill(s, Float.NaN);
        return s;
    }

    private static float[] values(SplittableRandom random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    /** Returns {@code actual} the first time; afterwards fails unless it has the same bits as {@code expected}. */
    private static float[] sameBits(float[] expected, float[] actual, String what) {
        if (expected == null) {
            return actual.clone();
        }
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": vector and scalar differ at " + i + ": " + expected[i] + " vs " + actual[i]);
            }
        }
        return expected;
    }
}
