package io.ugmm.spark;

import io.ugmm.model.Prediction;
import io.ugmm.model.UgmmModel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static io.ugmm.spark.IrisModels.IRIS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UgmmTransformerTest {
    private static SparkSession spark;
    private static UgmmModel classifier;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
        classifier = IrisModels.classifier();
    }

    /** The Iris rows as (id, features) with the features in the given form, over 3 partitions. */
    private static Dataset<Row> iris(DataType featureType, Function<float[], Object> form) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < IRIS.rows(); r++) {
            rows.add(RowFactory.create(r, form.apply(IRIS.row(r))));
        }
        return frame(rows, featureType);
    }

    private static Dataset<Row> frame(List<Row> rows, DataType featureType) {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("features", featureType, true);
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 3),
                schema);
    }

    private static Vector vector(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return Vectors.dense(d);
    }

    private static double[] doubles(float[] x) {
        return vector(x).toArray();
    }

    /** An array column's value as Spark's Row encoder takes it (a Scala Seq; may hold nulls). */
    private static Object seq(Double... values) {
        return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(values)).toList();
    }

    /** Every row's prediction, probabilities and class equal UgmmModel.predict's on the same features. */
    private static void assertSameAsModel(UgmmModel model, Dataset<Row> scored, String prediction,
                                          String probability, String className) {
        List<Row> rows = scored.orderBy("id").collectAsList();
        assertEquals(IRIS.rows(), rows.size());
        for (Row row : rows) {
            int id = row.getInt(row.fieldIndex("id"));
            Prediction expected = model.predict(IRIS.row(id));
            assertEquals(expected.classIndex(), row.getDouble(row.fieldIndex(prediction)), "row " + id);
            assertEquals(expected.className(), row.getString(row.fieldIndex(className)), "row " + id);
            double[] p = ((Vector) row.get(row.fieldIndex(probability))).toArray();
            float[] q = expected.probabilities();
            assertEquals(q.length, p.length);
            for (int c = 0; c < q.length; c++) {
                assertEquals(q[c], p[c], 1e-7, "row " + id + " class " + c);
            }
        }
    }

    @Test
    void predictionsEqualTheModelsForEveryRowWithVectorFeatures() {
        Dataset<Row> scored = UgmmTransformer.of(classifier).transform(iris(SQLDataTypes.VectorType(),
                UgmmTransformerTest::vector));
        assertEquals(List.of("id", "features", "prediction", "probability", "class"),
                Arrays.asList(scored.columns()));
        assertSameAsModel(classifier, scored, "prediction", "probability", "class");
        // and the model is a real classifier: it gets most of Iris right
        long right = scored.collectAsList().stream()
                .filter(r -> (int) r.getDouble(2) == IRIS.label(r.getInt(0))).count();
        assertTrue(right >= 135, right + " of 150 right");
    }

    @Test
    void arraysOfDoublesAndFloatsGiveTheSamePredictions() {
        UgmmTransformer t = UgmmTransformer.of(classifier).setBatchSize(7); // batches end mid-partition
        assertSameAsModel(classifier, t.transform(iris(DataTypes.createArrayType(DataTypes.DoubleType),
                UgmmTransformerTest::doubles)), "prediction", "probability", "class");
        assertSameAsModel(classifier, t.transform(iris(DataTypes.createArrayType(DataTypes.FloatType),
                float[]::clone)), "prediction", "probability", "class");
    }

    @Test
    void aGenerativeModelPredictsByMpeAsTheLibraryDoes() {
        UgmmModel generative = IrisModels.generative();
        assertSameAsModel(generative, UgmmTransformer.of(generative).transform(iris(SQLDataTypes.VectorType(),
                UgmmTransformerTest::vector)), "prediction", "probability", "class");
    }

    @Test
    void outputColumnsCanBeRenamedOrLeftOut() {
        Dataset<Row> scored = UgmmTransformer.of(classifier).setPredictionCol("label_hat").setProbabilityCol("")
                .setClassCol("species_hat").transform(iris(SQLDataTypes.VectorType(), UgmmTransformerTest::vector));
        assertEquals(List.of("id", "features", "label_hat", "species_hat"), Arrays.asList(scored.columns()));
    }

    @Test
    void aPipelineWithTheTransformerSavesAndLoads(@TempDir Path dir) throws Exception {
        List<Row> rows = new ArrayList<>();
        StructType schema = new StructType().add("id", DataTypes.IntegerType);
        for (String name : IRIS.featureNames()) {
            schema = schema.add(name, DataTypes.DoubleType);
        }
        for (int r = 0; r < IRIS.rows(); r++) {
            Object[] v = new Object[5];
            v[0] = r;
            for (int f = 0; f < 4; f++) {
                v[f + 1] = (double) IRIS.feature(r, f);
            }
            rows.add(RowFactory.create(v));
        }
        Dataset<Row> measurements = spark.createDataFrame(rows, schema);
        VectorAssembler assembler = new VectorAssembler().setInputCols(IRIS.featureNames().toArray(new String[0]))
                .setOutputCol("measurements");
        UgmmTransformer scorer = UgmmTransformer.of(classifier).setFeaturesCol("measurements")
                .setPredictionCol("label_hat").setBatchSize(32);
        PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {assembler, scorer}).fit(measurements);
        String path = dir.resolve("iris-pipeline").toString();
        fitted.write().save(path);

        PipelineModel loaded = PipelineModel.load(path);
        UgmmTransformer stage = (UgmmTransformer) loaded.stages()[1];
        assertEquals(scorer.uid(), stage.uid());
        assertEquals("measurements", stage.getFeaturesCol());
        assertEquals(32, stage.getBatchSize());
        assertArrayEquals(classifier.toBytes(), stage.model().toBytes());
        Dataset<Row> scored = loaded.transform(measurements);
        assertSameAsModel(classifier, scored, "label_hat", "probability", "class");
        assertEquals(fitted.transform(measurements).orderBy("id").collectAsList(),
                scored.orderBy("id").collectAsList());
    }

    @Test
    void theTransformerAloneSavesAndLoads(@TempDir Path dir) throws Exception {
        String path = dir.resolve("scorer").toString();
        UgmmTransformer.of(classifier).setHandleInvalid("keep").write().save(path);
        UgmmTransformer loaded = UgmmTransformer.load(path);
        assertEquals("keep", loaded.getHandleInvalid());
        assertSameAsModel(classifier, loaded.transform(iris(SQLDataTypes.VectorType(), UgmmTransformerTest::vector)),
                "prediction", "probability", "class");
    }

    // ---------------------------------------------------------------- bad input

    private static String failure(UgmmTransformer t, List<Row> rows, DataType type) {
        Exception e = assertThrows(Exception.class, () -> t.transform(frame(rows, type)).collectAsList());
        StringBuilder messages = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            messages.append(c.getMessage()).append('\n');
        }
        return messages.toString();
    }

    private static List<Row> goodRowsWith(Object badFeatures) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 20; r++) {
            rows.add(RowFactory.create(r, r == 13 ? badFeatures : vector(IRIS.row(r))));
        }
        return rows;
    }

    @Test
    void aVectorOfTheWrongWidthFailsNamingTheColumnAndTheWidth() {
        String message = failure(UgmmTransformer.of(classifier), goodRowsWith(Vectors.dense(1, 2, 3)),
                SQLDataTypes.VectorType());
        assertTrue(message.contains("the features column 'features' in row 0 of partition 2 has 3 values; expected 4 finite numbers"
                + " (sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm)"), message);
    }

    @Test
    void nullsAndNaNFailNamingTheFeature() {
        UgmmTransformer t = UgmmTransformer.of(classifier);
        assertTrue(failure(t, goodRowsWith(null), SQLDataTypes.VectorType())
                .contains("the features column 'features' in row 0 of partition 2 is null; expected 4"));
        String nan = failure(t, goodRowsWith(Vectors.dense(5, 3, Double.NaN, 1)), SQLDataTypes.VectorType());
        assertTrue(nan.contains("has NaN at index 2 (petal_length_cm); features must be finite; expected 4"), nan);
        List<Row> withNullElement = new ArrayList<>();
        withNullElement.add(RowFactory.create(0, seq(5.0, null, 1.0, 0.2)));
        String element = failure(t, withNullElement, DataTypes.createArrayType(DataTypes.DoubleType));
        assertTrue(element.contains("has a null at index 1 (sepal_width_cm)"), element);
        List<Row> huge = new ArrayList<>();
        huge.add(RowFactory.create(0, seq(5.0, 1e300, 1.0, 0.2)));
        String beyond = failure(t, huge, DataTypes.createArrayType(DataTypes.DoubleType));
        assertTrue(beyond.contains("has 1.0E300 at index 1 (sepal_width_cm), beyond the float range"), beyond);
    }

    @Test
    void aFeaturesColumnOfTheWrongTypeOrMissingIsRefusedBeforeAnyJob() {
        UgmmTransformer t = UgmmTransformer.of(classifier);
        Dataset<Row> text = frame(List.of(RowFactory.create(0, "5.1,3.5,1.4,0.2")), DataTypes.StringType);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.transform(text));
        assertEquals("the features column 'features' must be an ML Vector or array<float|double> of 4 values,"
                + " found string", e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> UgmmTransformer.of(classifier).setFeaturesCol("pixels").transform(text));
        assertTrue(missing.getMessage().startsWith("the features column 'pixels' is not in the input"),
                missing.getMessage());
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class,
                () -> UgmmTransformer.of(classifier).setPredictionCol("id")
                        .transform(iris(SQLDataTypes.VectorType(), UgmmTransformerTest::vector)));
        assertTrue(clash.getMessage().contains("'id' already exists"), clash.getMessage());
    }

    @Test
    void withKeepABadRowGetsNullOutputsAndTheOthersTheirPredictions() {
        List<Row> rows = goodRowsWith(Vectors.dense(5, 3, Double.NaN, 1));
        rows.add(RowFactory.create(20, null));
        rows.add(RowFactory.create(21, Vectors.dense(1, 2)));
        rows.add(RowFactory.create(22, Vectors.dense(5, 3e38, 1, 1))); // standardising overflows
        List<Row> scored = UgmmTransformer.of(classifier).setHandleInvalid("keep").setBatchSize(4)
                .transform(frame(rows, SQLDataTypes.VectorType())).orderBy("id").collectAsList();
        assertEquals(23, scored.size());
        for (Row row : scored) {
            int id = row.getInt(0);
            if (id == 13 || id >= 20) {
                assertNull(row.get(2), "row " + id);
                assertNull(row.get(3), "row " + id);
                assertNull(row.get(4), "row " + id);
            } else {
                Prediction expected = classifier.predict(IRIS.row(id));
                assertNotNull(row.get(2), "row " + id);
                assertEquals(expected.classIndex(), row.getDouble(2), "row " + id);
            }
        }
    }
}
