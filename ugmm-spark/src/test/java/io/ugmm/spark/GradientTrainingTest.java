package io.ugmm.spark;

import io.ugmm.model.FeatureStandardization;
import io.ugmm.model.UgmmLayer;
import io.ugmm.model.UgmmModel;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.train.Gradients;
import io.ugmm.model.train.Loss;
import io.ugmm.model.train.Trainer;
import io.ugmm.model.train.TrainingConfig;
import io.ugmm.model.train.TrainingSet;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
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
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.ugmm.spark.IrisModels.IRIS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** UgmmClassifier's default strategy: each step's gradient summed over the partitions (GradientTraining). */
class GradientTrainingTest {
    private static SparkSession spark;
    private static JavaSparkContext context;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
        context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    /** Iris rows in a seeded random order; {@code order} receives the Iris row index of each. */
    private static List<Integer> shuffledIris() {
        List<Integer> order = new ArrayList<>();
        for (int r = 0; r < IRIS.rows(); r++) {
            order.add(r);
        }
        Collections.shuffle(order, new Random(1));
        return order;
    }

    private static Dataset<Row> iris(int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int r : shuffledIris()) {
            float[] x = IRIS.row(r);
            rows.add(RowFactory.create(Vectors.dense(x[0], x[1], x[2], x[3]), (double) IRIS.label(r)));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
                .add("label", DataTypes.DoubleType);
        return spark.createDataFrame(context.parallelize(rows, partitions), schema);
    }

    /** The shuffled Iris rows standardised with {@code s}, in the DataFrame's order. */
    private static float[] standardisedInFrameOrder(FeatureStandardization s) {
        List<Integer> order = shuffledIris();
        float[] z = new float[IRIS.rows() * 4];
        for (int i = 0; i < order.size(); i++) {
            System.arraycopy(IRIS.row(order.get(i)), 0, z, i * 4, 4);
        }
        s.applyInPlace(z, 0, IRIS.rows(), 4);
        return z;
    }

    private static int[] labelsInFrameOrder() {
        return shuffledIris().stream().mapToInt(IRIS::label).toArray();
    }

    private static UgmmClassifier classifier(int epochs, int batch) {
        return new UgmmClassifier().setHiddenLayers(8).setEpochs(epochs).setBatchSize(batch).setLearningRate(0.05)
                .setSeed(3).setClassNames(IRIS.classNames().toArray(new String[0]));
    }

    /** ugmm's Trainer on one thread, same start network, seed, batch and rate, on the same standardised rows. */
    private static UgmmNetwork oneJvm(UgmmModel trainedOnSpark, int epochs, int batch) {
        FeatureStandardization s = trainedOnSpark.standardization().orElseThrow();
        TrainingConfig config = TrainingConfig.builder().loss(Loss.CROSS_ENTROPY).epochs(epochs).batchSize(batch)
                .learningRate(0.05).seed(3).threads(1).build();
        return new Trainer(UgmmNetwork.builder(4).layer(8).layer(3).seed(3).build(), config)
                .fit(TrainingSet.of(standardisedInFrameOrder(s), IRIS.rows(), 4, labelsInFrameOrder()), null);
    }

    private static void assertSameParameters(UgmmNetwork expected, UgmmNetwork actual, float tolerance) {
        for (int l = 0; l < expected.layers().size(); l++) {
            UgmmLayer e = expected.layers().get(l);
            UgmmLayer a = actual.layers().get(l);
            assertArrayEquals(e.mu(), a.mu(), tolerance, "means of layer " + l);
            assertArrayEquals(e.logStd(), a.logStd(), tolerance, "log stds of layer " + l);
            assertArrayEquals(e.logits(), a.logits(), tolerance, "logits of layer " + l);
        }
    }

