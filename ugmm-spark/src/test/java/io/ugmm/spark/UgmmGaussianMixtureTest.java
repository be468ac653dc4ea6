package io.ugmm.spark;

import io.ugmm.datasets.Datasets;
import io.ugmm.model.gmm.CovarianceType;
import io.ugmm.model.gmm.GaussianMixture;
import io.ugmm.model.gmm.GmmConfig;
import io.ugmm.model.gmm.InitMethod;
import io.ugmm.model.io.GmmFiles;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UgmmGaussianMixtureTest {
    private static SparkSession spark;
    /** Iris's four raw features, 150 rows. */
    private static float[] iris;
    private static final int ROWS = 150;
    private static final int DIMS = 4;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
        iris = Datasets.load("iris").train().features;
    }

    private static Vector vector(float[] x, int row, int dims) {
        double[] d = new double[dims];
        for (int i = 0; i < dims; i++) {
            d[i] = x[row * dims + i];
        }
        return Vectors.dense(d);
    }

    /** Rows as (id, features) over {@code partitions} partitions, in order. */
    private static Dataset<Row> frame(List<Row> rows, DataType featureType, int partitions) {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("features", featureType, true);
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rows, partitions), schema);
    }

    private static Dataset<Row> irisFrame(int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            rows.add(RowFactory.create(r, vector(iris, r, DIMS)));
        }
        return frame(rows, SQLDataTypes.VectorType(), partitions);
    }

    private static void assertClose(double[] expected, double[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relative * Math.max(1, Math.abs(expected[i])), what + " " + i);
        }
    }

    /** Float moments (diag, spherical) are summed in other groups of rows than in one JVM; double ones reordered. */
    private static double tolerance(CovarianceType type) {
        return type == CovarianceType.DIAG || type == CovarianceType.SPHERICAL ? 1e-6 : 1e-10;
    }

    private static void assertSameFit(GaussianMixture expected, GaussianMixture actual, CovarianceType type) {
        double t = tolerance(type);
        assertClose(expected.weights(), actual.weights(), t, "weight");
        assertClose(expected.means(), actual.means(), t, "mean");
        assertClose(expected.covariances(), actual.covariances(), t, "covariance");
        assertEquals(expected.lowerBound(), actual.lowerBound(), t, "lower bound");
        assertEquals(expected.iterations(), actual.iterations(), "iterations");
        assertEquals(expected.converged(), actual.converged(), "converged");
    }

    // ---------------------------------------------------------------- the fit equals one JVM's

    @ParameterizedTest
    @EnumSource(CovarianceType.class)
    void fromGivenParametersEachIterationIsTheSingleJvmOne(CovarianceType type) {
        // a start that is not a fixed point: one single-JVM iteration from k-means++ on a subset
        GaussianMixture start = GaussianMixture.fit(Arrays.copyOf(iris, 40 * DIMS), 40, DIMS,
                GmmConfig.builder(3).covarianceType(type).maxIter(1).seed(4).build());
        GmmConfig config = GmmConfig.builder(3).initialModel(start).covarianceType(type).maxIter(6).tol(0).build();
        GaussianMixture oneJvm = GaussianMixture.fit(iris, ROWS, DIMS, config);
        GaussianMixture spark = new UgmmGaussianMixture().setInitialModel(start).setMaxIter(6).setTol(0)
                .fit(irisFrame(3)).mixture();
        assertSameFit(oneJvm, spark, type);
        assertEquals(6, spark.iterations());
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG"})
    void theDefaultInitialisationStartsWhereTheSingleJvmFitDoes(CovarianceType type) {
        // all 150 rows fit in the driver's sample, so k-means++ sees the same rows and seeds; run to convergence
        GmmConfig config = GmmConfig.builder(3).covarianceType(type).nInit(2).seed(7).tol(1e-4).build();
        GaussianMixture oneJvm = GaussianMixture.fit(iris, ROWS, DIMS, config);
        UgmmGaussianMixtureModel model = new UgmmGaussianMixture().setK(3).setCovarianceType(type.label())
                .setNInit(2).setSeed(7).setTol(1e-4).fit(irisFrame(2));
        assertSameFit(oneJvm, model.mixture(), type);
        assertTrue(model.mixture().converged());
    }

    @Test
    void aTreeOfPartitionsMergesInAFixedOrder() {
        Dataset<Row> twelve = irisFrame(12).cache();
        UgmmGaussianMixture em = new UgmmGaussianMixture().setK(3).setCovarianceType("diag").setMaxIter(8).setTol(0)
                .setInit("random_from_data").setSeed(3);
        GaussianMixture first = em.fit(twelve).mixture();   // 12 partitions, depth 2: a level of 3 groups of 4
        GaussianMixture second = em.fit(twelve).mixture();
        assertArrayEquals(first.means(), second.means(), "the same bits every time");
        assertArrayEquals(first.covariances(), second.covariances());
        assertEquals(first.lowerBound(), second.lowerBound());
        GaussianMixture oneJvm = GaussianMixture.fit(iris, ROWS, DIMS, GmmConfig.builder(3)
                .covarianceType(CovarianceType.DIAG).maxIter(8).tol(0).init(InitMethod.RANDOM_FROM_DATA).seed(3).build());
        assertSameFit(oneJvm, first, CovarianceType.DIAG);
        assertSameFit(oneJvm, em.setAggregationDepth(1).fit(twelve).mixture(), CovarianceType.DIAG);
        twelve.unpersist();
    }

    @Test
    void aSampledInitialisationStillFits() {
        // 100 of 272 rows seed k-means++ on the driver; EM then runs on all of them
        float[] faithful = Datasets.load("faithful").train().features;
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 272; r++) {
            rows.add(RowFactory.create(r, vector(faithful, r, 2)));
        }
        GaussianMixture m = new UgmmGaussianMixture().setK(2).setInitSampleRows(100).setTol(1e-6)
                .fit(frame(rows, SQLDataTypes.VectorType(), 2)).mixture();
        assertTrue(m.converged());
        // the known maximum of Old Faithful with two full components
        assertEquals(-4.155382, m.score(faithful, 272), 1e-5);
    }

    // ---------------------------------------------------------------- the model scores as GaussianMixture does

    private static void assertScoresAsMixture(GaussianMixture mixture, Dataset<Row> scored) {
        List<Row> out = scored.orderBy("id").collectAsList();
        int[] predicted = mixture.predict(iris, ROWS);
        double[] proba = mixture.predictProba(iris, ROWS);
        double[] log = mixture.scoreSamples(iris, ROWS);
        int k = mixture.components();
        assertEquals(ROWS, out.size());
        for (int r = 0; r < ROWS; r++) {
            Row row = out.get(r);
            assertEquals(predicted[r], row.<Integer>getAs("prediction"), "row " + r);
            assertArrayEquals(Arrays.copyOfRange(proba, r * k, (r + 1) * k),
                    row.<Vector>getAs("probability").toArray(), "row " + r);
            assertEquals(log[r], row.<Double>getAs("logDensity"), "row " + r);
        }
    }

    @ParameterizedTest
    @EnumSource(value = CovarianceType.class, names = {"FULL", "DIAG"})
    void predictionsAreThoseOfGaussianMixtureForEveryRow(CovarianceType type) {
        GaussianMixture mixture = GaussianMixture.fit(iris, ROWS, DIMS,
                GmmConfig.builder(3).covarianceType(type).seed(1).build());
        UgmmGaussianMixtureModel model = UgmmGaussianMixtureModel.of(mixture, io.ugmm.model.io.ModelMetadata.empty())
                .setLogDensityCol("logDensity");
        assertScoresAsMixture(mixture, model.transform(irisFrame(3)));
        // array<double> features score the same; unasked outputs are left out
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            rows.add(RowFactory.create(r, seq(vector(iris, r, DIMS).toArray())));
        }
        Dataset<Row> onlyPrediction = model.copy(new org.apache.spark.ml.param.ParamMap()).setProbabilityCol("")
                .setLogDensityCol("").transform(frame(rows, DataTypes.createArrayType(DataTypes.DoubleType), 2));
        assertEquals(List.of("id", "features", "prediction"), Arrays.asList(onlyPrediction.columns()));
        List<Row> out = onlyPrediction.orderBy("id").collectAsList();
        int[] predicted = mixture.predict(iris, ROWS);
        for (int r = 0; r < ROWS; r++) {
            assertEquals(predicted[r], out.get(r).<Integer>getAs("prediction"));
        }
    }

    private static Object seq(double... values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
    }

    private static Object seqWithNull() {
        return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(1.0, null, 2.0, 3.0)).toList();
    }

    // ---------------------------------------------------------------- persistence

    @Test
    void aPipelineSavesLoadsAndItsGmmFileIsUgmmsOwn(@TempDir Path dir) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            rows.add(RowFactory.create(r, (double) iris[r * DIMS], (double) iris[r * DIMS + 1],
                    (double) iris[r * DIMS + 2], (double) iris[r * DIMS + 3]));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("a", DataTypes.DoubleType)
                .add("b", DataTypes.DoubleType).add("c", DataTypes.DoubleType).add("d", DataTypes.DoubleType);
        Dataset<Row> df = spark.createDataFrame(rows, schema);
        VectorAssembler assembler = new VectorAssembler().setInputCols(new String[] {"a", "b", "c", "d"})
                .setOutputCol("features");
        UgmmGaussianMixture em = new UgmmGaussianMixture().setK(3).setSeed(2).setLogDensityCol("logDensity");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {assembler, em});
        assertEquals(List.of("id", "a", "b", "c", "d", "features", "prediction", "probability", "logDensity"),
                Arrays.asList(pipeline.transformSchema(df.schema()).fieldNames()), "the schema a Pipeline checks");
        String unfitted = dir.resolve("pipeline").toString();
        pipeline.write().save(unfitted);
        PipelineModel fitted = Pipeline.load(unfitted).fit(df);
        UgmmGaussianMixtureModel model = (UgmmGaussianMixtureModel) fitted.stages()[1];
        assertScoresAsMixture(model.mixture(), fitted.transform(df));

        String saved = dir.resolve("model").toString();
        fitted.write().save(saved);
        PipelineModel loaded = PipelineModel.load(saved);
        assertScoresAsMixture(model.mixture(), loaded.transform(df));
        UgmmGaussianMixtureModel loadedModel = (UgmmGaussianMixtureModel) loaded.stages()[1];
        assertEquals("logDensity", loadedModel.getLogDensityCol());
        assertEquals(model.uid(), loadedModel.uid());

        // the stage's data is a gmm file as ugmm gmm predict reads it (GmmFiles.load), with EM's outcome
        Path gmm = dir.resolve("model/stages").toFile().listFiles((d, name) -> name.startsWith("1_"))[0].toPath()
                .resolve(StagePersistence.GMM_FILE);
        GaussianMixture file = GmmFiles.load(gmm).mixture();
        assertArrayEquals(model.mixture().means(), file.means());
        assertArrayEquals(model.mixture().covariances(), file.covariances());
        assertEquals(model.mixture().lowerBound(), file.lowerBound());
        assertEquals(model.mixture().iterations(), file.iterations());
    }

    @Test
    void anEstimatorWithAnInitialModelSavesAndLoads(@TempDir Path dir) throws Exception {
        GaussianMixture start = GaussianMixture.fit(iris, ROWS, DIMS,
                GmmConfig.builder(3).covarianceType(CovarianceType.TIED).maxIter(1).build());
        UgmmGaussianMixture em = new UgmmGaussianMixture().setInitialModel(start).setMaxIter(3).setTol(0);
        String path = dir.resolve("em").toString();
        em.write().save(path);
        UgmmGaussianMixture loaded = UgmmGaussianMixture.load(path);
        assertEquals("tied", loaded.getOrDefault(loaded.covarianceType()));
        assertArrayEquals(em.fit(irisFrame(2)).mixture().means(), loaded.fit(irisFrame(2)).mixture().means());
    }

    // ---------------------------------------------------------------- bad input

    private static String failure(Runnable r) {
        Exception e = assertThrows(Exception.class, r::run);
        StringBuilder messages = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause()) {
            messages.append(c.getMessage()).append('\n');
        }
        return messages.toString();
    }

    private static List<Row> irisRowsWith(int badRow, Object badFeatures) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 20; r++) {
            rows.add(RowFactory.create(r, r == badRow ? badFeatures : vector(iris, r, DIMS)));
        }
        return rows;
    }

    private static void assertFitFails(List<Row> rows, DataType type, String... expected) {
        String message = failure(() -> new UgmmGaussianMixture().setK(2).fit(frame(rows, type, 2)));
        for (String e : expected) {
            assertTrue(message.contains(e), "expected '" + e + "' in: " + message);
        }
    }

    @Test
    void badRowsFailTheFitNamingTheColumnRowAndWidth() {
        DataType vectors = SQLDataTypes.VectorType();
        assertFitFails(irisRowsWith(13, Vectors.dense(1, 2, 3)), vectors,
                "the features column 'features' in row 3 of partition 1 has 3 values; expected 4 finite numbers");
        assertFitFails(irisRowsWith(4, Vectors.dense(1, Double.NaN, 2, 3)), vectors,
                "the features column 'features' in row 4 of partition 0 has NaN at index 1 (x1)");
        assertFitFails(irisRowsWith(5, null), vectors, "the features column 'features' in row 5 of partition 0 is null");
        List<Row> arrays = new ArrayList<>();
        for (int r = 0; r < 20; r++) {
            arrays.add(RowFactory.create(r, r == 7 ? seqWithNull() : seq(vector(iris, r, DIMS).toArray())));
        }
        assertFitFails(arrays, DataTypes.createArrayType(DataTypes.DoubleType),
                "the features column 'features' in row 7 of partition 0 has a null at index 1 (x1)");
    }

    @Test
    void moreComponentsThanRowsOrAMissingColumnIsAClearError() {
        List<Row> five = irisRowsWith(-1, null).subList(0, 5);
        assertTrue(failure(() -> new UgmmGaussianMixture().setK(6).fit(frame(five, SQLDataTypes.VectorType(), 2)))
                .contains("the features column 'features' has 5 rows; 6 components need at least 6"));
        assertTrue(failure(() -> new UgmmGaussianMixture().setFeaturesCol("pixels").fit(irisFrame(2)))
                .contains("the features column 'pixels' is not in the input; its columns are id, features"));
        assertTrue(failure(() -> new UgmmGaussianMixture().setFeaturesCol("id").fit(irisFrame(2)))
                .contains("the features column 'id' must be an ML Vector or array<float|double>, found int"));
        assertTrue(failure(() -> new UgmmGaussianMixture().fit(frame(List.of(), SQLDataTypes.VectorType(), 2)))
                .contains("empty DataFrame (the features column 'features' has no value)"));
        GaussianMixture twoFeatures = GaussianMixture.of(CovarianceType.DIAG, new double[] {1},
                new double[] {0, 0}, new double[] {1, 1});
        assertTrue(failure(() -> new UgmmGaussianMixture().setInitialModel(twoFeatures).fit(irisFrame(2)))
                .contains("the initial model has 2 features, the features column 'features' 4"));
    }

    @Test
    void theModelFailsOnABadRowOrKeepsItWithNullOutputs() {
        GaussianMixture mixture = GaussianMixture.fit(iris, ROWS, DIMS, GmmConfig.builder(2).build());
        UgmmGaussianMixtureModel model = UgmmGaussianMixtureModel.of(mixture, io.ugmm.model.io.ModelMetadata.empty());
        Dataset<Row> bad = frame(irisRowsWith(13, Vectors.dense(1, 2, 3)), SQLDataTypes.VectorType(), 2);
        assertTrue(failure(() -> model.transform(bad).collectAsList()).contains(
                "the features column 'features' in row 3 of partition 1 has 3 values; expected 4 finite numbers"));
        List<Row> kept = model.setHandleInvalid("keep").setLogDensityCol("logDensity").transform(bad)
                .orderBy("id").collectAsList();
        assertNull(kept.get(13).get(2));
        assertNull(kept.get(13).get(3));
        assertNull(kept.get(13).get(4));
        assertEquals(mixture.predict(Arrays.copyOfRange(iris, 12 * DIMS, 13 * DIMS), 1)[0], kept.get(12).getInt(2));
    }
}
