package io.ugmm.spark;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.FashionMnist;
import io.ugmm.datasets.LoadedDataset;
import io.ugmm.model.FeatureStandardization;
import io.ugmm.model.Predictor;
import io.ugmm.model.UgmmModel;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.train.Loss;
import io.ugmm.model.train.Trainer;
import io.ugmm.model.train.TrainingConfig;
import io.ugmm.model.train.TrainingSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * Measurement, not a test (README "On a Spark cluster"): on a Fashion-MNIST training subset, UgmmClassifier
 * in local[2] against ugmm's Trainer in one JVM (same network, epochs, batch, rate, seed; both on 2 cores),
 * test accuracy and time, UgmmClassifier with each strategy (gradient per step, per-epoch averaging); then
 * scoring an in-memory DataFrame with UgmmTransformer against a Predictor loop.
 * Arguments: training rows (default 10000, 0 for all 60,000), epochs (default 2).
 */
public final class SparkVsOneJvm {
    private SparkVsOneJvm() {
    }

    public static void main(String[] args) throws Exception {
        int asked = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        LoadedDataset fashion = FashionMnist.load();
        int rows = asked == 0 ? fashion.train().rows() : asked;
        Dataset train = fashion.train().subset(0, rows); // pixels in [0, 1] as loaded
        Dataset test = fashion.test().orElseThrow();
        System.out.printf("%s, Fashion-MNIST: first %d training rows, %d epochs, 784 -> 32 -> 10, batch 128, Adam 0.01,"
                + " min std 0.2, seed 42; accuracy on the 10,000 test rows%n", Runtime.version(), rows, epochs);

        long t0 = System.nanoTime();
        FeatureStandardization s = FeatureStandardization.fit(train.features, rows, 784);
        float[] z = train.features.clone();
        s.applyInPlace(z, 0, rows, 784);
        TrainingConfig config = TrainingConfig.builder().loss(Loss.CROSS_ENTROPY).epochs(epochs).batchSize(128)
                .learningRate(0.01).minStd(0.2).seed(42).threads(2).build();
        UgmmNetwork net = new Trainer(UgmmNetwork.builder(784).layer(32).layer(10).seed(42).build(), config)
                .fit(TrainingSet.of(z, rows, 784, train.labels), null);
        UgmmModel single = UgmmModel.builder(net).loss(Loss.CROSS_ENTROPY).classCount(10).standardization(s).build();
        double singleSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("one JVM (Trainer, 2 threads):       %.2f %% in %.1f s%n", 100 * accuracy(single, test),
                singleSeconds);

        SparkSession spark = LocalSpark.session();
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Row> data = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            data.add(RowFactory.create(vector(train.row(r)), (double) train.label(r)));
        }
        // through a Parquet file, as users' data comes: a parallelize()d frame carries its rows in its
        // partitions, and so in every task of every step
        String file = System.getProperty("java.io.tmpdir") + "/ugmm-spark-vs-one-jvm-" + System.nanoTime() + ".parquet";
        spark.createDataFrame(context.parallelize(data, 2), new StructType().add("features", SQLDataTypes.VectorType())
                .add("label", DataTypes.DoubleType)).write().parquet(file);
        data.clear();
        org.apache.spark.sql.Dataset<Row> frame = spark.read().parquet(file);
        for (String strategy : new String[] {UgmmClassifier.GRADIENT, UgmmClassifier.AVERAGE}) {
            t0 = System.nanoTime();
            UgmmTransformer trained = new UgmmClassifier().setStrategy(strategy).setHiddenLayers(32).setEpochs(epochs)
                    .setBatchSize(128).setLearningRate(0.01).setMinStd(0.2).setSeed(42).fit(frame);
            double sparkSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("Spark local[2] (2 partitions, strategy %s): %.2f %% in %.1f s%n", strategy,
                    100 * accuracy(trained.model(), test), sparkSeconds);
        }

        // scoring: the test rows twice (20,000), in memory, against one Predictor on one thread
        List<Row> scoreRows = new ArrayList<>();
        for (int copy = 0; copy < 2; copy++) {
            for (int r = 0; r < test.rows(); r++) {
                scoreRows.add(RowFactory.create(vector(test.row(r))));
            }
        }
        org.apache.spark.sql.Dataset<Row> images = spark.createDataFrame(context.parallelize(scoreRows, 2),
                new StructType().add("features", SQLDataTypes.VectorType())).cache();
        images.count();
        UgmmTransformer scorer = UgmmTransformer.of(single);
        scorer.transform(images).write().format("noop").mode("overwrite").save(); // warm-up
        t0 = System.nanoTime();
        scorer.transform(images).write().format("noop").mode("overwrite").save();
        double transformSeconds = (System.nanoTime() - t0) / 1e9;
        Predictor predictor = single.newPredictor(256);
        float[] probabilities = new float[256 * 10];
        int[] classes = new int[256];
        float[] x = test.features;
        for (int warm = 0; warm < 2; warm++) {
            t0 = System.nanoTime();
            for (int copy = 0; copy < 2; copy++) {
                for (int from = 0; from < test.rows(); from += 256) {
                    int n = Math.min(256, test.rows() - from);
                    predictor.predict(x, from * 784, n, probabilities, classes);
                }
            }
        }
        double predictorSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("scoring 20,000 in-memory rows: UgmmTransformer local[2] %,.0f rows/s; Predictor, 1 thread"
                + " %,.0f rows/s%n", 20_000 / transformSeconds, 20_000 / predictorSeconds);
        spark.stop();
        try (java.util.stream.Stream<java.nio.file.Path> paths = java.nio.file.Files.walk(java.nio.file.Path.of(file))) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("could not delete " + file + ": " + e);
        }
    }

    private static org.apache.spark.ml.linalg.Vector vector(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return Vectors.dense(d);
    }

    private static double accuracy(UgmmModel model, Dataset test) {
        Predictor predictor = model.newPredictor(256);
        float[] probabilities = new float[256 * model.classCount()];
        int[] classes = new int[256];
        int right = 0;
        for (int from = 0; from < test.rows(); from += 256) {
            int n = Math.min(256, test.rows() - from);
            predictor.predict(test.features, from * test.features(), n, probabilities, classes);
            for (int r = 0; r < n; r++) {
                right += classes[r] == test.label(from + r) ? 1 : 0;
            }
        }
        return right / (double) test.rows();
    }
}
