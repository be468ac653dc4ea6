package io.ugmm.spark;

import io.ugmm.model.UgmmModel;
import io.ugmm.model.gmm.CovarianceType;
import io.ugmm.model.gmm.GaussianMixture;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.ugmm.spark.IrisModels.IRIS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Stages saved with Spark ML persistence by ugmm-spark 0.1.0-SNAPSHOT (in {@code src/test/resources/.../saved-0.1.0},
 * written before the transformers shared one base class) still load, with their parameters and data.
 */
class SavedStagesLoadTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
    }

    private static String saved(String stage) throws URISyntaxException {
        return Path.of(SavedStagesLoadTest.class.getResource("saved-0.1.0/" + stage).toURI()).toString();
    }

    /** Iris as (id, measurements). */
    private static Dataset<Row> iris() {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < IRIS.rows(); r++) {
            float[] x = IRIS.row(r);
            rows.add(RowFactory.create(r, Vectors.dense(x[0], x[1], x[2], x[3])));
        }
        StructType schema = new StructType().add("id", "int").add("measurements", SQLDataTypes.VectorType());
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2),
                schema);
    }

    @Test
    void aSavedTransformerLoadsWithItsParametersAndModel() throws Exception {
        UgmmTransformer t = UgmmTransformer.load(saved("transformer"));
        assertEquals("ugmm_f251785fa460", t.uid());
        assertEquals("measurements", t.getFeaturesCol());
        assertEquals("label_hat", t.getPredictionCol());
        assertEquals("probability", t.getProbabilityCol());
        assertEquals("", t.getClassCol());
        assertEquals("keep", t.getHandleInvalid());
        assertEquals(32, t.getBatchSize());
        UgmmModel model = t.model();
        assertEquals(IRIS.classNames(), model.classNames());
        List<Row> scored = t.transform(iris()).orderBy("id").collectAsList();
        assertEquals(List.of("id", "measurements", "label_hat", "probability"), Arrays.asList(scored.get(0).schema()
                .fieldNames()));
        int right = 0;
        for (Row row : scored) {
            int id = row.getInt(0);
            assertEquals(model.predict(IRIS.row(id)).classIndex(), row.getDouble(2), "row " + id);
            right += (int) row.getDouble(2) == IRIS.label(id) ? 1 : 0;
        }
        assertTrue(right >= 135, right + " of 150 right");
    }

    @Test
    void aSavedMixtureModelLoadsWithItsParametersAndMixture() throws Exception {
        UgmmGaussianMixtureModel m = UgmmGaussianMixtureModel.load(saved("gmm-model"));
        assertEquals("ugmmGmm_ed2ded18a106", m.uid());
        assertEquals("keep", m.getHandleInvalid());
        assertEquals("logDensity", m.getLogDensityCol());
        assertEquals("", m.getProbabilityCol());
        assertEquals(2L, m.metadata().seed().getAsLong());
        GaussianMixture mixture = m.mixture();
        assertEquals(3, mixture.components());
        List<Row> scored = m.setFeaturesCol("measurements").transform(iris()).orderBy("id").collectAsList();
        assertEquals(List.of("id", "measurements", "prediction", "logDensity"),
                Arrays.asList(scored.get(0).schema().fieldNames()));
        for (Row row : scored) {
            float[] x = IRIS.row(row.getInt(0));
            assertEquals(mixture.predict(x, 1)[0], row.getInt(2));
            assertEquals(mixture.scoreSamples(x, 1)[0], row.getDouble(3));
        }
    }

    @Test
    void savedEstimatorsLoadWithTheirParametersAndInitialModel() throws Exception {
        UgmmGaussianMixture warm = UgmmGaussianMixture.load(saved("gmm-estimator"));
        assertEquals("ugmmGaussianMixture_affc09548da6", warm.uid());
        assertEquals("measurements", warm.getOrDefault(warm.featuresCol()));
        assertEquals(3, warm.getOrDefault(warm.maxIter()));
        GaussianMixture start = warm.config().initialModel().orElseThrow();
        assertEquals(CovarianceType.TIED, start.covarianceType());
        assertEquals(3, start.components());
        assertEquals("tied", warm.getOrDefault(warm.covarianceType()));
        assertEquals(3, warm.getOrDefault(warm.k()));
        assertEquals(3, warm.fit(iris()).mixture().iterations());

        UgmmGaussianMixture plain = UgmmGaussianMixture.load(saved("gmm-estimator-plain"));
        assertNull(plain.initialModelBytes());
        assertEquals(4, plain.getOrDefault(plain.k()));
        assertEquals("diag", plain.getOrDefault(plain.covarianceType()));
        assertEquals(9L, plain.getOrDefault(plain.seed()));
        assertNotNull(plain.config());
    }
}
