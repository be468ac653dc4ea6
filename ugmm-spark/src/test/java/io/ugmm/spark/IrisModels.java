package io.ugmm.spark;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.Iris;
import io.ugmm.model.FeatureStandardization;
import io.ugmm.model.UgmmModel;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.train.Loss;
import io.ugmm.model.train.Trainer;
import io.ugmm.model.train.TrainingConfig;
import io.ugmm.model.train.TrainingSet;

/** Iris models for the tests: a classifier trained here, and a generative (MPE) model. */
final class IrisModels {
    static final Dataset IRIS = Iris.load();

    private IrisModels() {
    }

    static float[] standardised(FeatureStandardization s) {
        float[] z = IRIS.features.clone();
        s.applyInPlace(z, 0, IRIS.rows(), IRIS.features());
        return z;
    }

    static FeatureStandardization standardization() {
        return FeatureStandardization.fit(IRIS.features, IRIS.rows(), IRIS.features());
    }

    /** A 4 -> 8 -> 3 classifier trained on standardised Iris, recording what ugmm train records. */
    static UgmmModel classifier() {
        FeatureStandardization s = standardization();
        UgmmNetwork start = UgmmNetwork.builder(4).layer(8).layer(3).seed(3).build();
        TrainingConfig config = TrainingConfig.builder().loss(Loss.CROSS_ENTROPY).epochs(40).batchSize(16)
                .learningRate(0.05).seed(5).threads(1).build();
        UgmmNetwork trained = new Trainer(start, config)
                .fit(TrainingSet.of(standardised(s), IRIS.rows(), 4, IRIS.labels), null);
        return UgmmModel.builder(trained).loss(Loss.CROSS_ENTROPY).classNames(IRIS.classNames())
                .inputNames(IRIS.featureNames()).labelName("species").standardization(s)
                .trainingRange(IRIS.features, IRIS.rows()).build();
    }

    /** A generative model (label as the last input, classes by MPE over it); untrained is enough to compare. */
    static UgmmModel generative() {
        FeatureStandardization s = FeatureStandardization.fit(IRIS.features, IRIS.rows(), IRIS.features());
        UgmmNetwork net = UgmmNetwork.builder(5).layer(6).layer(1).seed(11).build();
        return UgmmModel.builder(net).loss(Loss.NEGATIVE_LOG_LIKELIHOOD).classNames(IRIS.classNames())
                .inputNames(IRIS.featureNames()).standardization(s).build();
    }
}
