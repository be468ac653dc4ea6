package io.ugmm.simd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Both forward kernels against a double-precision evaluation of the raw parameters, and the vector kernel
 * against the scalar one, on sizes around lane multiples.
 *
 * <p>Tolerances. Both kernels compute the same float terms u = ((x - mu) * a)^2 + negBias (bitwise equal:
 * same operations, fused multiply-add in both), so vector and scalar differ only in the exponential sum:
 * the polynomial exp2 (1e-7 relative per term), the float (s - u) * log2e reduction (about 1e-7 relative
 * for the terms that matter) and lane-wise float accumulation (at most N/lanes additions per lane, each
 * 6e-8 relative). Log of a sum turns a relative error into an absolute one, so |vector - scalar| is
 * bounded by about 2e-7 + (N/16)*6e-8 in absolute terms, plus float rounding of the result (6e-8 x |out|).
 * Against the double reference both also carry the float rounding of the per-element constants and of
 * d^2 (about 2e-7 x (1 + |term|) for the dominant terms).
 */
class ForwardKernelTest {
    private static final int[] SIZES = {1, 7, 15, 16, 17, 31, 33, 784, 1000};

    private static MixtureKernel vector() {
        return MixtureKernels.vector().orElseThrow(() -> new AssertionError(
                "the vector kernel must be available in tests (surefire passes --add-modules): "
                        + MixtureKernels.vectorUnavailableReason()));
    }

    static double vectorVsScalarTolerance(int components, double scalarValue) {
        return 4e-7 + Math.ceil(components / 16.0) * 1.2e-7 + 2e-7 * Math.abs(scalarValue);
    }

    static double referenceTolerance(double reference) {
        return 2e-6 + 1e-6 * Math.abs(reference);
    }

    @Test
    void vectorEqualsScalarAroundLaneMultiples() {
        MixtureKernel vector = vector();
        for (int n : SIZES) {
            for (int m : new int[] {1, 3, 4, 5, 13}) {
                KernelCases c = KernelCases.random(m, n, 31L * n + m, 1, 0, 0);
                for (int rows : new int[] {1, 2, 3, 4, 5, 8, 9}) {
                    float[] x = KernelCases.inputs(rows, n, rows * 7L + n, 3);
                    assertClose(c.run(MixtureKernels.scalar(), x, rows), c.run(vector, x, rows), n,
                            "n=" + n + " m=" + m + " rows=" + rows);
                }
            }
        }
    }

    @Test
    void vectorEqualsScalarForEveryBatchSizeUpTo257() {
        MixtureKernel vector = vector();
        KernelCases c = KernelCases.random(6, 33, 5, 1, 0, 0);
        float[] x = KernelCases.inputs(257, 33, 6, 4);
        float[] scalarAll = c.run(MixtureKernels.scalar(), x, 257);
        for (int rows = 1; rows <= 257; rows++) {
            float[] got = c.run(vector, x, rows);
            float[] expected = java.util.Arrays.copyOf(scalarAll, rows * 6);
            assertClose(expected, got, 33, "rows=" + rows);
        }
    }

    @ParameterizedTest(name = "input magnitude {0}")
    @ValueSource(doubles = {1, 10, 1000})
    void bothKernelsMatchDoubleReference(double magnitude) {
        for (int n : SIZES) {
            KernelCases c = KernelCases.random(9, n, n, 1, 0, 0);
            float[] x = KernelCases.inputs(6, n, n + 100, magnitude);
            checkAgainstReference(c, x, 6, "n=" + n + " magnitude=" + magnitude);
        }
    }

    @Test
    void tinySigmasAndLargeMeans() {
        // sigma near 1e-3 makes every term steep: d reaches 1e6 for inputs of magnitude 1e3
        for (int n : new int[] {1, 17, 784}) {
            KernelCases c = KernelCases.random(5, n, 11, 1000, 1e-3, 0);
            checkAgainstReference(c, KernelCases.inputs(5, n, 12, 1000), 5, "tiny sigma n=" + n);
            // inputs right at the means: the sharp peaks dominate
            float[] atMeans = new float[n];
            System.arraycopy(c.mean, 0, atMeans, 0, n);
            checkAgainstReference(c, atMeans, 1, "inputs at the means n=" + n);
        }
    }

