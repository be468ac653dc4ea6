package io.ugmm.model;

import io.ugmm.model.io.ModelFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DoublePrecisionEvaluatorTest {

    private static Path reference(String name) throws Exception {
        return Path.of(DoublePrecisionEvaluatorTest.class.getResource("io/reference/" + name).toURI());
    }

    private static double[][] csv(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        double[][] rows = new double[lines.size() - 1][];
        for (int r = 1; r < lines.size(); r++) {
            String[] cells = lines.get(r).split(",");
            rows[r - 1] = new double[cells.length];
            for (int c = 0; c < cells.length; c++) {
                rows[r - 1][c] = Double.parseDouble(cells[c]);
            }
        }
        return rows;
    }

    @Test
    void matchesTheFloat64NumpyComputationOfTheReferenceExport() throws Exception {
        // scripts/export_reference_model.py computes these outputs in float64 from the same float32 parameters
        UgmmNetwork net = ModelFiles.load(reference("reference-6-5-4-3.safetensors")).network();
        double[][] x = csv(reference("inputs.csv"));
        double[][] expected = csv(reference("expected.csv"));
        double[] flat = new double[x.length * 6];
        for (int r = 0; r < x.length; r++) {
            System.arraycopy(x[r], 0, flat, r * 6, 6);
        }
        double[] got = new DoublePrecisionEvaluator(net).forward(flat, x.length);
        for (int r = 0; r < x.length; r++) {
            for (int j = 0; j < 3; j++) {
                double e = expected[r][j];
                assertEquals(e, got[r * 3 + j], 1e-12 * Math.max(1, Math.abs(e)), "row " + r + " out_" + j);
            }
        }
    }

    @Test
    void agreesWithTheFloatPathOnAWellConditionedNetwork() {
        UgmmNetwork net = UgmmNetwork.builder(30).layer(8).layer(3).seed(5).build();
        SplittableRandom random = new SplittableRandom(6);
        float[] x = new float[12 * 30];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 20 - 10);
        }
        float[] fast = net.forwardBatch(x, 12);
        double[] exact = new DoublePrecisionEvaluator(net).forward(x, 12);
        for (int i = 0; i < fast.length; i++) {
            assertEquals(exact[i], fast[i], 1e-5 * Math.max(1, Math.abs(exact[i])), "output " + i);
        }
    }

    @Test
    void vectorKernelIsNoFurtherFromDoubleThanTheScalarReferenceOnAnIllConditionedNetwork() {
        // the demo's network: the first layer agrees to float resolution, while float rounding of the
        // activations is amplified towards the root (README, Accuracy); the vector kernel must not add to it
        UgmmNetwork net = UgmmNetwork.builder(784).layer(128).layer(64).layer(10).seed(42).build();
        SplittableRandom random = new SplittableRandom(43);
        int rows = 256;
        float[] x = new float[rows * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 4 - 2);
        }
        UgmmNetwork first = UgmmNetwork.of(net.layers().subList(0, 1));
        assertTrue(maxRelative(first.forwardBatch(x, rows), new DoublePrecisionEvaluator(first).forward(x, rows)) < 2e-6);
        double[] exact = new DoublePrecisionEvaluator(net).forward(x, rows);
        double vector = maxRelative(net.forwardBatch(x, rows), exact);
        double scalar = maxRelative(net.withKernel(io.ugmm.simd.MixtureKernels.scalar()).forwardBatch(x, rows), exact);
        assertTrue(vector <= 2 * scalar + 1e-6, "vector " + vector + " vs scalar " + scalar + " from double");
    }

    private static double maxRelative(float[] a, double[] exact) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - exact[i]) / Math.max(1e-6, Math.abs(exact[i])));
        }
        return worst;
    }

    @Test
    void rejectsBadInputClearly() {
        DoublePrecisionEvaluator evaluator = new DoublePrecisionEvaluator(UgmmNetwork.builder(3).layer(2).build());
        var e = assertThrows(IllegalArgumentException.class, () -> evaluator.forward(new double[5], 2));
        assertEquals("expected 2 rows x 3 features = 6 values, found 5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> evaluator.forward(new double[] {0, Double.NaN, 0}, 1));
        assertEquals("input row 0, column 1 is NaN; inputs must be finite", e.getMessage());
    }
}
