package io.ugmm.cli;

import io.ugmm.datasets.Faithful;
import io.ugmm.model.gmm.GaussianMixture;
import io.ugmm.model.io.GmmFiles;
import io.ugmm.model.internal.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GmmCommandTest extends CliHarness {

    @SuppressWarnings("unchecked")
    private Map<String, Object> json() {
        try {
            return (Map<String, Object>) Json.parse(out().trim());
        } catch (io.ugmm.model.internal.JsonException e) {
            throw new AssertionError("not one JSON line: " + out(), e);
        }
    }

    private static double number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    @Test
    void fitOnOldFaithfulFindsTheTwoKnownClusters(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("faithful.safetensors");
        assertEquals(0, run("gmm", "fit", "--dataset", "faithful", "--components", "2", "--json", "--out", model.toString()),
                err());
        Map<String, Object> result = json();
        // the maximum-likelihood 2-component full-covariance fit of these 272 rows (R mclust and scikit-learn
        // agree): log-likelihood -1130.264, i.e. -4.155382 per row
        assertEquals(-4.155382, number(result, "mean_log_likelihood"), 1e-5);
        assertEquals(Boolean.TRUE, result.get("converged"));
        double score = number(result, "mean_log_likelihood");
        assertEquals(-2 * 272 * score + 11 * Math.log(272), number(result, "bic"), 1e-2);
        assertEquals(-2 * 272 * score + 22, number(result, "aic"), 1e-2);
        assertTrue(err().contains("component 0: weight"), err());

        GaussianMixture m = GmmFiles.load(model).mixture();
        double[] means = m.means();
        int longer = means[0] > means[2] ? 0 : 1;
        assertEquals(4.29, means[2 * longer], 0.01);
        assertEquals(79.97, means[2 * longer + 1], 0.05);
        assertEquals(0.644, m.weights()[longer], 0.002);

        assertEquals(0, run("info", "--model", model.toString()), err());
        assertTrue(out().contains("2 full components over 2 features"), out());

        Path csv = dir.resolve("rows.csv");
        Files.writeString(csv, "eruptions,waiting\n4.5,80\n1.9,52\n");
        assertEquals(0, run("gmm", "predict", "--model", model.toString(), "--input", csv.toString(), "--probabilities"), err());
        List<String> lines = out().lines().toList();
        assertEquals("component,log_density,p_0,p_1", lines.get(0));
        assertEquals(3, lines.size());
        String[] first = lines.get(1).split(",");
        String[] second = lines.get(2).split(",");
        assertEquals(String.valueOf(longer), first[0]);
        assertEquals(String.valueOf(1 - longer), second[0]);
        assertEquals(1.0, Double.parseDouble(first[2]) + Double.parseDouble(first[3]), 1e-12);
        assertEquals(m.scoreSamples(new float[] {4.5f, 80f}, 1)[0], Double.parseDouble(first[1]), 0.0);

        assertEquals(0, run("gmm", "sample", "--model", model.toString(), "--n", "5", "--seed", "3"), err());
        List<String> sample = out().lines().toList();
        assertEquals("eruptions,waiting,component", sample.get(0));
        assertEquals(6, sample.size());
    }

    @Test
    void selectChoosesTwoComponentsForOldFaithfulByBic() {
        assertEquals(0, run("gmm", "select", "--dataset", "faithful", "--components", "1..4", "--json"), err());
        assertEquals(2, number(json(), "components"));
        assertTrue(err().contains("chosen: 2 components (lowest BIC"), err());
        assertEquals(4, err().lines().filter(l -> l.matches("\\s+[1-4]\\s+-.*")).count(), err());
    }

    @Test
    void labelsAreOnlyUsedToReportTheAdjustedRandIndex() {
        assertEquals(0, run("gmm", "fit", "--dataset", "iris", "--components", "3", "--n-init", "10", "--json"), err());
        Map<String, Object> result = json();
        // best of 10 k-means++ starts on Iris's raw features: the known maximum, -180.19 over 150 rows
        assertEquals(-1.20128, number(result, "mean_log_likelihood"), 1e-4);
        assertTrue(number(result, "adjusted_rand_index") > 0.85, out());
    }

    @Test
    void aStandardisedFitIsSavedForRawFeatures(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("s.safetensors");
        assertEquals(0, run("gmm", "fit", "--dataset", "faithful", "--components", "2", "--standardize", "yes",
                "--json", "--out", model.toString()), err());
        double standardisedScore = number(json(), "mean_log_likelihood");
        GaussianMixture raw = GmmFiles.load(model).mixture();
        var data = Faithful.load();
        double[] std = io.ugmm.datasets.Standardizer.fit(data).standardDeviations();
        // a density on raw features is the standardised one divided by the scales
        assertEquals(standardisedScore - Math.log(std[0]) - Math.log(std[1]), raw.score(data.features, data.rows()), 1e-4);
    }

    @Test
    void plotAndFramesDrawTwoEllipsesPerComponent(@TempDir Path dir) throws Exception {
        Path plot = dir.resolve("fit.svg");
        Path frames = dir.resolve("frames");
        assertEquals(0, run("gmm", "fit", "--dataset", "faithful", "--components", "3", "--plot", plot.toString(),
                "--frames", frames.toString(), "--json"), err());
        String svg = Files.readString(plot);
        assertTrue(svg.startsWith("<svg"), svg);
        assertEquals(272, svg.split("<circle").length - 1);
        assertEquals(6, svg.split("Z\" fill=\"none\"").length - 1, "a 1 and a 2 sigma ellipse per component");
        long iterations = Math.round(number(json(), "iterations"));
        try (var files = Files.list(frames)) {
            assertEquals(iterations, files.count());
        }
        assertTrue(Files.readString(frames.resolve("iter001.svg")).contains("EM iteration 1"));
    }

    @Test
    void mistakesGetClearErrors(@TempDir Path dir) throws Exception {
        assertEquals(2, run("gmm"));
        assertTrue(err().contains("needs one action"), err());
        assertEquals(2, run("gmm", "fit", "--dataset", "faithful"));
        assertTrue(err().contains("needs --components"), err());
        assertEquals(2, run("gmm", "fit", "--dataset", "faithful", "--components", "2", "--covariance", "round"));
        assertTrue(err().contains("expected full, diag, spherical or tied"), err());
        assertEquals(2, run("gmm", "predict", "--components", "2"));
        assertTrue(err().contains("'gmm predict' has no option --components"), err());
        assertEquals(2, run("gmm", "fit", "--dataset", "iris", "--components", "3", "--plot", dir.resolve("p.svg").toString()));
        assertTrue(err().contains("draw 2 features; iris has 4"), err());
        assertEquals(1, run("gmm", "fit", "--dataset", "faithful", "--components", "300"));
        assertTrue(err().contains("300 components need at least 300 rows, found 272"), err());
        assertEquals(2, run("gmm", "select", "--dataset", "faithful", "--components", "5..2"));
        assertTrue(err().contains("1 <= A <= B"), err());

        Path model = dir.resolve("m.safetensors");
        assertEquals(0, run("gmm", "fit", "--dataset", "faithful", "--components", "2", "--out", model.toString()));
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,2,3\n");
        assertEquals(1, run("gmm", "predict", "--model", model.toString(), "--input", bad.toString()));
        assertTrue(err().contains("line 1: expected 2 columns (the model's features), found 3"), err());
        Files.writeString(bad, "1,nan\n");
        assertEquals(1, run("gmm", "predict", "--model", model.toString(), "--input", bad.toString()));
        assertTrue(err().contains("line 1, column 2: nan is not a finite number"), err());
        assertEquals(1, run("gmm", "predict", "--model", dir.resolve("missing").toString(), "--input", bad.toString()));
        assertTrue(err().contains("missing"), err());
    }

    @Test
    void adjustedRandIndexIsOneForTheSamePartitionAndLowForAnUnrelatedOne() {
        assertEquals(1.0, AdjustedRandIndex.of(new int[] {0, 0, 1, 1, 2}, new int[] {5, 5, 3, 3, 9}), 1e-12);
        // scikit-learn's documented example: adjusted_rand_score([0, 0, 1, 2], [0, 0, 1, 1]) = 0.5714...
        assertEquals(0.5714285714, AdjustedRandIndex.of(new int[] {0, 0, 1, 2}, new int[] {0, 0, 1, 1}), 1e-9);
        assertTrue(AdjustedRandIndex.of(new int[] {0, 0, 0, 0, 1, 1, 1, 1}, new int[] {0, 1, 0, 1, 0, 1, 0, 1}) < 0.1);
    }
}