    @Test
    void droppedComponentsAreIgnored() {
        for (int n : new int[] {1, 16, 33, 784}) {
            KernelCases c = KernelCases.random(7, n, 3, 1, 0, 0.4);
            checkAgainstReference(c, KernelCases.inputs(5, n, 4, 2), 5, "dropped n=" + n);
        }
    }

    @Test
    void mixtureWithEveryComponentDroppedIsMinusInfinity() {
        int n = 20;
        float[] logWeights = new float[2 * n];
        java.util.Arrays.fill(logWeights, 0, n, Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(logWeights, n, 2 * n, (float) -Math.log(n));
        MixtureBank bank = MixtureBank.of(2, n, new float[2 * n], new float[2 * n], logWeights);
        for (MixtureKernel kernel : new MixtureKernel[] {MixtureKernels.scalar(), vector()}) {
            for (int rows : new int[] {1, 4}) {
                float[] out = new float[rows * 2];
                kernel.forward(new float[rows * n], 0, rows, bank, out, 0, new float[MixtureKernel.scratchLength(n)]);
                for (int b = 0; b < rows; b++) {
                    assertEquals(Float.NEGATIVE_INFINITY, out[2 * b], kernel.name() + " rows=" + rows);
                    assertTrue(Float.isFinite(out[2 * b + 1]), kernel.name() + " rows=" + rows);
                }
            }
        }
    }

    @Test
    void offsetsAreHonoured() {
        KernelCases c = KernelCases.random(5, 19, 8, 1, 0, 0);
        float[] x = KernelCases.inputs(6, 19, 9, 2);
        float[] padded = new float[3 + x.length];
        System.arraycopy(x, 0, padded, 3, x.length);
        for (MixtureKernel kernel : new MixtureKernel[] {MixtureKernels.scalar(), vector()}) {
            float[] out = new float[7 + 6 * 5];
            kernel.forward(padded, 3, 6, c.bank, out, 7, new float[MixtureKernel.scratchLength(19)]);
            float[] plain = c.run(kernel, x, 6);
            for (int i = 0; i < plain.length; i++) {
                assertEquals(plain[i], out[7 + i], kernel.name() + " index " + i);
            }
            for (int i = 0; i < 7; i++) {
                assertEquals(0f, out[i], "nothing written before outOff");
            }
        }
    }

    @Test
    void nodeRangesWriteOnlyTheirNodesWithTheFullCallsBits() {
        int m = 13;
        int n = 37;
        int rows = 3;
        KernelCases c = KernelCases.random(m, n, 12, 1, 0, 0);
        float[] x = KernelCases.inputs(rows, n, 13, 3);
        x[n + 5] = Float.NaN; // row 1: NaN for the range's nodes only
        for (MixtureKernel kernel : new MixtureKernel[] {MixtureKernels.scalar(), vector()}) {
            float[] full = new float[2 + rows * m];
            kernel.forward(x, 0, rows, c.bank, full, 2, new float[MixtureKernel.scratchLength(n)]);
            int[][] ranges = {{0, 5}, {5, 6}, {6, 13}, {4, 4}};
            float[] pieced = new float[2 + rows * m];
            for (int[] r : ranges) {
                float[] alone = new float[2 + rows * m];
                java.util.Arrays.fill(alone, 42f);
                kernel.forward(x, 0, rows, c.bank, r[0], r[1], alone, 2, new float[MixtureKernel.scratchLength(n)]);
                for (int i = 0; i < alone.length; i++) {
                    int j = (i - 2) % m;
                    boolean inRange = i >= 2 && j >= r[0] && j < r[1];
                    if (inRange) {
                        assertEquals(Float.floatToRawIntBits(full[i]), Float.floatToRawIntBits(alone[i]),
                                kernel.name() + " range " + r[0] + ".." + r[1] + " index " + i);
                        pieced[i] = alone[i];
                    } else {
                        assertEquals(42f, alone[i], kernel.name() + " wrote index " + i + " outside its range");
                    }
                }
            }
            assertTrue(Float.isNaN(pieced[2 + m + 7]), "a NaN row is NaN for a range's nodes too");
            assertEquals(java.util.Arrays.toString(full), java.util.Arrays.toString(pieced), kernel.name());
        }
    }

    /**
     * The vector kernel groups pairs: four rows of a node (or, below four rows, four nodes of a row) share loads,
     * sixteen pairs share one vector log, and a pair whose guessed base was wrong is summed again. None of that
     * may show in the result: the full batch, each row alone, rows in threes and a node range all give the same
     * bits, including rows whose base differs from their neighbours' (inputs of 1e4 among inputs of 1: re-summed,
     * and beyond the float base: the double path), a NaN row and a node with every component dropped.
     */
    @Test
    void vectorGivesTheSameBitsHoweverPairsAreGrouped() {
        MixtureKernel vector = vector();
        assertTrue(MixtureKernel.scratchLength(1) >= VectorForward.SCRATCH, "the scratch holds a chunk");
        for (int n : new int[] {7, 16, 37, 128}) {
            int m = 21;
            KernelCases c = KernelCases.random(m, n, 7L * n, 1, 0, 0.2);
            float[] logWeights = c.logWeights.clone();
            java.util.Arrays.fill(logWeights, 5 * n, 6 * n, Float.NEGATIVE_INFINITY);
            MixtureBank bank = MixtureBank.of(m, n, c.mean, c.logStd, logWeights);
            int rows = 37;
            float[] x = KernelCases.inputs(rows, n, n, 2);
            for (int i = 0; i < n; i++) {
                x[6 * n + i] *= 1e4f;   // base far from the other rows' (re-summed)
                x[7 * n + i] = 3e3f;    // u near 1e7 for every component: beyond the float base (double path)
            }
            x[20 * n + n / 2] = Float.NaN;
            float[] full = new float[rows * m];
            vector.forward(x, 0, rows, bank, full, 0, new float[MixtureKernel.scratchLength(n)]);
            float[] single = new float[rows * m];
            for (int b = 0; b < rows; b++) {
                vector.forward(x, b * n, 1, bank, single, b * m, new float[MixtureKernel.scratchLength(n)]);
            }
            float[] threes = new float[rows * m];
            for (int b = 0; b < rows; b += 3) {
                vector.forward(x, b * n, Math.min(3, rows - b), bank, threes, b * m,
                        new float[MixtureKernel.scratchLength(n)]);
            }
            float[] range = full.clone();
            for (int b = 0; b < rows; b++) {
                java.util.Arrays.fill(range, b * m + 3, b * m + 20, 42f);
            }
            vector.forward(x, 0, rows, bank, 3, 20, range, 0, new float[MixtureKernel.scratchLength(n)]);
            for (int i = 0; i < full.length; i++) {
                String where = "n=" + n + " row " + i / m + " node " + i % m;
                assertEquals(Float.floatToRawIntBits(full[i]), Float.floatToRawIntBits(single[i]), where + " row alone");
                assertEquals(Float.floatToRawIntBits(full[i]), Float.floatToRawIntBits(threes[i]), where + " in threes");
                assertEquals(Float.floatToRawIntBits(full[i]), Float.floatToRawIntBits(range[i]), where + " node range");
            }
            float[] scalarDropped = new float[rows * m];
            MixtureKernels.scalar().forward(x, 0, rows, bank, scalarDropped, 0, new float[MixtureKernel.scratchLength(n)]);
            for (int b = 0; b < rows; b++) {
                if (b != 20) {
                    assertEquals(Float.NEGATIVE_INFINITY, full[b * m + 5], "n=" + n + " row " + b + ": every component dropped");
                }
                for (int j = 0; j < m; j++) {
                    float expected = scalarDropped[b * m + j];
                    float got = full[b * m + j];
                    if (Float.isNaN(expected) || Float.isInfinite(expected)) {
                        assertEquals(expected, got, "n=" + n + " row " + b + " node " + j);
                    } else {
                        assertEquals(expected, got, vectorVsScalarTolerance(n, expected) + 1e-7 * Math.abs(expected),
                                "n=" + n + " row " + b + " node " + j);
                    }
                }
            }
            assertTrue(Float.isNaN(full[20 * m]), "a NaN row is NaN");
        }
    }

    /**
     * The vector writer of a chunk's outputs (taken on JDK 25 and later) gives the scalar writer's bits; run on
     * every JDK, since the kernel chooses it by version. Exponents up to the largest base, minima up to 1e6.
     */
    @Test
    void vectorWriteGivesTheScalarWritesBits() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(12);
        float[] none = new float[0];
        for (int trial = 0; trial < 500; trial++) {
            float[] logStd = new float[4];
            float[] mean = new float[4];
            float[] logWeights = new float[4];
            for (int i = 0; i < 4; i++) {
                mean[i] = (float) random.nextDouble(-1000, 1000);
                logStd[i] = (float) random.nextDouble(-7, 3);
                logWeights[i] = (float) random.nextDouble(-30, 0);
            }
            MixtureBank bank = MixtureBank.of(2, 2, mean, logStd, logWeights);
            float[] scratch = new float[VectorForward.SCRATCH];
            for (int k = 0; k < VectorForward.CHUNK; k++) {
                scratch[VectorForward.CHUNK + k] = (float) (random.nextDouble() * Math.pow(10, random.nextInt(7)));
                scratch[2 * VectorForward.CHUNK + k] = (float) random.nextDouble(-0.35, 0.35);
                scratch[3 * VectorForward.CHUNK + k] = (float) (random.nextInt(-200, 200)
                        - (random.nextBoolean() ? 0 : 64 * random.nextInt(1 << 15)));
            }
            int count = 1 + random.nextInt(VectorForward.CHUNK);
            int j = random.nextInt(2);
            float[] scalarOut = new float[3 * VectorForward.CHUNK + 1];
            float[] vectorOut = scalarOut.clone();
            VectorForward.write(none, 0, 0, bank, j, 0, count, scalarOut, 1, 3, scratch.clone(), 0f);
            VectorForward.writeOneNode(bank.offset[j], count, vectorOut, 1, 3, scratch.clone());
            for (int i = 0; i < scalarOut.length; i++) {
                assertEquals(Float.floatToRawIntBits(scalarOut[i]), Float.floatToRawIntBits(vectorOut[i]),
                        "trial " + trial + ", output " + i + ": scalar " + scalarOut[i] + ", vector " + vectorOut[i]);
            }
        }
    }

