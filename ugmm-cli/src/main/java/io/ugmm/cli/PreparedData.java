package io.ugmm.cli;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.Datasets;
import io.ugmm.datasets.LoadedDataset;
import io.ugmm.datasets.Split;
import io.ugmm.datasets.Standardizer;
import io.ugmm.model.FeatureStandardization;
import io.ugmm.model.UgmmModel;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.train.GenerativeObjective;
import io.ugmm.model.train.Loss;

import java.util.List;

/**
 * A dataset split into train and test parts, kept as raw features, with the standardisation measured on the
 * training part. What a network sees is {@link UgmmModel}'s business: {@link #networkInputs} for training,
 * {@link #model} to record it in the model file.
 */
final class PreparedData {
    final String spec;
    final Dataset train;
    final Dataset test;
    final int classes;
    final double testFraction;
    final long splitSeed;
    /** Null when features are used as loaded. */
    final FeatureStandardization standardization;

    private PreparedData(String spec, Dataset train, Dataset test, int classes, double testFraction, long splitSeed,
                         FeatureStandardization standardization) {
        this.spec = spec;
        this.train = train;
        this.test = test;
        this.classes = classes;
        this.testFraction = testFraction;
        this.splitSeed = splitSeed;
        this.standardization = standardization;
    }

    /** Loads {@code spec} and splits it for training. */
    static PreparedData forTraining(String spec, boolean standardise, double testFraction, long splitSeed) {
        LoadedDataset loaded = Datasets.load(spec);
        Split split = loaded.trainTest(testFraction, splitSeed);
        int classes = Math.max(split.train().classes(), split.test().classes());
        FeatureStandardization standardization = standardise && split.train().rows() > 0
                ? Standardizer.fit(split.train()).standardization() : null;
        return new PreparedData(spec, split.train(), split.test(), classes, testFraction, splitSeed, standardization);
    }

    /** The training rows as the network takes them (standardised; the label appended for the nll loss). */
    float[] networkInputs(Loss loss) {
        return UgmmModel.trainingInputs(train.features, train.rows(), train.features(), standardization, loss,
                train.labels);
    }

    /** {@link #model(UgmmNetwork, Loss)}, recording what a generative model was trained to maximise. */
    UgmmModel.Builder model(UgmmNetwork network, Loss loss, GenerativeObjective objective) {
        UgmmModel.Builder builder = model(network, loss);
        return loss == Loss.NEGATIVE_LOG_LIKELIHOOD ? builder.generativeObjective(objective) : builder;
    }

    /** {@code network} with this data's preprocessing, class and input names recorded. */
    UgmmModel.Builder model(UgmmNetwork network, Loss loss) {
        return UgmmModel.builder(network).loss(loss).classNames(classNames()).inputNames(train.featureNames())
                .standardization(standardization).trainingRange(train.features, train.rows());
    }

    private List<String> classNames() {
        List<String> names = train.classNames();
        return names.size() == classes ? names : Dataset.numberedNames(classes);
    }

    /** The test or train part of the recorded split, or all rows, with labels numbered as the model's classes. */
    static Dataset forEvaluation(ModelStore.Loaded loaded, String part) {
        LoadedDataset data = Datasets.load(loaded.dataset());
        Split split = data.trainTest(loaded.testFraction(), loaded.splitSeed());
        Dataset chosen;
        switch (part) {
            case "test":
                chosen = split.test();
                break;
            case "train":
                chosen = split.train();
                break;
            case "all":
                // every row the dataset has (e.g. a new file the model never saw), shipped test part included
                chosen = data.test().map(t -> concat(data.train(), t)).orElse(data.train());
                break;
            default:
                throw new UsageException("--part must be test, train or all, found '" + part + "'");
        }
        UgmmModel model = loaded.model();
        // the file's own numbering depends on which labels it holds; the model's is by name
        return model.classNamesRecorded() ? byName(chosen, model.classNames()) : chosen;
    }

    private static Dataset concat(Dataset a, Dataset b) {
        float[] features = java.util.Arrays.copyOf(a.features, a.features.length + b.features.length);
        System.arraycopy(b.features, 0, features, a.features.length, b.features.length);
        int[] labels = java.util.Arrays.copyOf(a.labels, a.rows() + b.rows());
        System.arraycopy(b.labels, 0, labels, a.rows(), b.rows());
        return new Dataset(a.name(), features, labels, a.features(), a.featureNames(), a.classNames());
    }

    /** {@code data} with its labels renumbered to index {@code classNames}, matching the classes by name. */
    static Dataset byName(Dataset data, List<String> classNames) {
        if (data.classNames().equals(classNames)) {
            return data;
        }
        int[] map = new int[data.classes()];
        for (int c = 0; c < map.length; c++) {
            map[c] = classNames.indexOf(data.className(c));
        }
        int[] labels = new int[data.rows()];
        for (int r = 0; r < labels.length; r++) {
            labels[r] = map[data.labels[r]];
            if (labels[r] < 0) {
                throw new IllegalArgumentException(data.name() + ": label '" + data.className(data.labels[r])
                        + "' is not one of the model's classes " + classNames);
            }
        }
        return new Dataset(data.name(), data.features, labels, data.features(), data.featureNames(), classNames);
    }
}
