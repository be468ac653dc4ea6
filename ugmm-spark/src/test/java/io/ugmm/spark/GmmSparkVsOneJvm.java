package io.ugmm.spark;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.Datasets;
import io.ugmm.datasets.Standardizer;
import io.ugmm.model.gmm.CovarianceType;
import io.ugmm.model.gmm.GaussianMixture;
import io.ugmm.model.gmm.GmmConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * Measurement, not a test (README "On a Spark cluster"): EM on Spark ({@link UgmmGaussianMixture}, local[2])
 * against {@link GaussianMixture#fit} in this JVM (what {@code ugmm gmm fit} runs, on all cores), on the same
 * rows with the same k-means++ start (the Spark side samples every row for its initialisation), one after the
 * other. Both timings include the initialisation; Spark's includes reading the rows from a cached DataFrame
 * (built first, not timed).
 * Arguments: dataset (fashion-mnist), K (10), covariance (diag), max iterations (20), tol (0),
 * standardise yes|no (yes), partitions (2).
 */
public final class GmmSparkVsOneJvm {
    private GmmSparkVsOneJvm() {
    }

    public static void main(String[] args) {
        String spec = arg(args, 0, "fashion-mnist");
        int k = Integer.parseInt(arg(args, 1, "10"));
        CovarianceType type = CovarianceType.parse(arg(args, 2, "diag"));
        int maxIter = Integer.parseInt(arg(args, 3, "20"));
        double tol = Double.parseDouble(arg(args, 4, "0"));
        boolean standardise = arg(args, 5, "yes").equals("yes");
        int partitions = Integer.parseInt(arg(args, 6, "2"));

        Dataset train = Datasets.load(spec).train();
        int rows = train.rows();
        int dims = train.features();
        float[] x = standardise ? Standardizer.fit(train).apply(train.features) : train.features;
        System.out.printf("%s, %s: %d rows x %d features%s, K = %d, %s, max %d iterations, tol %s, seed 0;"
                        + " %d cores%n", Runtime.version(), spec, rows, dims, standardise ? " standardised" : "", k,
                type.label(), maxIter, tol, Runtime.getRuntime().availableProcessors());

        GmmConfig config = GmmConfig.builder(k).covarianceType(type).maxIter(maxIter).tol(tol).seed(0).build();
        IterationClock oneClock = new IterationClock();
        GaussianMixture one = GaussianMixture.fit(x, rows, dims, config, oneClock);
        double oneSeconds = oneClock.total();
        report("one JVM (GaussianMixture.fit)", one, oneClock);

        // the estimator's INFO lines: the read, the initialisation and every iteration, timed
        org.apache.logging.log4j.core.config.Configurator.setLevel(UgmmGaussianMixture.class.getName(),
                org.apache.logging.log4j.Level.INFO);
        SparkSession spark = LocalSpark.session();
        // rows made on the executors from a broadcast copy, in order (range partitions), then cached: a
        // DataFrame made by parallelize would ship each partition's rows inside every task, every iteration
        org.apache.spark.broadcast.Broadcast<float[]> shared = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(x);
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType());
        org.apache.spark.sql.Dataset<Row> frame = spark.range(0, rows, 1, partitions).toDF("id")
                .map((org.apache.spark.api.java.function.MapFunction<Row, Row>) r -> {
                    int row = (int) r.getLong(0);
                    double[] v = new double[dims];
                    for (int d = 0; d < dims; d++) {
                        v[d] = shared.value()[row * dims + d];
                    }
                    return RowFactory.create(Vectors.dense(v));
                }, org.apache.spark.sql.Encoders.row(schema)).cache();
        frame.count();
        IterationClock sparkClock = new IterationClock();
        GaussianMixture onSpark = new UgmmGaussianMixture().setK(k).setCovarianceType(type.label()).setMaxIter(maxIter)
                .setTol(tol).setSeed(0).setInitSampleRows(rows).setListener(sparkClock).fit(frame).mixture();
        double sparkSeconds = sparkClock.total();
        report("Spark local[2], " + frame.rdd().getNumPartitions() + " partitions", onSpark, sparkClock);

        double worst = 0;
        double[] a = one.means();
        double[] b = onSpark.means();
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i])));
        }
        int[] pa = one.predict(x, rows);
        int[] pb = onSpark.predict(x, rows);
        int same = 0;
        for (int r = 0; r < rows; r++) {
            same += pa[r] == pb[r] ? 1 : 0;
        }
        System.out.printf("Spark / one JVM: total %.2fx, per iteration %.2fx; means differ by at most %.1e relative; the same component"
                + " for %d of %d rows%n", sparkSeconds / oneSeconds,
                sparkClock.perIteration() / oneClock.perIteration(), worst, same, rows);
        spark.stop();
    }

    /** When each iteration ended, from the start of the fit. */
    private static final class IterationClock implements io.ugmm.model.gmm.EmListener {
        private final long start = System.nanoTime();
        private final List<Long> ends = new ArrayList<>();

        @Override
        public void iteration(int run, int iteration, GaussianMixture model, double lowerBound) {
            ends.add(System.nanoTime());
        }

        double total() {
            return (ends.get(ends.size() - 1) - start) / 1e9;
        }

        /** Until the end of the first iteration: reading, initialisation and one iteration. */
        double first() {
            return (ends.get(0) - start) / 1e9;
        }

        /** Median time of an iteration after the first. */
        double perIteration() {
            List<Long> d = new ArrayList<>();
            for (int i = 1; i < ends.size(); i++) {
                d.add(ends.get(i) - ends.get(i - 1));
            }
            d.sort(null);
            return d.isEmpty() ? Double.NaN : d.get(d.size() / 2) / 1e9;
        }
    }

    private static void report(String what, GaussianMixture m, IterationClock clock) {
        System.out.printf("%-32s %2d iterations%s in %6.2f s: %.2f s to the end of the first, then %.3f s per"
                        + " iteration (median); lower bound %.6f%n", what, m.iterations(),
                m.converged() ? " (converged)" : "", clock.total(), clock.first(), clock.perIteration(), m.lowerBound());
    }

    private static String arg(String[] args, int i, String fallback) {
        return args.length > i ? args[i] : fallback;
    }
}