    private static void checkAgainstReference(KernelCases c, float[] x, int rows, String what) {
        double[] reference = c.reference(x, rows);
        for (MixtureKernel kernel : new MixtureKernel[] {MixtureKernels.scalar(), vector()}) {
            float[] got = c.run(kernel, x, rows);
            for (int i = 0; i < got.length; i++) {
                double tolerance = referenceTolerance(reference[i]);
                boolean sameInfinity = Double.isInfinite(reference[i]) && got[i] == reference[i];
                if (!sameInfinity && !(Math.abs(got[i] - reference[i]) <= tolerance)) {
                    fail(kernel.name() + " " + what + " output " + i + ": expected " + reference[i] + " got " + got[i]
                            + " (tolerance " + tolerance + ")");
                }
            }
        }
    }

    private static void assertClose(float[] scalar, float[] vector, int components, String what) {
        assertEquals(scalar.length, vector.length);
        for (int i = 0; i < scalar.length; i++) {
            double tolerance = vectorVsScalarTolerance(components, scalar[i]);
            if (!(Math.abs(scalar[i] - vector[i]) <= tolerance)) {
                fail(what + " output " + i + ": scalar " + scalar[i] + " vector " + vector[i]
                        + " (tolerance " + tolerance + ")");
            }
        }
    }
}
