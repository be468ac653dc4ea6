package io.ugmm.cli;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.FashionMnist;
import io.ugmm.datasets.Iris;
import io.ugmm.model.Prediction;
import io.ugmm.model.Predictor;
import io.ugmm.model.UgmmModel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Java program using only {@link UgmmModel#load}, {@code predict} and {@link Prediction} gets the classes
 * {@code ugmm predict} prints, on two threads, with probabilities summing to 1: a generative and a
 * cross-entropy Iris model, and a Fashion-MNIST classifier (when the data is installed).
 */
class UgmmModelMatchesPredictTest extends CliHarness {

    @Test
    void aGenerativeIrisModel(@TempDir Path dir) throws Exception {
        sameClassesAsPredict(dir, "nll");
    }

    @Test
    void aCrossEntropyIrisModel(@TempDir Path dir) throws Exception {
        sameClassesAsPredict(dir, "ce");
    }

    @Test
    void aFashionMnistClassifier(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(FashionMnist.locate().isPresent(), "Fashion-MNIST is not installed ("
                + FashionMnist.INSTALL + ")");
        Path model = dir.resolve("fashion.safetensors");
        assertEquals(0, run("train", "--dataset", "fashion-mnist", "--layers", "16", "--epochs", "1",
                "--out", model.toString()), err());
        Dataset test = FashionMnist.load().test().orElseThrow();
        int rows = 1000;
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < test.features(); f++) {
                csv.append(f == 0 ? "" : ",").append(test.feature(r, f));
            }
            csv.append('\n');
        }
        Path input = Files.writeString(dir.resolve("images.csv"), csv);
        assertEquals(0, run("predict", "--model", model.toString(), "--input", input.toString()), err());
        int[] cliClasses = out().strip().lines().skip(1).mapToInt(line -> {
            String[] cells = line.split(",");
            return Integer.parseInt(cells[10]);
        }).toArray();
        assertEquals(rows, cliClasses.length);

        UgmmModel loaded = UgmmModel.load(model);
        assertEquals(FashionMnist.CLASS_NAMES, loaded.classNames());
        float[] images = java.util.Arrays.copyOf(test.features, rows * test.features());
        assertEachThreadGives(cliClasses, batched -> {
            int[] classes = new int[rows];
            float[] probabilities = new float[rows * 10];
            loaded.newPredictor(rows).predict(images, 0, rows, probabilities, classes);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int c = 0; c < 10; c++) {
                    sum += probabilities[r * 10 + c];
                }
                assertEquals(1, sum, 1e-5);
            }
            return classes;
        });
        int right = 0;
        for (int r = 0; r < rows; r++) {
            right += cliClasses[r] == test.labels[r] ? 1 : 0;
        }
        assertTrue(right > 500, "one epoch learns most classes: " + right);
    }

    private void sameClassesAsPredict(Path dir, String loss) throws Exception {
        Path model = dir.resolve("iris-" + loss + ".safetensors");
        assertEquals(0, run("train", "--dataset", "iris", "--loss", loss, "--epochs", "40", "--restarts", "1",
                "--threads", "1", "--log-every", "40", "--out", model.toString()), err());
        Dataset iris = Iris.load();
        String csv = irisFeaturesCsv();
        Path input = dir.resolve("features.csv");
        Files.writeString(input, csv);
        assertEquals(0, run("predict", "--model", model.toString(), "--input", input.toString()), err());
        List<String> lines = out().strip().lines().toList();
        int[] cliClasses = new int[iris.rows()];
        String[] cliNames = new String[iris.rows()];
        for (int r = 0; r < iris.rows(); r++) {
            String[] cells = lines.get(r + 1).split(",");
            cliClasses[r] = Integer.parseInt(cells[cells.length - 2]);
            cliNames[r] = cells[cells.length - 1];
        }

        UgmmModel loaded = UgmmModel.load(model);
        assertEachThreadGives(cliClasses, batched -> {
            int[] classes = new int[iris.rows()];
            if (batched) {
                Predictor predictor = loaded.newPredictor(iris.rows());
                float[] probabilities = new float[iris.rows() * 3];
                predictor.predict(iris.features, 0, iris.rows(), probabilities, classes);
                return classes;
            }
            for (int r = 0; r < iris.rows(); r++) {
                Prediction p = loaded.predict(java.util.Arrays.copyOfRange(iris.features, r * 4, r * 4 + 4));
                classes[r] = p.classIndex();
                assertEquals(cliNames[r], p.className());
                double sum = 0;
                for (float v : p.probabilities()) {
                    sum += v;
                }
                assertEquals(1, sum, 1e-5);
            }
            return classes;
        });
        int right = 0;
        for (int r = 0; r < iris.rows(); r++) {
            right += cliClasses[r] == iris.labels[r] ? 1 : 0;
        }
        assertTrue(right > 75, "better than chance: " + right);
    }

    /** Runs {@code task} on two threads at once (the second with {@code batched} true); both give {@code expected}. */
    private static void assertEachThreadGives(int[] expected, java.util.function.Function<Boolean, int[]> task)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<int[]>> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                boolean batched = t == 1;
                threads.add(pool.submit(() -> task.apply(batched)));
            }
            for (Future<int[]> f : threads) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
