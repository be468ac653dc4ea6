package io.ugmm.model;

import io.ugmm.model.io.ModelFileException;
import io.ugmm.model.io.ModelMetadata;
import io.ugmm.model.train.EpochSummary;
import io.ugmm.model.train.GenerativeObjective;
import io.ugmm.model.train.Loss;
import io.ugmm.model.train.Trainer;
import io.ugmm.model.train.TrainingConfig;
import io.ugmm.model.train.TrainingListener;
import io.ugmm.model.train.TrainingSet;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The objectives a generative model can be trained by, and how the model file records them. */
class GenerativeObjectiveTest {
    private static final int FEATURES = 2;
    private static final int CLASSES = 3;

    /** Three classes along a line: x1 ~ N(class, 0.4²), x2 = 2 x1 + N(0, 0.1²). Raw rows, labels. */
    private static float[] rows(int rows, int[] labels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * FEATURES];
        for (int r = 0; r < rows; r++) {
            labels[r] = r % CLASSES;
            double x1 = labels[r] + 0.4 * gaussian(random);
            x[2 * r] = (float) x1;
            x[2 * r + 1] = (float) (2 * x1 + 0.1 * gaussian(random));
        }
        return x;
    }

    private static UgmmNetwork initial() {
        return UgmmNetwork.builder(FEATURES + 1).layer(12).layer(6).layer(1).seed(2).build();
    }

    private static TrainingConfig.Builder config(GenerativeObjective objective) {
        return TrainingConfig.builder().loss(Loss.NEGATIVE_LOG_LIKELIHOOD).batchSize(16).learningRate(1e-2)
                .minStd(0.5).seed(1).threads(1).generativeObjective(objective, CLASSES);
    }

    /** One batch holding every row, one epoch: the reported loss is the initial network's, before the step. */
    @Test
    void conditionalLossIsTheCrossEntropyOfTheModelsOwnLabelPosterior() {
        int n = 60;
        int[] labels = new int[n];
        float[] raw = rows(n, labels, 3);
        float[] x = UgmmModel.trainingInputs(raw, n, FEATURES, null, Loss.NEGATIVE_LOG_LIKELIHOOD, labels);
        UgmmNetwork start = initial();
        float[] scores = Inference.stateLogDensities(start, x, n, FEATURES, CLASSES);
        double expected = 0;
        int correct = 0;
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                max = Math.max(max, scores[r * CLASSES + c]);
            }
            double sum = 0;
            for (int c = 0; c < CLASSES; c++) {
                sum += Math.exp(scores[r * CLASSES + c] - max);
            }
            expected += (max + Math.log(sum) - scores[r * CLASSES + labels[r]]) / n;
            correct += UgmmNetwork.argmax(scores, r * CLASSES, CLASSES) == labels[r] ? 1 : 0;
        }
        // two threads split the batch between groups of candidates, never inside one
        for (int threads = 1; threads <= 2; threads++) {
            EpochSummary[] seen = new EpochSummary[1];
            new Trainer(start, config(GenerativeObjective.CONDITIONAL).epochs(1).batchSize(n).threads(threads).build())
                    .fit(TrainingSet.of(x, n, FEATURES + 1, labels), new TrainingListener() {
                        @Override
                        public boolean epochDone(EpochSummary s, Trainer t) {
                            seen[0] = s;
                            return true;
                        }
                    });
            assertEquals(expected, seen[0].loss(), 1e-4 * Math.max(1, Math.abs(expected)), threads + " thread(s)");
            assertEquals(correct / (double) n, seen[0].trainAccuracy(), 1e-12, threads + " thread(s)");
        }
    }

    @Test
    void conditionalAndPseudoObjectivesNeedLabelsAndAGenerativeLoss() {
        int n = 30;
        int[] labels = new int[n];
        float[] x = UgmmModel.trainingInputs(rows(n, labels, 4), n, FEATURES, null, Loss.NEGATIVE_LOG_LIKELIHOOD,
                labels);
        Trainer trainer = new Trainer(initial(), config(GenerativeObjective.PSEUDO_LIKELIHOOD).epochs(1).build());
        IllegalArgumentException noLabels = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(TrainingSet.of(x, n, FEATURES + 1, null), null));
        assertTrue(noLabels.getMessage().contains("needs a label per row"), noLabels.getMessage());
        IllegalArgumentException ce = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder()
                .loss(Loss.CROSS_ENTROPY).generativeObjective(GenerativeObjective.CONDITIONAL, 3).build());
        assertTrue(ce.getMessage().contains("for generative models"), ce.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.builder()
                .generativeObjective(GenerativeObjective.CONDITIONAL, 1));
    }

    /**
     * The pseudo-likelihood objective learns the features as well as the label: a confident, correct class
     * posterior, and imputation of x2 from x1 (x2 = 2 x1 + noise) far better than the mean.
     */
    @Test
    void pseudoLikelihoodGivesAMeaningfulPosteriorAndImputesTheDependentFeature() {
        int n = 600;
        int[] labels = new int[n];
        float[] raw = rows(n, labels, 5);
        int train = 450;
        float[] trainRaw = java.util.Arrays.copyOf(raw, train * FEATURES);
        int[] trainLabels = java.util.Arrays.copyOf(labels, train);
        FeatureStandardization std = FeatureStandardization.fit(trainRaw, train, FEATURES);
        float[] x = UgmmModel.trainingInputs(trainRaw, train, FEATURES, std, Loss.NEGATIVE_LOG_LIKELIHOOD, trainLabels);
        UgmmNetwork trained = new Trainer(initial(), config(GenerativeObjective.PSEUDO_LIKELIHOOD).epochs(60).build())
                .fit(TrainingSet.of(x, train, FEATURES + 1, trainLabels), null);
        UgmmModel model = UgmmModel.builder(trained).loss(Loss.NEGATIVE_LOG_LIKELIHOOD).classCount(CLASSES)
                .generativeObjective(GenerativeObjective.PSEUDO_LIKELIHOOD).standardization(std)
                .trainingRange(trainRaw, train).build();
        int correct = 0;
        double confidence = 0;
        double mean = 0;
        for (int r = 0; r < train; r++) {
            mean += trainRaw[2 * r + 1] / train;
        }
        Imputer imputer = new Imputer(model, 3);
        double modelError = 0;
        double meanError = 0;
        for (int r = train; r < n; r++) {
            Prediction p = model.predict(new float[] {raw[2 * r], raw[2 * r + 1]});
            correct += p.classIndex() == labels[r] ? 1 : 0;
            confidence += p.probability(p.classIndex()) / (n - train);
            float truth = raw[2 * r + 1];
            Imputation done = imputer.impute(new float[] {raw[2 * r], Float.NaN});
            modelError += Math.pow(done.feature(1) - truth, 2);
            meanError += Math.pow(mean - truth, 2);
        }
        // Bayes accuracy of classes 1 apart with sigma 0.4 is about 0.80
        assertTrue(correct > 0.7 * (n - train), "accuracy " + correct + "/" + (n - train));
        // a flat posterior (the joint objective's collapse) would give 1/3
        assertTrue(confidence > 0.6, "mean probability of the predicted class " + confidence);
        double ratio = Math.sqrt(modelError / meanError);
        assertTrue(ratio < 0.4, "imputation RMSE / mean RMSE " + ratio);
    }

    private static UgmmModel small(GenerativeObjective objective) {
        UgmmModel.Builder b = UgmmModel.builder(initial()).loss(Loss.NEGATIVE_LOG_LIKELIHOOD).classCount(CLASSES);
        return (objective == null ? b : b.generativeObjective(objective)).build();
    }

    @Test
    void theObjectiveIsRecordedAndReadBack() throws Exception {
        for (GenerativeObjective o : GenerativeObjective.values()) {
            UgmmModel model = small(o);
            assertEquals(o.shortName(), model.metadata().get(UgmmModel.GENERATIVE_OBJECTIVE).orElseThrow());
            assertEquals(o, UgmmModel.fromBytes(model.toBytes()).generativeObjective().orElseThrow());
        }
        // a generative model built without one was trained the reference's way
        assertEquals(GenerativeObjective.JOINT, small(null).generativeObjective().orElseThrow());
    }

    /** Files from before the key: generative ones load as joint and predict exactly as the same network does. */
    @Test
    void aFileWithoutTheKeyLoadsAsJointAndPredictsAsBefore() {
        UgmmModel recorded = small(GenerativeObjective.JOINT);
        ModelMetadata old = recorded.metadata().without(UgmmModel.GENERATIVE_OBJECTIVE);
        UgmmModel loaded = UgmmModel.of(recorded.network(), old);
        assertEquals(GenerativeObjective.JOINT, loaded.generativeObjective().orElseThrow());
        float[] row = {0.3f, 1.1f};
        assertArrayEquals(recorded.predict(row).logScores(), loaded.predict(row).logScores());
    }

    @Test
    void anUnknownOrMisplacedObjectiveIsAClearError() {
        UgmmModel model = small(GenerativeObjective.PSEUDO_LIKELIHOOD);
        ModelMetadata bad = model.metadata().with(UgmmModel.GENERATIVE_OBJECTIVE, "contrastive");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> UgmmModel.of(model.network(), bad));
        assertTrue(unknown.getMessage().contains("'generative_objective' is 'contrastive'; expected joint,"
                + " conditional or pseudo"), unknown.getMessage());
        assertThrows(ModelFileException.class, () -> UgmmModel.fromBytes(
                io.ugmm.model.io.ModelFiles.toBytes(model.network(), bad)));

        UgmmNetwork classifierNet = UgmmNetwork.builder(4).layer(3).seed(1).build();
        ModelMetadata onClassifier = ModelMetadata.empty().with(UgmmModel.LOSS, "ce")
                .with(UgmmModel.GENERATIVE_OBJECTIVE, "pseudo");
        IllegalArgumentException misplaced = assertThrows(IllegalArgumentException.class,
                () -> UgmmModel.of(classifierNet, onClassifier));
        assertTrue(misplaced.getMessage().contains("only a generative model"), misplaced.getMessage());
        assertThrows(IllegalArgumentException.class, () -> UgmmModel.builder(classifierNet).loss(Loss.CROSS_ENTROPY)
                .generativeObjective(GenerativeObjective.CONDITIONAL).build());
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
