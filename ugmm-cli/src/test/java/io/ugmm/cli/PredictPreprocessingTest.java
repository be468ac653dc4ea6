package io.ugmm.cli;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.Iris;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ugmm predict} prepares rows the way {@code ugmm train} did, as recorded in the model file. */
class PredictPreprocessingTest extends CliHarness {

    private double evalAccuracy(Path model, String part) {
        assertEquals(0, run("eval", "--model", model.toString(), "--part", part, "--threads", "1", "--json"),
                err.toString());
        String[] lines = out().strip().split("\n");
        Matcher m = Pattern.compile("\"accuracy\":([-0-9.eE+]+)").matcher(lines[lines.length - 1]);
        assertTrue(m.find(), out());
        return Double.parseDouble(m.group(1));
    }

    /** Rows predicted right, reading the argmax column (the last but one, before the class name). */
    private static int correct(String predictions, int[] labels, int expectedColumns) {
        List<String> lines = predictions.strip().lines().toList();
        assertEquals(labels.length + 1, lines.size(), predictions);
        assertEquals(expectedColumns, lines.get(0).split(",").length, lines.get(0));
        int correct = 0;
        for (int r = 0; r < labels.length; r++) {
            String[] cells = lines.get(r + 1).split(",");
            correct += Integer.parseInt(cells[cells.length - 2]) == labels[r] ? 1 : 0;
        }
        return correct;
    }

    @Test
    void aGenerativeModelPredictsTheMissingLabelByMpeOnStandardisedFeatures(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("iris.safetensors");
        assertEquals(0, run("train", "--dataset", "iris", "--epochs", "40", "--restarts", "1", "--threads", "1",
                "--log-every", "40", "--out", model.toString()), err.toString());
        Dataset iris = Iris.load();
        String csv = irisFeaturesCsv();
        Path input = dir.resolve("features.csv");
        Files.writeString(input, csv);

        assertEquals(0, run("predict", "--model", model.toString(), "--input", input.toString()), err.toString());
        String predictions = out();
        assertTrue(predictions.startsWith("out_0,out_1,out_2,argmax,class\n"), predictions);
        assertTrue(predictions.contains(",0,setosa\n") && predictions.contains(",2,virginica\n"), predictions);
        int predicted = correct(predictions, iris.labels, 5);
        // the same rows as eval's two parts (120 train + 30 test), so the same number right
        long expected = Math.round(evalAccuracy(model, "train") * 120 + evalAccuracy(model, "test") * 30);
        assertEquals(expected, predicted);
        assertTrue(predicted > 75, "better than chance: " + predicted);

        // MPE in double precision: the same classes (this small, floored network is well conditioned)
        assertEquals(0, run("predict", "--model", model.toString(), "--input", input.toString(), "--precision",
                "double"), err.toString());
        assertEquals(predicted, correct(out(), iris.labels, 5));
    }

    @Test
    void aClassifierPredictsOnFeaturesStandardisedAsInTraining(@TempDir Path dir) throws IOException {
        // far from 0 and narrow: without standardisation the network would see them all as one point
        StringBuilder train = new StringBuilder("a,b,label\n");
        StringBuilder features = new StringBuilder("a,b\n");
        int rows = 100;
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            int c = i % 2;
            labels[i] = c;
            String a = Double.toString(1000 + c * 0.3 + (i % 7) * 0.02);
            String b = Double.toString(500 - c * 0.2 + (i % 5) * 0.02);
            train.append(a).append(',').append(b).append(',').append(c).append('\n');
            features.append(a).append(',').append(b).append('\n');
        }
        Path file = dir.resolve("far.csv");
        Files.writeString(file, train);
        Path input = dir.resolve("far-features.csv");
        Files.writeString(input, features);
        Path model = dir.resolve("far.safetensors");
        assertEquals(0, run("train", "--dataset", "csv:" + file, "--layers", "4", "--epochs", "15", "--batch", "16",
                "--threads", "1", "--out", model.toString()), err.toString());

        assertEquals(0, run("predict", "--model", model.toString(), "--input", input.toString()), err.toString());
        int predicted = correct(out(), labels, 4);
        long expected = Math.round(evalAccuracy(model, "train") * 80 + evalAccuracy(model, "test") * 20);
        assertEquals(expected, predicted);
        assertTrue(predicted > 90, "standardised, the classes separate: " + predicted);
    }
}
