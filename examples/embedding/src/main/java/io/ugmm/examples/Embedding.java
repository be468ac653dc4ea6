package io.ugmm.examples;

import io.ugmm.model.Prediction;
import io.ugmm.model.UgmmModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Loads a model trained by {@code ./ugmm train}, predicts every row of a CSV file on two threads (one model,
 * shared) and checks the classes against {@code ./ugmm predict}'s output for the same file.
 *
 * <pre>{@code java -cp ... io.ugmm.examples.Embedding MODEL INPUT.csv PREDICTED.csv}</pre>
 */
public final class Embedding {
    public static void main(String[] args) throws Exception {
        UgmmModel model = UgmmModel.load(Path.of(args[0]));
        List<float[]> rows = readFeatures(Path.of(args[1]), model.inputCount());
        int[] expected = readArgmax(Path.of(args[2]));

        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<int[]>> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            threads.add(pool.submit(() -> {
                int[] classes = new int[rows.size()];
                for (int r = 0; r < rows.size(); r++) {
                    Prediction p = model.predict(rows.get(r));
                    double sum = 0;
                    for (float v : p.probabilities()) {
                        sum += v;
                    }
                    if (Math.abs(sum - 1) > 1e-5) {
                        throw new AssertionError("row " + r + ": probabilities sum to " + sum);
                    }
                    classes[r] = p.classIndex();
                }
                return classes;
            }));
        }
        for (Future<int[]> thread : threads) {
            int[] classes = thread.get();
            if (!Arrays.equals(classes, expected)) {
                System.err.println("FAIL: the classes differ from ./ugmm predict's");
                System.exit(1);
            }
        }
        pool.shutdown();
        Prediction first = model.predict(rows.get(0));
        System.out.printf("OK: %d rows, the same classes as ./ugmm predict on 2 threads; row 1 is %s (p = %.3f)%n",
                rows.size(), first.className(), first.probability(first.classIndex()));
    }

    /** The first {@code n} columns of each data row (the features; a label column after them is ignored). */
    private static List<float[]> readFeatures(Path csv, int n) throws Exception {
        List<float[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String[] cells = line.split(",");
            if (line.isBlank() || !Character.isDigit(cells[0].trim().charAt(0))) {
                continue; // the header
            }
            float[] row = new float[n];
            for (int f = 0; f < n; f++) {
                row[f] = Float.parseFloat(cells[f].trim());
            }
            rows.add(row);
        }
        return rows;
    }

    /** The argmax column of {@code ./ugmm predict}'s output (the last but one when it names the class). */
    private static int[] readArgmax(Path predicted) throws Exception {
        List<String> lines = Files.readAllLines(predicted);
        List<String> header = List.of(lines.get(0).split(","));
        int column = header.indexOf("argmax");
        return lines.stream().skip(1).mapToInt(l -> Integer.parseInt(l.split(",")[column])).toArray();
    }
}