    @Test
    void theGradientSummedOverPartitionsIsTheWholeBatchGradient() {
        FeatureStandardization s = IrisModels.standardization();
        float[] z = standardisedInFrameOrder(s);
        int[] labels = labelsInFrameOrder();
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < IRIS.rows(); r++) {
            rows.add(RowFactory.create(Vectors.dense(z[4 * r], z[4 * r + 1], z[4 * r + 2], z[4 * r + 3]),
                    (double) labels[r]));
        }
        List<String> names = List.of("a", "b", "c", "d");
        JavaRDD<TrainingChunk> chunks = spark.createDataFrame(context.parallelize(rows, 3), new StructType()
                        .add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType))
                .toJavaRDD().mapPartitionsWithIndex((p, it) ->
                        List.of(TrainingChunk.read(p, it, names, "features", "label")).iterator(), true);
        UgmmNetwork network = UgmmNetwork.builder(4).layer(8).layer(3).seed(3).build();
        NetworkParameters parameters = NetworkParameters.of(network);
        // one step of the whole data (batch 150): three partitions' shares of 50 rows each
        StepGradient sum = FixedOrderTreeReduce.inGroupsOf(chunks.mapToPair(c -> new Tuple2<>(c.partition,
                c.stepGradient(parameters.network(), 1, 0, 150, 150, 150, 7))), StepGradient::plus,
                GradientTraining.FANOUT);
        assertEquals(150, sum.rows);
        Gradients whole = Gradients.compute(network, z, IRIS.rows(), labels, Loss.CROSS_ENTROPY, null);
        for (int l = 0; l < 2; l++) {
            int size = whole.mu(l).length;
            float[][] expected = {whole.mu(l), whole.logStd(l), whole.logits(l)};
            for (int block = 0; block < 3; block++) {
                float[] actual = java.util.Arrays.copyOfRange(sum.grads[l], block * size, (block + 1) * size);
                float scale = 0;
                for (float v : expected[block]) {
                    scale = Math.max(scale, Math.abs(v));
                }
                assertTrue(scale > 0);
                assertArrayEquals(expected[block], actual, 1e-5f * scale, "layer " + l + ", block " + block);
            }
        }
    }

    @Test
    void stepsOfTheWholeBatchOverThreePartitionsEqualOneJvmSteps() {
        // batch 150 = all of Iris: each epoch is one step, so both see the same rows at every step
        UgmmModel spark = classifier(5, 150).fit(iris(3)).model();
        assertSameParameters(oneJvm(spark, 5, 150), spark.network(), 1e-5f);
    }

    @Test
    void onOnePartitionItIsTheTrainerStepForStep() {
        // same shuffle stream, same batches, same gradient code, same Adam: equal to the last bit
        UgmmModel spark = classifier(3, 16).fit(iris(1)).model();
        assertSameParameters(oneJvm(spark, 3, 16), spark.network(), 0f);
    }

    @Test
    void reachesTheSingleJvmAccuracyAtEqualEpochsAndIsReproducible() {
        double single = accuracy(IrisModels.classifier()); // 4 -> 8 -> 3, 40 epochs, batch 16, rate 0.05
        double spark = accuracy(classifier(40, 16).fit(iris(3)).model());
        System.out.printf("Iris, 40 epochs: single JVM %.4f, Spark (3 partitions, gradient per step) %.4f%n",
                single, spark);
        assertTrue(single >= 0.9, "single-JVM accuracy " + single);
        assertTrue(spark >= single - 0.02, "Spark " + spark + " vs single JVM " + single);
        // bit for bit again (the tasks of 3 partitions finish in any order)
        assertSameParameters(classifier(4, 16).fit(iris(3)).model().network(),
                classifier(4, 16).fit(iris(3)).model().network(), 0f);
    }

    @Test
    void eachPartitionUsesEveryRowOnceAnEpochInBatchesOfTheGlobalSize() {
        long[] partitions = {37, 0, 101, 12};
        long total = 150;
        int batch = 16;
        int steps = (int) ((total + batch - 1) / batch);
        long[] next = new long[partitions.length];
        for (int step = 0; step < steps; step++) {
            long stepRows = 0;
            for (int p = 0; p < partitions.length; p++) {
                long[] range = TrainingChunk.share(partitions[p], step, batch, total);
                assertEquals(next[p], range[0], "partition " + p + " continues where it stopped");
                next[p] = range[1];
                stepRows += range[1] - range[0];
            }
            assertTrue(Math.abs(stepRows - Math.min(batch, total - (long) step * batch)) <= partitions.length,
                    "step " + step + " has " + stepRows + " rows");
        }
        assertArrayEquals(partitions, next);
        for (int step = 0; step < steps; step++) { // one partition: exactly the Trainer's batches
            assertArrayEquals(new long[] {step * 16L, Math.min(150, step * 16L + 16)},
                    TrainingChunk.share(150, step, 16, 150));
        }
    }

    @Test
    void theFixedOrderSumIsTheSameTreeOfSumsWhateverOrderTheSharesArriveIn() {
        Random random = new Random(5);
        List<StepGradient> shares = new ArrayList<>();
        for (int p = 0; p < 7; p++) {
            float[] g = new float[50];
            for (int e = 0; e < g.length; e++) {
                g[e] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6));
            }
            shares.add(p == 4 ? StepGradient.empty(p) : new StepGradient(p, new float[][] {g}, 10));
        }
        JavaPairRDD<Integer, StepGradient> rdd = context.parallelize(shares, 7).mapToPair(g -> new Tuple2<>(g.index, g));
        for (int fanout : new int[] {2, 3, 16}) { // three levels of shuffles, one, none
            StepGradient expected = tree(shares, fanout);
            for (int run = 0; run < 3; run++) {
                StepGradient sum = FixedOrderTreeReduce.inGroupsOf(rdd, StepGradient::plus, fanout);
                assertArrayEquals(expected.grads[0], sum.grads[0], 0f, "fan-out " + fanout);
                assertEquals(60, sum.rows);
            }
        }
    }

    /** The sum inGroupsOf specifies: consecutive groups of {@code fanout} summed in index order, level by level. */
    private static StepGradient tree(List<StepGradient> level, int fanout) {
        while (level.size() > fanout) {
            List<StepGradient> next = new ArrayList<>();
            for (int from = 0; from < level.size(); from += fanout) {
                next.add(inOrder(level.subList(from, Math.min(level.size(), from + fanout)), from / fanout));
            }
            level = next;
        }
        return inOrder(level, 0);
    }

    /** The shares (in index order) summed left to right, the sum at index {@code at}. */
    private static StepGradient inOrder(List<StepGradient> shares, int at) {
        StepGradient sum = StepGradient.empty(at);
        for (StepGradient g : shares) {
            sum = sum.plus(g, at);
        }
        return sum;
    }

    private static double accuracy(UgmmModel model) {
        int right = 0;
        for (int r = 0; r < IRIS.rows(); r++) {
            right += model.predict(IRIS.row(r)).classIndex() == IRIS.label(r) ? 1 : 0;
        }
        return right / (double) IRIS.rows();
    }
}
