package io.ugmm.model.mdn;

import io.ugmm.model.io.ModelFileException;
import io.ugmm.model.io.ModelMetadata;
import io.ugmm.model.io.SafetensorsFile;
import io.ugmm.model.io.SafetensorsReader;
import io.ugmm.model.io.SafetensorsWriter;
import io.ugmm.model.io.Tensor;
import io.ugmm.model.train.TrainingDivergedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixtureDensityNetworkTest {
    private static final Scaling IDENTITY = new Scaling(new float[]{0}, new float[]{1}, new float[]{0, 0},
            new float[]{1, 1});

    /**
     * A network without hidden layers whose head weights are 0: the mixture is its biases for every input.
     * Components: weights softmax(logits), means mu[k][d], log-stds s[k][d].
     */
    private static MixtureDensityNetwork constant(float[] logits, float[][] mu, float[][] logStd, float minStd,
                                                  Scaling scaling) {
        int k = logits.length;
        int d = mu[0].length;
        MdnShape shape = new MdnShape(1, d, k, new int[0], Activation.TANH);
        float[] p = new float[shape.parameterCount()];
        int b = shape.biasOffset(0);
        for (int c = 0; c < k; c++) {
            p[b + c] = logits[c];
            for (int j = 0; j < d; j++) {
                p[b + k + c * d + j] = mu[c][j];
                p[b + k + k * d + c * d + j] = logStd[c][j];
            }
        }
        return new MixtureDensityNetwork(shape, p, scaling, minStd);
    }

    @Test
    void logDensityOfAKnownMixtureIsExact() {
        float[] logits = {0.3f, -1.2f, 0.7f};
        float[][] mu = {{0.5f, -1f}, {2f, 0f}, {-1.5f, 3f}};
        float[][] s = {{-0.5f, 0.2f}, {0f, -1f}, {0.4f, 0.1f}};
        MixtureDensityNetwork net = constant(logits, mu, s, 0, IDENTITY);
        double[] y = {0.25, 0.75};
        double z = Math.exp(0.3) + Math.exp(-1.2) + Math.exp(0.7);
        double p = 0;
        for (int c = 0; c < 3; c++) {
            double w = Math.exp(logits[c]) / z;
            double density = w;
            for (int j = 0; j < 2; j++) {
                double sigma = Math.exp(s[c][j]);
                double u = (y[j] - mu[c][j]) / sigma;
                density *= Math.exp(-0.5 * u * u) / (sigma * Math.sqrt(2 * Math.PI));
            }
            p += density;
        }
        assertEquals(Math.log(p), net.logDensity(new float[]{42f}, new float[]{0.25f, 0.75f}), 1e-6);
        // the training loss is the same number (model units = raw units here)
        MdnObjective objective = new MdnObjective(net.shape(), new float[]{Float.NEGATIVE_INFINITY,
                Float.NEGATIVE_INFINITY}, 4, io.ugmm.simd.DenseKernels.preferred(), io.ugmm.simd.MixtureKernels.scalar());
        double loss = objective.loss(net.parameters(), new float[]{42f}, 0, new float[]{0.25f, 0.75f}, 0, 1);
        assertEquals(-Math.log(p), loss, 1e-5);
    }

    @Test
    void rawUnitsIncludeTheScalingJacobian() {
        Scaling scaled = new Scaling(new float[]{10}, new float[]{2}, new float[]{5}, new float[]{4});
        MixtureDensityNetwork net = constant(new float[]{0}, new float[][]{{0.5f}}, new float[][]{{0f}}, 0, scaled);
        // model units: N(0.5, 1); raw: N(5 + 4 * 0.5, 4)
        double y = 6.1;
        double u = (y - 7) / 4;
        double expected = -0.5 * u * u - Math.log(4 * Math.sqrt(2 * Math.PI));
        assertEquals(expected, net.logDensity(new float[]{3f}, new float[]{6.1f}), 1e-6);
        ConditionalMixture m = net.mixture(new float[]{3f});
        assertEquals(7, m.mean(0)[0], 1e-6);
        assertEquals(4, m.std(0)[0], 1e-6);
    }

    @Test
    void stdFloorHolds() {
        MixtureDensityNetwork net = constant(new float[]{0, 0}, new float[][]{{0f}, {1f}},
                new float[][]{{-30f}, {-0.5f}}, 0.01f, new Scaling(new float[]{0}, new float[]{1}, new float[]{0},
                        new float[]{2}));
        ConditionalMixture m = net.mixture(new float[]{0f});
        assertEquals(0.01, m.std(0)[0], 1e-8);
        assertEquals(2 * Math.exp(-0.5), m.std(1)[0], 1e-6);
        assertTrue(Double.isFinite(net.logDensity(new float[]{0f}, new float[]{1e6f})));
    }

    @Test
    void trainedStdsStayAboveTheFloor() {
        // a nearly deterministic target would drive sigma to 0 without the floor
        int rows = 256;
        float[] x = new float[rows];
        float[] y = new float[rows];
        for (int r = 0; r < rows; r++) {
            x[r] = r / (float) rows;
            y[r] = 2 * x[r] + (r % 2 == 0 ? 1e-6f : -1e-6f);
        }
        MixtureDensityNetwork net = new MdnTrainer(MdnConfig.defaults().withEpochs(60).withMinStd(0.05)
                .withHidden(8).withThreads(1)).train(new MdnData(x, y, 1, 1), null);
        for (ConditionalMixture m : net.mixtures(x, rows)) {
            for (int c = 0; c < m.components(); c++) {
                assertTrue(m.std(c)[0] >= 0.05 * (1 - 1e-6), "std " + m.std(c)[0] + " below the floor 0.05");
            }
        }
    }

    @Test
    void samplesReproduceTheMixtureMoments() {
        ConditionalMixture m = new ConditionalMixture(new double[]{0.2, 0.5, 0.3}, new double[][]{{-2, 1}, {0, 0}, {3, -1}},
                new double[][]{{0.5, 1}, {1, 0.3}, {0.2, 2}});
        int n = 200_000;
        double[][] s = m.sample(n, 1, 7);
        double[] mean = m.mean();
        double[] var = m.variance();
        for (int j = 0; j < 2; j++) {
            double sum = 0;
            double squares = 0;
            for (double[] row : s) {
                sum += row[j];
                squares += row[j] * row[j];
            }
            double sampleMean = sum / n;
            double sampleVar = squares / n - sampleMean * sampleMean;
            assertEquals(mean[j], sampleMean, 5 * Math.sqrt(var[j] / n), "mean of dimension " + j);
            assertEquals(var[j], sampleVar, 0.02 * var[j], "variance of dimension " + j);
        }
        assertArrayEquals(s[123], m.sample(n, 1, 7)[123], 0, "same seed, same draws");
        // a low temperature concentrates on the heaviest component's mean
        double[][] cold = m.sample(2000, 0.01, 3);
        for (double[] row : cold) {
            assertEquals(0, row[0], 0.5);
        }
        assertThrows(IllegalArgumentException.class, () -> m.sample(1, 0, 1));
    }

    @Test
    void modeFindsTheMostProbablePoint() {
        // two separated bumps: the taller one (weight 0.6, narrow) holds the mode
        ConditionalMixture m = new ConditionalMixture(new double[]{0.4, 0.6}, new double[][]{{-3}, {2}},
                new double[][]{{1}, {0.5}});
        assertEquals(2, m.mode()[0], 1e-3);
        // overlapping components: the mode lies between the means, where a grid search finds it
        ConditionalMixture close = new ConditionalMixture(new double[]{0.5, 0.5}, new double[][]{{0}, {1}},
                new double[][]{{0.8}, {0.8}});
        double best = 0;
        double bestDensity = Double.NEGATIVE_INFINITY;
        for (double y = -2; y <= 3; y += 1e-4) {
            double d = close.logDensity(new double[]{y});
            if (d > bestDensity) {
                bestDensity = d;
                best = y;
            }
        }
        assertEquals(best, close.mode()[0], 1e-3);
        assertTrue(close.logDensity(close.mode()) >= bestDensity - 1e-9);
    }

    @Test
    void nonFiniteAndConstantTargetsAreRefused() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> new MdnData(new float[]{1, 2}, new float[]{0, Float.NaN}, 1, 1));
        assertTrue(nan.getMessage().contains("target row 1, column 0 is NaN"), nan.getMessage());
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> new MdnData(new float[]{1, Float.POSITIVE_INFINITY}, new float[]{0, 1}, 1, 1));
        assertTrue(inf.getMessage().contains("input row 1, column 0 is Infinity"), inf.getMessage());
        MdnData constant = new MdnData(new float[]{1, 2, 3}, new float[]{4, 4, 4}, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MdnTrainer(MdnConfig.defaults().withEpochs(1)).train(constant, null));
        assertTrue(e.getMessage().contains("target column 0 is constant"), e.getMessage());
        MixtureDensityNetwork net = constant(new float[]{0}, new float[][]{{0f}}, new float[][]{{0f}}, 0,
                new Scaling(new float[]{0}, new float[]{1}, new float[]{0}, new float[]{1}));
        assertThrows(IllegalArgumentException.class, () -> net.logDensity(new float[]{Float.NaN}, new float[]{0}));
        assertThrows(IllegalArgumentException.class, () -> net.mixture(new float[]{1, 2}));
    }

    @Test
    void learnsTheMultimodalInverseProblem() {
        MdnData train = BishopRows.of(1000, 1);
        MdnData test = BishopRows.of(1000, 2);
        MixtureDensityNetwork net = new MdnTrainer(MdnConfig.defaults().withEpochs(60).withThreads(2))
                .train(train, null);
        double nll = net.meanNegativeLogLikelihood(test.x(), test.y(), test.rows());
        // a single Gaussian fit of x given t scores about -0.1 here; the three branches need the mixture
        assertTrue(nll < -0.6, "test NLL " + nll);
        // at t = 0.5 the three answers are near x = 0.15, 0.5, 0.85: the mixture must be multimodal there
        ConditionalMixture m = net.mixture(new float[]{0.5f});
        int separated = 0;
        for (int c = 0; c < m.components(); c++) {
            if (m.weight(c) > 0.1) {
                separated++;
            }
        }
        assertTrue(separated >= 2, "expected at least two substantial components at t = 0.5");
    }

    @Test
    void trainingIsReproducibleForASeedAndThreadCount() {
        MdnData train = BishopRows.of(300, 5);
        MdnConfig config = MdnConfig.defaults().withEpochs(5).withBatchSize(64).withThreads(2);
        float[] a = new MdnTrainer(config).train(train, null).parameters();
        float[] b = new MdnTrainer(config).train(train, null).parameters();
        assertArrayEquals(a, b);
    }

    @Test
    void divergenceNamesEpochAndBatch() {
        MdnData train = BishopRows.of(256, 5);
        MdnConfig config = MdnConfig.defaults().withEpochs(50).withLearningRate(1e4).withClipNorm(0).withMinStd(0)
                .withThreads(1);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> new MdnTrainer(config).train(train, null));
        assertTrue(e.getMessage().startsWith("epoch " + e.epoch() + ", batch " + e.batch() + " of "), e.getMessage());
    }

    @Test
    void queriesFromManyThreadsAgree() throws Exception {
        MixtureDensityNetwork net = new MdnTrainer(MdnConfig.defaults().withEpochs(3).withThreads(1))
                .train(BishopRows.of(200, 3), null);
        double expected = net.logDensity(new float[]{0.4f}, new float[]{0.3f});
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Double>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> net.logDensity(new float[]{0.4f}, new float[]{0.3f})));
            }
            for (Future<Double> f : results) {
                assertEquals(expected, f.get(), 0);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fileRoundTripAndStrictLoading(@TempDir Path dir) throws Exception {
        MixtureDensityNetwork net = new MdnTrainer(MdnConfig.defaults().withEpochs(2).withHidden(4, 3)
                .withActivation(Activation.RELU).withComponents(2).withThreads(1))
                .train(twoDimensional(100), null);
        Path file = dir.resolve("m.safetensors");
        MdnFiles.save(net, file, ModelMetadata.empty().withDataset("two-d").withSeed(42));
        MdnFiles.Loaded loaded = MdnFiles.load(file);
        assertArrayEquals(net.parameters(), loaded.network().parameters());
        assertEquals(net.shape(), loaded.network().shape());
        assertEquals(net.minStd(), loaded.network().minStd());
        assertEquals("two-d", loaded.metadata().dataset().orElseThrow());
        float[] x = {0.3f};
        float[] y = {0.1f, -0.2f};
        assertEquals(net.logDensity(x, y), loaded.network().logDensity(x, y), 0);

        SafetensorsFile good = SafetensorsReader.read(file);
        Map<String, String> meta = new HashMap<>(good.metadata());
        meta.put("hidden", "4,x");
        assertRejected(new SafetensorsFile(meta, good.tensors()), "metadata hidden");
        List<Tensor> tensors = new ArrayList<>(good.tensors());
        tensors.removeIf(t -> t.name().equals("layers.2.bias"));
        assertRejected(new SafetensorsFile(good.metadata(), tensors), "layers.2.bias");
        tensors = new ArrayList<>(good.tensors());
        tensors.replaceAll(t -> t.name().equals("target.std") ? Tensor.ofFloats("target.std", new float[]{1, 0}, 2) : t);
        assertRejected(new SafetensorsFile(good.metadata(), tensors), "target.std");
        tensors = new ArrayList<>(good.tensors());
        tensors.replaceAll(t -> t.name().equals("layers.0.weight") ? Tensor.ofFloats("layers.0.weight",
                new float[]{1, 2, 3, Float.NaN}, 4, 1) : t);
        assertRejected(new SafetensorsFile(good.metadata(), tensors), "NaN");
        meta = new HashMap<>(good.metadata());
        meta.put("format", "ugmm");
        assertRejected(new SafetensorsFile(meta, good.tensors()), "format=mdn");
    }

    private static void assertRejected(SafetensorsFile file, String mention) throws Exception {
        byte[] bytes = SafetensorsWriter.toBytes(file);
        ModelFileException e = assertThrows(ModelFileException.class,
                () -> MdnFiles.fromSafetensors(SafetensorsReader.read(bytes, "bad.safetensors")));
        assertTrue(e.getMessage().contains(mention), e.getMessage());
        assertTrue(e.getMessage().startsWith("bad.safetensors: "), e.getMessage());
    }

    /** y = (x, x^2) plus noise: a 2-D target. */
    static MdnData twoDimensional(int rows) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(9);
        float[] x = new float[rows];
        float[] y = new float[2 * rows];
        for (int r = 0; r < rows; r++) {
            x[r] = (float) random.nextDouble();
            y[2 * r] = x[r] + (float) (0.1 * random.nextGaussian());
            y[2 * r + 1] = x[r] * x[r] + (float) (0.1 * random.nextGaussian());
        }
        return new MdnData(x, y, 1, 2);
    }
}
