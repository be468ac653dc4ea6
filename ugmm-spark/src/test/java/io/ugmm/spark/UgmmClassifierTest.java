package io.ugmm.spark;

import io.ugmm.model.UgmmModel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.ugmm.spark.IrisModels.IRIS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UgmmClassifierTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
    }

    /** Iris in a seeded random order (a file is rarely sorted by class) over {@code partitions} partitions. */
    private static Dataset<Row> iris(int partitions, double badLabel) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < IRIS.rows(); r++) {
            float[] x = IRIS.row(r);
            rows.add(RowFactory.create(Vectors.dense(x[0], x[1], x[2], x[3]),
                    r == 7 && !Double.isNaN(badLabel) ? badLabel : (double) IRIS.label(r)));
        }
        Collections.shuffle(rows, new Random(1));
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
                .add("label", DataTypes.DoubleType);
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rows, partitions), schema);
    }

    private static double accuracy(UgmmModel model) {
        int right = 0;
        for (int r = 0; r < IRIS.rows(); r++) {
            right += model.predict(IRIS.row(r)).classIndex() == IRIS.label(r) ? 1 : 0;
        }
        return right / (double) IRIS.rows();
    }

    @Test
    void averagingOverTwoPartitionsReachesTheSingleJvmAccuracyAtEqualEpochs() {
        // the same network (4 -> 8 -> 3, seed 3), epochs, batch and rate as IrisModels.classifier() in one JVM
        double single = accuracy(IrisModels.classifier());
        UgmmTransformer trained = new UgmmClassifier().setStrategy(UgmmClassifier.AVERAGE).setHiddenLayers(8)
                .setEpochs(40).setBatchSize(16).setLearningRate(0.05).setSeed(3).setClassNames(IRIS.classNames().toArray(new String[0]))
                .fit(iris(2, Double.NaN));
        UgmmModel model = trained.model();
        double spark = accuracy(model);
        assertTrue(single >= 0.9, "single-JVM accuracy " + single);
        assertTrue(spark >= single - 0.03, "Spark " + spark + " vs single JVM " + single);
        System.out.printf("Iris, 40 epochs: single JVM %.4f, Spark (2 partitions, model averaging) %.4f%n", single, spark);
        assertEquals(IRIS.classNames(), model.classNames());
        assertEquals("label", model.labelName().orElseThrow());
        // the standardisation is the whole data's, as one JVM measures it (merged from partitions: to rounding)
        assertArrayEquals(IrisModels.standardization().means(), model.standardization().orElseThrow().means(), 1e-12);
        assertArrayEquals(IrisModels.standardization().standardDeviations(),
                model.standardization().orElseThrow().standardDeviations(), 1e-12);
        // and the transformer it returns scores the DataFrame with that model
        long right = trained.transform(iris(2, Double.NaN)).collectAsList().stream()
                .filter(r -> r.getDouble(r.fieldIndex("prediction")) == r.getDouble(r.fieldIndex("label"))).count();
        assertEquals(Math.round(spark * IRIS.rows()), right);
    }

    @Test
    void aLabelThatIsNotAClassIndexIsRefused() {
        Exception e = assertThrows(Exception.class,
                () -> new UgmmClassifier().setEpochs(1).fit(iris(2, 1.5)));
        StringBuilder messages = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            messages.append(c.getMessage()).append('\n');
        }
        assertTrue(messages.toString().contains("the label column 'label' in row"), messages.toString());
        assertTrue(messages.toString().contains("is 1.5; expected a class index (0, 1, 2 and so on)"), messages.toString());
    }

    // ---------------------------------------------------------------- persistence

    /** A classifier with no parameter at its default. */
    private static UgmmClassifier configured() {
        return new UgmmClassifier().setHiddenLayers(6, 5).setEpochs(2).setBatchSize(32).setLearningRate(0.05)
                .setMinStd(0.01).setSeed(9).setClassNames("a", "b", "c").setFeaturesCol("measurements")
                .setLabelCol("species");
    }

    private static void assertSameParameters(UgmmClassifier expected, UgmmClassifier actual) {
        assertEquals(expected.uid(), actual.uid());
        assertEquals(expected.extractParamMap().size(), actual.extractParamMap().size());
        for (var p : expected.params()) {
            Object e = expected.getOrDefault(p);
            Object a = actual.getOrDefault(actual.getParam(p.name()));
            if (e instanceof int[] ints) {
                assertArrayEquals(ints, (int[]) a, p.name());
            } else if (e instanceof String[] strings) {
                assertArrayEquals(strings, (String[]) a, p.name());
            } else {
                assertEquals(e, a, p.name());
            }
            assertEquals(expected.isSet(p), actual.isSet(actual.getParam(p.name())), p.name() + " set");
        }
    }

    @Test
    void theClassifierSavesAndLoadsWithItsParametersAndTrainsTheSameModel(@TempDir Path dir) throws Exception {
        UgmmClassifier classifier = configured();
        String path = dir.resolve("classifier").toString();
        classifier.write().save(path);
        assertThrows(IOException.class, () -> classifier.write().save(path), "an existing path without overwrite");
        UgmmClassifier changed = configured().setStrategy(UgmmClassifier.AVERAGE).setEpochs(3);
        changed.write().overwrite().save(path);
        UgmmClassifier loaded = UgmmClassifier.load(path);
        assertEquals(UgmmClassifier.AVERAGE, loaded.getOrDefault(loaded.strategy()));
        assertSameParameters(changed, loaded);
        // a parameter left at its default stays a default (not set), so a later default change would reach it
        UgmmClassifier defaults = new UgmmClassifier();
        defaults.save(dir.resolve("defaults").toString());
        assertSameParameters(defaults, UgmmClassifier.load(dir.resolve("defaults").toString()));

        Dataset<Row> data = iris(2, Double.NaN).withColumnRenamed("features", "measurements")
                .withColumnRenamed("label", "species");
        UgmmModel fromOriginal = changed.fit(data).model();
        UgmmModel fromLoaded = loaded.fit(data).model();
        assertArrayEquals(fromOriginal.toBytes(), fromLoaded.toBytes());
        assertEquals(List.of("a", "b", "c"), fromLoaded.classNames());
    }

    @Test
    void anUnfittedPipelineWithTheClassifierSavesLoadsAndFits(@TempDir Path dir) throws Exception {
        SQLTransformer rename = new SQLTransformer()
                .setStatement("SELECT features AS measurements, label AS species FROM __THIS__");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {rename, configured()});
        String unfitted = dir.resolve("pipeline").toString();
        pipeline.write().save(unfitted);
        Pipeline loaded = Pipeline.load(unfitted);
        UgmmClassifier stage = assertInstanceOf(UgmmClassifier.class, loaded.getStages()[1]);
        assertSameParameters((UgmmClassifier) pipeline.getStages()[1], stage);

        Dataset<Row> data = iris(2, Double.NaN);
        PipelineModel fitted = loaded.fit(data);
        UgmmTransformer model = assertInstanceOf(UgmmTransformer.class, fitted.stages()[1]);
        assertArrayEquals(((UgmmClassifier) pipeline.getStages()[1]).fit(rename.transform(data)).model().toBytes(),
                model.model().toBytes());
        String saved = dir.resolve("fitted").toString();
        fitted.write().save(saved);
        List<Row> expected = fitted.transform(data).collectAsList(); // parallelize keeps the rows' order
        assertEquals(IRIS.rows(), expected.size());
        assertEquals(expected, PipelineModel.load(saved).transform(data).collectAsList());
    }
}
