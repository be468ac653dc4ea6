package io.ugmm.model;

import io.ugmm.model.train.Loss;
import io.ugmm.model.train.Trainer;
import io.ugmm.model.train.TrainingConfig;
import io.ugmm.model.train.TrainingSet;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MissingInputsTest {

    private static List<MixtureKernel> kernels() {
        List<MixtureKernel> kernels = new ArrayList<>(List.of(MixtureKernels.scalar()));
        MixtureKernels.vector().ifPresent(kernels::add);
        return kernels;
    }

    private static UgmmModel generative(MixtureKernel kernel) {
        UgmmNetwork network = UgmmNetwork.builder(5).layer(10).layer(5).layer(1).seed(3).build().withKernel(kernel);
        return UgmmModel.builder(network).loss(Loss.NEGATIVE_LOG_LIKELIHOOD).classCount(3)
                .standardization(FeatureStandardization.of(new double[] {5, 3, 4, 1}, new double[] {0.8, 0.4, 1.7, 0.7}))
                .build();
    }

    private static UgmmModel classifier(MixtureKernel kernel) {
        UgmmNetwork network = UgmmNetwork.builder(40).layer(16).layer(8).layer(4).seed(8).build().withKernel(kernel);
        return UgmmModel.builder(network).loss(Loss.CROSS_ENTROPY).build();
    }

    private static float[] randomRows(int rows, int n, float center, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * n];
        for (int e = 0; e < x.length; e++) {
            x[e] = center + (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Test
    void rowsWithNothingMissingScoreBitForBitAsThePlainForwardPass() {
        for (MixtureKernel kernel : kernels()) {
            for (UgmmModel model : List.of(generative(kernel), classifier(kernel))) {
                int n = model.inputCount();
                int rows = 37;
                float[] x = randomRows(rows, n, model.generative() ? 3 : 0, 2);
                // a few rows with missing values in the same batch must not disturb the complete ones
                float[] mixed = x.clone();
                for (int r = 0; r < rows; r += 5) {
                    mixed[r * n + r % n] = Float.NaN;
                }
                int classes = model.classCount();
                float[] plain = new float[rows * classes];
                model.newPredictor(64).predict(x, 0, rows, plain, null, null);
                for (MissingPolicy policy : List.of(MissingPolicy.MARGINALIZE, MissingPolicy.MASK_UNNORMALIZED,
                        MissingPolicy.UNIT_DENSITY, MissingPolicy.MEAN_FILL)) {
                    if (policy == MissingPolicy.MEAN_FILL && model.standardization().isEmpty()) {
                        continue;
                    }
                    float[] complete = new float[rows * classes];
                    model.newPredictor(64, policy).predict(x, 0, rows, complete, null, null);
                    assertArrayEquals(plain, complete, kernel.name() + " " + policy);
                    float[] some = new float[rows * classes];
                    model.newPredictor(64, policy).predict(mixed, 0, rows, some, null, null);
                    for (int r = 0; r < rows; r++) {
                        for (int c = 0; c < classes; c++) {
                            if (r % 5 != 0) {
                                assertEquals(Float.floatToIntBits(plain[r * classes + c]),
                                        Float.floatToIntBits(some[r * classes + c]), kernel.name() + " row " + r);
                            } else {
                                assertTrue(Float.isFinite(some[r * classes + c]), "row " + r + " " + some[r * classes + c]);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void meanFillIsPredictingAtTheTrainingMean() {
        UgmmModel model = generative(MixtureKernels.scalar());
        Prediction filled = model.predict(new float[] {5.9f, Float.NaN, 4.2f, Float.NaN}, MissingPolicy.MEAN_FILL);
        Prediction atMean = model.predict(new float[] {5.9f, 3f, 4.2f, 1f});
        assertArrayEquals(atMean.logScores(), filled.logScores());
    }

    @Test
    void probabilitiesWithMissingInputsSumToOneAndLogDensityIsTheirNormaliser() {
        UgmmModel model = generative(MixtureKernels.preferred());
        Prediction p = model.predict(new float[] {Float.NaN, 3.1f, Float.NaN, 0.4f}, MissingPolicy.MARGINALIZE);
        double sum = 0;
        for (float v : p.probabilities()) {
            sum += v;
        }
        assertEquals(1, sum, 1e-5);
        float[] s = p.logScores();
        double expected = Math.log(Math.exp(s[0]) + Math.exp(s[1]) + Math.exp(s[2]));
        assertEquals(expected, p.logDensity(), 1e-5);
    }

    @Test
    void badInputIsAClearError() {
        UgmmModel model = generative(MixtureKernels.preferred());
        InvalidFeatureException strict = assertThrows(InvalidFeatureException.class,
                () -> model.predict(new float[] {5, Float.NaN, 4, 1}));
        assertTrue(strict.getMessage().contains("must be finite"), strict.getMessage());
        InvalidFeatureException all = assertThrows(InvalidFeatureException.class,
                () -> model.predict(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN}, MissingPolicy.MARGINALIZE));
        assertTrue(all.getMessage().contains("every feature of the row is missing"), all.getMessage());
        assertThrows(InvalidFeatureException.class,
                () -> model.impute(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN}, 2));
        InvalidFeatureException infinite = assertThrows(InvalidFeatureException.class,
                () -> model.predict(new float[] {5, Float.POSITIVE_INFINITY, 4, Float.NaN}, MissingPolicy.MARGINALIZE));
        assertEquals(1, infinite.feature());
        UgmmModel raw = classifier(MixtureKernels.scalar());
        float[] row = randomRows(1, 40, 0, 1);
        row[3] = Float.NaN;
        InvalidFeatureException noMean = assertThrows(InvalidFeatureException.class,
                () -> raw.predict(row, MissingPolicy.MEAN_FILL));
        assertTrue(noMean.getMessage().contains("no training mean"), noMean.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model.impute(new float[] {1, 2, 3}, 1));
        assertThrows(IllegalArgumentException.class, () -> new Imputer(model, 0));
    }

    @Test
    void imputingARowWithNothingMissingReturnsItAndItsBestClass() {
        UgmmModel model = generative(MixtureKernels.preferred());
        float[] row = {6.1f, 2.8f, 4.7f, 1.2f};
        Imputation done = model.impute(row, 3);
        assertArrayEquals(row, done.features());
        assertEquals(0, done.filledCount());
        assertEquals(model.predict(row).classIndex(), done.classIndex());
    }

    /** x2 = 2 x1 + noise: given x1, the model's MPE for x2 must follow the dependency, not the mean. */
    @Test
    void imputationRecoversADependentCoordinateFarBetterThanTheMean() {
        SplittableRandom random = new SplittableRandom(17);
        int rows = 800;
        float[] raw = new float[rows * 2];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            double x1 = gaussian(random);
            raw[2 * r] = (float) x1;
            raw[2 * r + 1] = (float) (2 * x1 + 0.1 * gaussian(random));
            labels[r] = x1 > 0 ? 1 : 0;
        }
        int train = 600;
        float[] trainRaw = java.util.Arrays.copyOf(raw, train * 2);
        FeatureStandardization std = FeatureStandardization.fit(trainRaw, train, 2);
        float[] joint = UgmmModel.trainingInputs(trainRaw, train, 2, std, Loss.NEGATIVE_LOG_LIKELIHOOD, labels);
        UgmmNetwork initial = UgmmNetwork.builder(3).layer(12).layer(6).layer(1).seed(2).build();
        TrainingConfig config = TrainingConfig.builder().loss(Loss.NEGATIVE_LOG_LIKELIHOOD).epochs(60).batchSize(16)
                .learningRate(1e-2).minStd(0.5).seed(1).threads(1).build();
        UgmmNetwork trained = new Trainer(initial, config).fit(TrainingSet.of(joint, train, 3, null), null);
        UgmmModel model = UgmmModel.builder(trained).loss(Loss.NEGATIVE_LOG_LIKELIHOOD).classCount(2)
                .standardization(std).build();
        double mean = 0;
        for (int r = 0; r < train; r++) {
            mean += raw[2 * r + 1] / train;
        }
        Imputer imputer = new Imputer(model, 3);
        double modelError = 0;
        double meanError = 0;
        for (int r = train; r < rows; r++) {
            float truth = raw[2 * r + 1];
            Imputation done = imputer.impute(new float[] {raw[2 * r], Float.NaN});
            assertEquals(raw[2 * r], done.feature(0));
            modelError += Math.pow(done.feature(1) - truth, 2);
            meanError += Math.pow(mean - truth, 2);
        }
        double modelRmse = Math.sqrt(modelError / (rows - train));
        double meanRmse = Math.sqrt(meanError / (rows - train));
        assertTrue(modelRmse < 0.4 * meanRmse, "imputation RMSE " + modelRmse + " vs the mean's " + meanRmse);
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
