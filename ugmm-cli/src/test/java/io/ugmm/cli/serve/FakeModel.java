package io.ugmm.cli.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * A stand-in model for the HTTP tests: {@code width} inputs, classes named in its file, and probabilities
 * the softmax of the first {@code classes} features, so a test can compute every answer. Its file is text:
 * {@code width=4 classes=a,b,c}; anything else is refused like a broken model file. A row whose second
 * feature is 666 is refused at scoring time, as a real model refuses a value it cannot standardise. Optionally gated: each
 * batch waits for a permit, so a test can hold requests in flight.
 */
final class FakeModel implements ScoringModel {
    final int width;
    final List<String> classes;
    final Semaphore gate;
    final CountDownLatch entered = new CountDownLatch(1);
    final List<Integer> batchSizes = new ArrayList<>();

    FakeModel(int width, List<String> classes, Semaphore gate) {
        this.width = width;
        this.classes = classes;
        this.gate = gate;
    }

    static ModelLoader loader(Semaphore gate) {
        return file -> {
            String text = Files.readString(file).trim();
            if (!text.matches("width=\\d+ classes=\\w+(,\\w+)*")) {
                throw new IllegalArgumentException(file + " is not a model file: found '" + text + "'");
            }
            String[] parts = text.split(" ");
            int width = Integer.parseInt(parts[0].substring(6));
            return new FakeModel(width, List.of(parts[1].substring(8).split(",")), gate);
        };
    }

    static Path write(Path file, int width, String... classes) throws Exception {
        Files.writeString(file, "width=" + width + " classes=" + String.join(",", classes));
        return file;
    }

    /** The probabilities this model gives a row: softmax of its first classCount features. */
    static float[] expected(float[] row, int classCount) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classCount; k++) {
            max = Math.max(max, row[k]);
        }
        double sum = 0;
        double[] e = new double[classCount];
        for (int k = 0; k < classCount; k++) {
            e[k] = Math.exp(row[k] - max);
            sum += e[k];
        }
        float[] p = new float[classCount];
        for (int k = 0; k < classCount; k++) {
            p[k] = (float) (e[k] / sum);
        }
        return p;
    }

    @Override
    public int inputCount() {
        return width;
    }

    @Override
    public List<String> inputNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            names.add("x" + i);
        }
        return names;
    }

    @Override
    public List<String> classNames() {
        return classes;
    }

    @Override
    public String description() {
        return "fake " + width + " -> " + classes.size();
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of("dataset", "fake");
    }

    @Override
    public RowScorer newScorer(int maxRows) {
        return (x, rows, probabilities, classIndex, outOfRange) -> {
            if (gate != null) {
                entered.countDown();
                gate.acquireUninterruptibly();
            }
            synchronized (batchSizes) {
                batchSizes.add(rows);
            }
            int c = classes.size();
            for (int r = 0; r < rows; r++) {
                float[] row = Arrays.copyOfRange(x, r * width, (r + 1) * width);
                if (row.length > 1 && row[1] == 666f) {
                    throw new RowRejectedException(r, 1, "the fake model refuses 666");
                }
                float[] p = expected(row, c);
                System.arraycopy(p, 0, probabilities, r * c, c);
                int best = 0;
                for (int k = 1; k < c; k++) {
                    best = p[k] > p[best] ? k : best;
                }
                classIndex[r] = best;
                outOfRange[r] = row[0] > 1000;
            }
        };
    }
}
