package io.ugmm.cli.serve;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.Datasets;
import io.ugmm.model.Predictor;
import io.ugmm.model.UgmmModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.ugmm.model.internal.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.LongAdder;

/**
 * The in-process half of {@code scripts/load-test.sh}: writes request bodies from real rows of a dataset and
 * measures the model's batch-256 rate in this process (1 and 2 threads, each with its own {@link Predictor}),
 * the ceiling the server's 64-row requests are compared with.
 *
 * <p>{@code java -cp ... io.ugmm.cli.serve.ServeBench MODEL DATASET OUT_DIR SECONDS}: writes
 * {@code OUT_DIR/rows1.json} and {@code OUT_DIR/rows64.json}, prints the time to read a 64-row body with the
 * server's reader and with the generic {@code Json.parse}, then one line per thread count:
 * {@code in-process batch-256, T thread(s): R rows/s}.
 */
public final class ServeBench {
    private static final int BATCH = 256;

    private ServeBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ServeBench MODEL DATASET OUT_DIR SECONDS");
            System.exit(2);
        }
        UgmmModel model = UgmmModel.load(Path.of(args[0]));
        Dataset data = Datasets.load(args[1]).test().orElseThrow(() -> new IllegalArgumentException(args[1]
                + " has no test part"));
        Path out = Path.of(args[2]);
        double seconds = Double.parseDouble(args[3]);
        int n = model.inputCount();
        if (data.features() != n) {
            throw new IllegalArgumentException(args[1] + " has " + data.features() + " features, the model " + n);
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("rows1.json"), body(data, 1), StandardCharsets.UTF_8);
        String rows64 = body(data, 64);
        Files.writeString(out.resolve("rows64.json"), rows64, StandardCharsets.UTF_8);
        compareParsers(rows64, n);

        float[] x = new float[BATCH * n];
        System.arraycopy(data.features, 0, x, 0, Math.min(x.length, data.features.length));
        rowsPerSecond(model, x, 1, Math.min(2, seconds)); // warm-up
        for (int threads = 1; threads <= 2; threads++) {
            System.out.printf(Locale.ROOT, "in-process batch-%d, %d thread%s: %.0f rows/s%n", BATCH, threads,
                    threads == 1 ? "" : "s", rowsPerSecond(model, x, threads, seconds));
        }
    }

    /**
     * Time to read one 64-row body with the server's {@link PredictRequestReader} and with the generic
     * {@link Json#parse} (then converted to floats), in alternating rounds; prints the medians and their ratio.
     */
    private static void compareParsers(String body, int width) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int rounds = 15;
        double[] reader = new double[rounds];
        double[] generic = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            reader[round] = microsPerCall(() -> PredictRequestReader.read(bytes, bytes.length, width));
            generic[round] = microsPerCall(() -> genericRead(new String(bytes, StandardCharsets.UTF_8), width));
        }
        Arrays.sort(reader);
        Arrays.sort(generic);
        System.out.printf(Locale.ROOT, "reading a 64-row body (%d KB): PredictRequestReader %.0f us, Json.parse %.0f us"
                + " (%.1fx)%n", bytes.length / 1024, reader[rounds / 2], generic[rounds / 2],
                generic[rounds / 2] / reader[rounds / 2]);
    }

    private static float[] genericRead(String text, int width) throws Exception {
        List<?> rows = (List<?>) ((Map<?, ?>) Json.parse(text)).get("rows");
        float[] x = new float[rows.size() * width];
        int i = 0;
        for (Object row : rows) {
            for (Object v : (List<?>) row) {
                x[i++] = ((Number) v).floatValue();
            }
        }
        return x;
    }

    private interface Call {
        Object run() throws Exception;
    }

    /** Mean microseconds per call over about 100 ms. */
    private static double microsPerCall(Call call) throws Exception {
        long begin = System.nanoTime();
        int calls = 0;
        Object sink = null;
        while (System.nanoTime() - begin < 100_000_000L) {
            sink = call.run();
            calls++;
        }
        if (sink == null) {
            throw new IllegalStateException("no result");
        }
        return (System.nanoTime() - begin) / 1e3 / calls;
    }

    /** {"rows": [...]} with the first {@code rows} rows, each value as Float.toString writes it. */
    private static String body(Dataset data, int rows) {
        StringBuilder sb = new StringBuilder("{\"rows\": [");
        for (int r = 0; r < rows; r++) {
            sb.append(r > 0 ? ", [" : "[");
            for (int f = 0; f < data.features(); f++) {
                sb.append(f > 0 ? ", " : "").append(data.features[r * data.features() + f]);
            }
            sb.append(']');
        }
        return sb.append("]}").toString();
    }

    /** Rows per second of {@code threads} threads predicting batches of 256 for {@code seconds}. */
    private static double rowsPerSecond(UgmmModel model, float[] x, int threads, double seconds) throws Exception {
        LongAdder rows = new LongAdder();
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        long[] window = new long[2];
        List<Thread> workers = new ArrayList<>();
        long deadlineNanos = (long) (seconds * 1e9);
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                Predictor predictor = model.newPredictor(BATCH);
                float[] probabilities = new float[BATCH * model.classCount()];
                int[] classes = new int[BATCH];
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                long begin = System.nanoTime();
                while (System.nanoTime() - begin < deadlineNanos) {
                    predictor.predict(x, 0, BATCH, probabilities, classes);
                    rows.add(BATCH);
                }
            });
            workers.add(worker);
            worker.start();
        }
        start.await();
        window[0] = System.nanoTime();
        for (Thread worker : workers) {
            worker.join();
        }
        window[1] = System.nanoTime();
        return rows.sum() / ((window[1] - window[0]) * 1e-9);
    }
}
