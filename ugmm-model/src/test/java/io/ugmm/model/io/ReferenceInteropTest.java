package io.ugmm.model.io;

import io.ugmm.model.UgmmNetwork;
import io.ugmm.simd.MixtureKernels;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files made by {@code scripts/export_reference_model.py}, which writes by hand what a PyTorch user's export of
 * the reference model looks like, and computes the expected outputs in float64 numpy. Outputs must agree to
 * 1e-5 relative (relative to max(1, |expected|), since a log-density can be near 0).
 */
class ReferenceInteropTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void loadsTheSaveModelExportAndMatchesNumpy() throws Exception {
        LoadedModel m = ModelFiles.load(resource("reference-6-5-4-3.safetensors"));
        assertEquals("6 -> 5 -> 4 -> 3", m.network().architecture());
        assertEquals(1, m.firstLayerIndex(), "the reference's layers.0 is its input layer");
        assertEquals("pt", m.metadata().get("format").orElseThrow());
        assertMatches(m.network(), "expected.csv");
    }

    @Test
    void loadsTheFullStateDictWithItsPrevLayerDuplicates() throws Exception {
        LoadedModel m = ModelFiles.load(resource("reference-6-5-4-3-state-dict.safetensors"));
        // layer 2 repeats layer 1; layer 3 repeats layers 2 and 1: 3 x (1 + 2) aliases
        assertEquals(9, m.ignoredAliases().size());
        assertTrue(m.metadata().isEmpty());
        assertMatches(m.network(), "expected.csv");
    }

    @Test
    void loadsTheHalfPrecisionExport() throws Exception {
        LoadedModel m = ModelFiles.load(resource("reference-6-5-4-3-f16.safetensors"));
        assertMatches(m.network(), "expected-f16.csv");
    }

    @Test
    void ugmmsOwnFileOfTheSameNetworkGivesTheSameOutputs() throws Exception {
        UgmmNetwork net = ModelFiles.load(resource("reference-6-5-4-3.safetensors")).network();
        UgmmNetwork again = ModelFiles.fromBytes(ModelFiles.toBytes(net, ModelMetadata.empty()), "bytes").network();
        assertMatches(again, "expected.csv");
    }

    private static void assertMatches(UgmmNetwork net, String expectedCsv) throws IOException {
        double[][] x = csv("inputs.csv");
        double[][] expected = csv(expectedCsv);
        assertEquals(x.length, expected.length);
        for (UgmmNetwork n : List.of(net, net.withKernel(MixtureKernels.scalar()))) {
            float[] out = n.forwardBatch(flatten(x), x.length);
            for (int r = 0; r < x.length; r++) {
                for (int j = 0; j < n.outputs(); j++) {
                    double e = expected[r][j];
                    double a = out[r * n.outputs() + j];
                    double error = Math.abs(a - e) / Math.max(1, Math.abs(e));
                    assertTrue(error <= TOLERANCE, n.kernel().name() + " row " + r + " out_" + j + ": " + a
                            + " vs numpy " + e + " (relative error " + error + ")");
                }
            }
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ReferenceInteropTest.class.getResource("reference/" + name).toURI());
    }

    /** The rows after the header line; inputs are float32 values written exactly, outputs are float64. */
    private static double[][] csv(String name) throws IOException {
        try (InputStream in = ReferenceInteropTest.class.getResourceAsStream("reference/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1)
                    .map(line -> Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray())
                    .toArray(double[][]::new);
        }
    }

    private static float[] flatten(double[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[r].length; c++) {
                out[r * rows[r].length + c] = (float) rows[r][c];
            }
        }
        return out;
    }
}
