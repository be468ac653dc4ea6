package io.ugmm.model;

import io.ugmm.model.io.ModelFileException;
import io.ugmm.model.io.ModelFiles;
import io.ugmm.model.io.ModelMetadata;
import io.ugmm.model.train.Loss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UgmmModelTest {
    private static final List<String> IRIS_CLASSES = List.of("setosa", "versicolor", "virginica");
    private static final List<String> IRIS_INPUTS = List.of("sepal_length", "sepal_width", "petal_length",
            "petal_width");
    private static final double[] MEAN = {5.8, 3.0, 3.8, 1.2};
    private static final double[] STD = {0.8, 0.4, 1.7, 0.75};

    /** An Iris-shaped generative model: 4 features + label -> 10 -> 5 -> 1, standardised, as ugmm train records it. */
    static UgmmModel generative() {
        UgmmNetwork net = UgmmNetwork.builder(5).layer(10).layer(5).layer(1).seed(7).build();
        return UgmmModel.builder(net).loss(Loss.NEGATIVE_LOG_LIKELIHOOD).classNames(IRIS_CLASSES)
                .inputNames(IRIS_INPUTS).labelName("species")
                .standardization(FeatureStandardization.of(MEAN, STD))
                .metadata(ModelMetadata.empty().withDataset("iris").withSeed(42)).build();
    }

    static UgmmModel classifier() {
        UgmmNetwork net = UgmmNetwork.builder(4).layer(6).layer(3).seed(9).build();
        return UgmmModel.builder(net).loss(Loss.CROSS_ENTROPY).classNames(IRIS_CLASSES)
                .standardization(FeatureStandardization.of(MEAN, STD)).build();
    }

    /** Raw Iris-like rows in cm. */
    static float[] rows(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * 4];
        for (int e = 0; e < x.length; e++) {
            x[e] = (float) (MEAN[e % 4] + STD[e % 4] * (random.nextDouble() * 4 - 2));
        }
        return x;
    }

    /** What ugmm predict did before UgmmModel: (x - mean) / std per feature in double, then forward or MPE. */
    private static float[] standardisedByHand(float[] x, int rows) {
        float[] z = new float[x.length];
        for (int e = 0; e < x.length; e++) {
            z[e] = (float) ((x[e] - MEAN[e % 4]) * (1 / STD[e % 4]));
        }
        return z;
    }

    @Test
    void aGenerativeModelClassifiesByMpeOverTheLabelOnStandardisedFeatures() {
        UgmmModel model = generative();
        int rows = 300;
        float[] x = rows(rows, 1);
        float[] z = standardisedByHand(x, rows);
        float[] withLabel = new float[rows * 5];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(z, r * 4, withLabel, r * 5, 4);
        }
        int[] expected = Inference.mpe(model.network(), withLabel, rows, 4, 3);
        float[] expectedScores = Inference.stateLogDensities(model.network(), withLabel, rows, 4, 3);
        Predictor predictor = model.newPredictor(rows);
        int[] classes = new int[rows];
        float[] probabilities = new float[rows * 3];
        float[] scores = new float[rows * 3];
        predictor.predict(x, 0, rows, scores, probabilities, classes);
        assertArrayEquals(expected, classes);
        assertArrayEquals(expectedScores, scores);
        for (int r = 0; r < rows; r++) {
            Prediction p = model.predict(java.util.Arrays.copyOfRange(x, r * 4, r * 4 + 4));
            assertEquals(expected[r], p.classIndex());
            assertEquals(IRIS_CLASSES.get(expected[r]), p.className());
            assertArrayEquals(java.util.Arrays.copyOfRange(probabilities, r * 3, r * 3 + 3), p.probabilities());
            assertSumsToOne(p.probabilities());
            // the posterior is the softmax of the per-label log-densities
            double max = Math.max(scores[r * 3], Math.max(scores[r * 3 + 1], scores[r * 3 + 2]));
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += Math.exp(scores[r * 3 + c] - max);
            }
            for (int c = 0; c < 3; c++) {
                assertEquals(Math.exp(scores[r * 3 + c] - max) / sum, p.probability(c), 1e-6);
            }
        }
        assertTrue(model.generative());
        assertEquals(4, model.inputCount());
        assertEquals(IRIS_INPUTS, model.inputNames());
        assertEquals(Loss.NEGATIVE_LOG_LIKELIHOOD, model.loss());
    }

    @Test
    void aClassifierGivesTheArgmaxAndTheSoftmaxOfTheRoot() {
        UgmmModel model = classifier();
        int rows = 200;
        float[] x = rows(rows, 2);
        float[] expectedScores = model.network().forwardBatch(standardisedByHand(x, rows), rows);
        for (int r = 0; r < rows; r++) {
            Prediction p = model.predict(java.util.Arrays.copyOfRange(x, r * 4, r * 4 + 4));
            float[] root = java.util.Arrays.copyOfRange(expectedScores, r * 3, r * 3 + 3);
            assertArrayEquals(root, p.logScores());
            assertEquals(UgmmNetwork.argmax(root, 0, 3), p.classIndex());
            assertSumsToOne(p.probabilities());
            assertFalse(p.outOfRange());
            assertFalse(p.noFiniteScore());
        }
        assertFalse(model.generative());
        assertEquals(List.of("x0", "x1", "x2", "x3"), model.inputNames());
    }

    private static void assertSumsToOne(float[] p) {
        double sum = 0;
        for (float v : p) {
            assertTrue(v >= 0 && v <= 1, "probability " + v);
            sum += v;
        }
        assertEquals(1, sum, 1e-5);
    }

    @Test
    void saveAndLoadKeepEverythingAndPredictTheSame(@TempDir Path dir) throws IOException {
        UgmmModel model = generative();
        Path file = dir.resolve("iris.safetensors");
        model.save(file);
        float[] x = rows(50, 3);
        UgmmModel fromFile = UgmmModel.load(file);
        UgmmModel fromBytes = UgmmModel.fromBytes(model.toBytes());
        UgmmModel fromStream;
        try (InputStream in = Files.newInputStream(file)) {
            fromStream = UgmmModel.load(in);
        }
        for (UgmmModel loaded : List.of(fromFile, fromBytes, fromStream)) {
            assertEquals(model.metadata().without(ModelMetadata.FORMAT).without(ModelMetadata.FORMAT_VERSION)
                    .without(ModelMetadata.ARCHITECTURE), loaded.metadata().without(ModelMetadata.FORMAT)
                    .without(ModelMetadata.FORMAT_VERSION).without(ModelMetadata.ARCHITECTURE));
            assertEquals(IRIS_CLASSES, loaded.classNames());
            assertEquals(IRIS_INPUTS, loaded.inputNames());
            assertEquals("species", loaded.labelName().orElseThrow());
            assertEquals(model.standardization(), loaded.standardization());
            assertEquals("iris", loaded.metadata().dataset().orElseThrow());
            for (int r = 0; r < 50; r++) {
                float[] row = java.util.Arrays.copyOfRange(x, r * 4, r * 4 + 4);
                assertArrayEquals(model.predict(row).logScores(), loaded.predict(row).logScores());
            }
        }
    }

    @Test
    void aFileWrittenBeforeUgmmModelLoadsWithItsPreprocessing() throws IOException {
        // the keys ugmm train wrote before input names and ranges were recorded
        UgmmNetwork net = UgmmNetwork.builder(5).layer(4).layer(1).seed(3).build();
        ModelMetadata old = ModelMetadata.empty().withDataset("iris").with("loss", "nll").with("classes", 3L)
                .with("class_names", "setosa\nversicolor\nvirginica").with("standardize_mean", "5.8,3.0,3.8,1.2")
                .with("standardize_std", "0.8,0.4,1.7,0.75").with("test_fraction", 0.2);
        UgmmModel model = UgmmModel.fromBytes(ModelFiles.toBytes(net, old));
        assertTrue(model.generative());
        assertEquals(3, model.classCount());
        assertEquals(List.of("x0", "x1", "x2", "x3"), model.inputNames());
        float[] row = {5.1f, 3.5f, 1.4f, 0.2f};
        float[] z = standardisedByHand(row, 1);
        float[] withLabel = java.util.Arrays.copyOf(z, 5);
        assertEquals(Inference.mpe(net, withLabel, 1, 4, 3)[0], model.predict(row).classIndex());
    }

    @Test
    void aPyTorchExportWithoutMetadataUsesItsInputsAsGiven() throws IOException {
        Path file = Path.of("src/test/resources/io/ugmm/model/io/reference/reference-6-5-4-3.safetensors");
        UgmmModel model = UgmmModel.load(file);
        assertFalse(model.generative());
        assertEquals(6, model.inputCount());
        assertEquals(List.of("class_0", "class_1", "class_2"), model.classNames());
        assertFalse(model.classNamesRecorded());
        float[] row = {1.4f, 0.16f, -1.79f, 0.86f, 1.4f, -0.68f};
        Prediction p = model.predict(row);
        assertArrayEquals(model.network().forward(row), p.logScores());
        assertEquals("class_" + p.classIndex(), p.className());
        assertSumsToOne(p.probabilities());
    }

    @Test
    void badInputIsOneClearException() {
        UgmmModel model = generative();
        IllegalArgumentException wrongWidth = assertThrows(IllegalArgumentException.class,
                () -> model.predict(new float[5]));
        assertEquals("expected 4 features (sepal_length, sepal_width, petal_length, petal_width), found 5",
                wrongWidth.getMessage());
        InvalidFeatureException nan = assertThrows(InvalidFeatureException.class,
                () -> model.predict(new float[]{5f, Float.NaN, 1f, 1f}));
        assertEquals("row 0, feature 1 (sepal_width) is NaN; features must be finite", nan.getMessage());
        assertEquals(1, nan.feature());

        UgmmModel steep = UgmmModel.builder(UgmmNetwork.builder(2).layer(2).seed(1).build())
                .standardization(FeatureStandardization.of(new double[]{0, 0}, new double[]{1e-30, 1})).build();
        InvalidFeatureException overflow = assertThrows(InvalidFeatureException.class,
                () -> steep.predict(new float[]{3e38f, 0}));
        assertTrue(overflow.getMessage().startsWith("row 0, feature 0 (x0) is 3.0E38; standardised with the training"
                + " mean 0.0 and std 1.0E-30 it is beyond the float range"), overflow.getMessage());
    }

    @Test
    void aFileThatIsNotAModelIsOneModelFileException(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("notes.safetensors");
        Files.writeString(text, "sepal_length,sepal_width\n5.1,3.5\n");
        ModelFileException e = assertThrows(ModelFileException.class, () -> UgmmModel.load(text));
        assertTrue(e.getMessage().startsWith(text + ": "), e.getMessage());
        assertThrows(ModelFileException.class, () -> UgmmModel.load(
                new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8))));
        ModelFileException missing = assertThrows(ModelFileException.class,
                () -> UgmmModel.load(dir.resolve("absent.safetensors")));
        assertTrue(missing.getMessage().contains("absent.safetensors"), missing.getMessage());
    }

    @Test
    void aModelWithAMissingPreprocessingFieldIsRefusedByName() {
        UgmmNetwork net = UgmmNetwork.builder(5).layer(1).seed(3).build();
        ModelMetadata complete = ModelMetadata.empty().with("loss", "nll").with("classes", 3L)
                .with("standardize_mean", "5.8,3.0,3.8,1.2").with("standardize_std", "0.8,0.4,1.7,0.75");
        ModelFileException noStd = assertThrows(ModelFileException.class,
                () -> UgmmModel.fromBytes(ModelFiles.toBytes(net, complete.without("standardize_std")), "m.st"));
        assertEquals("m.st: model metadata has 'standardize_mean' but no 'standardize_std'; the preprocessing"
                + " record is incomplete", noStd.getMessage());
        ModelFileException noClasses = assertThrows(ModelFileException.class,
                () -> UgmmModel.fromBytes(ModelFiles.toBytes(net, complete.without("classes")), "m.st"));
        assertEquals("m.st: model metadata has no 'classes' (the label states to try by MPE); the file is incomplete",
                noClasses.getMessage());
        ModelFileException shortMean = assertThrows(ModelFileException.class,
                () -> UgmmModel.fromBytes(ModelFiles.toBytes(net, complete.with("standardize_mean", "1,2")), "m.st"));
        assertEquals("m.st: model metadata 'standardize_mean' has 2 values but the model takes 4 features",
                shortMean.getMessage());
        ModelFileException badLoss = assertThrows(ModelFileException.class,
                () -> UgmmModel.fromBytes(ModelFiles.toBytes(net, complete.with("loss", "mse")), "m.st"));
        assertEquals("m.st: model metadata loss is 'mse'; expected ce or nll", badLoss.getMessage());
    }

    @Test
    void rowsFarOutsideTheTrainingRangeAreFlagged() {
        UgmmNetwork net = UgmmNetwork.builder(2).layer(3).seed(5).build();
        float[] train = {0f, 0f, 1f, 1f, 0.5f, 0.2f};
        UgmmModel model = UgmmModel.builder(net).trainingRange(train, 3).build();
        assertFalse(model.predict(new float[]{0.9f, 1.5f}).outOfRange());
        assertTrue(model.predict(new float[]{255f, 0f}).outOfRange());
        assertTrue(model.predict(new float[]{0f, -1.5f}).outOfRange());
        // without a recorded range, ten standard deviations from the mean
        UgmmModel standardised = classifier();
        assertFalse(standardised.predict(new float[]{5.8f, 3f, 3.8f, 1.2f}).outOfRange());
        assertTrue(standardised.predict(new float[]{58f, 3f, 3.8f, 1.2f}).outOfRange());
    }

    @Test
    void aRowWithNoFiniteScoreIsFlaggedNotGivenClassZero() {
        // sigma = e^-30: an input 1e10 away squares past the float range, so every class scores -inf
        float[] mu = {0, 0};
        float[] logStd = {-30, -30};
        float[] k = {0, 0};
        UgmmModel model = UgmmModel.builder(UgmmNetwork.of(List.of(UgmmLayer.of(1, 2, mu, logStd, k)))).build();
        Prediction p = model.predict(new float[]{1e10f});
        assertTrue(p.noFiniteScore());
        assertEquals(-1, p.classIndex());
        assertNull(p.className());
        assertTrue(Float.isNaN(p.probability(0)));
        Predictor predictor = model.newPredictor(2);
        int[] classes = new int[2];
        assertEquals(1, predictor.predict(new float[]{0f, 1e10f}, 0, 2, null, classes));
        assertFalse(predictor.noFiniteScore(0));
        assertTrue(predictor.noFiniteScore(1));
        assertEquals(-1, classes[1]);
    }

    @Test
    void aPredictorRefusesAnotherThread() throws Exception {
        Predictor predictor = classifier().newPredictor(4);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                predictor.predict(new float[]{5f, 3f, 4f, 1f});
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "other-thread");
        other.start();
        other.join();
        assertTrue(thrown.get() instanceof IllegalStateException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("'other-thread'"), thrown.get().getMessage());
    }

    @Test
    void aWorkspaceInUseIsRefusedToASecondCaller() {
        UgmmNetwork net = UgmmNetwork.builder(4).layer(3).seed(1).build();
        Workspace ws = net.newWorkspace(2);
        ws.enter(); // as if another thread were inside forward
        assertThrows(ConcurrentModificationException.class,
                () -> net.forward(new float[4], 0, 1, new float[3], 0, ws));
        ws.exit();
        net.forward(new float[4], 0, 1, new float[3], 0, ws);
    }

    @Test
    void twoThreadsSharingOneWorkspaceAreRefusedNeverGivenWrongOutputs() throws Exception {
        UgmmNetwork net = UgmmNetwork.builder(784).layer(32).layer(10).seed(3).build();
        Workspace shared = net.newWorkspace(8);
        float[][] inputs = {rows(8 * 196, 5), rows(8 * 196, 6)}; // 8 rows of 784 each
        float[][] expected = {net.forwardBatch(inputs[0], 8), net.forwardBatch(inputs[1], 8)};
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> both = new java.util.ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int mine = t;
                both.add(pool.submit(() -> {
                    float[] out = new float[80];
                    for (int i = 0; i < 300; i++) {
                        try {
                            net.forward(inputs[mine], 0, 8, out, 0, shared);
                            if (!java.util.Arrays.equals(out, expected[mine])) {
                                wrong.incrementAndGet();
                            }
                        } catch (ConcurrentModificationException e) {
                            refused.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : both) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, wrong.get(), "outputs silently mixed (" + refused.get() + " calls refused)");
    }

    @Test
    void oneModelOnManyThreadsGivesTheSameAnswersAsOneThread() throws Exception {
        UgmmModel model = generative();
        int rows = 256;
        float[] x = rows(rows, 4);
        int[] expected = new int[rows];
        model.newPredictor(rows).predict(x, 0, rows, null, expected);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    Predictor mine = model.newPredictor(16);
                    int[] classes = new int[rows];
                    int[] chunk = new int[16];
                    for (int round = 0; round < 20; round++) {
                        for (int from = 0; from < rows; from += 16) {
                            mine.predict(x, from * 4, 16, null, chunk);
                            System.arraycopy(chunk, 0, classes, from, 16);
                        }
                    }
                    return classes;
                }));
            }
            for (Future<int[]> f : results) {
                assertArrayEquals(expected, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
