package io.ugmm.spark;

import io.ugmm.model.UgmmModel;
import org.apache.spark.api.java.JavaSparkContext;
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

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.ugmm.spark.IrisModels.IRIS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
