package io.ugmm.cli;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.Datasets;
import io.ugmm.datasets.LoadedDataset;
import io.ugmm.datasets.Split;
import io.ugmm.datasets.Standardizer;
import io.ugmm.model.train.Loss;

import java.util.List;

/**
 * A dataset made ready for a network: split into train and test, optionally standardised with statistics
 * fitted on the training part, and for the nll loss with the class label appended as the last input
 * column. {@link Preprocessing} records what was done so {@code ugmm eval} can redo it from a model file.
 */
final class PreparedData {
    final Dataset train;
    final Dataset test;
    final int classes;
    final Preprocessing preprocessing;

    private PreparedData(Dataset train, Dataset test, int classes, Preprocessing preprocessing) {
        this.train = train;
        this.test = test;
        this.classes = classes;
        this.preprocessing = preprocessing;
    }

    /** Loads {@code spec} and prepares it for training. */
    static PreparedData forTraining(String spec, Loss loss, boolean standardise, double testFraction, long splitSeed) {
        LoadedDataset loaded = Datasets.load(spec);
        Split split = loaded.trainTest(testFraction, splitSeed);
        Preprocessing pre = new Preprocessing(spec, loss == Loss.NEGATIVE_LOG_LIKELIHOOD,
                standardise ? FeatureScaling.fit(split.train()) : null, testFraction, splitSeed,
                split.train().classNames());
        int classes = Math.max(split.train().classes(), split.test().classes());
        return new PreparedData(pre.apply(split.train()), pre.apply(split.test()), classes, pre);
    }

    /** The test part (or all rows) of {@code spec}, prepared as {@code pre} says. */
    static PreparedData forEvaluation(Preprocessing pre, String part) {
        LoadedDataset loaded = Datasets.load(pre.dataset());
        Split split = loaded.trainTest(pre.testFraction(), pre.splitSeed());
        Dataset chosen;
        switch (part) {
            case "test":
                chosen = split.test();
                break;
            case "train":
                chosen = split.train();
                break;
            default:
                throw new UsageException("--part must be test or train, found '" + part + "'");
        }
        if (pre.classNames() != null) {
            // the file's own numbering depends on which labels it holds; the model's is by name
            return new PreparedData(pre.apply(byName(split.train(), pre.classNames())),
                    pre.apply(byName(chosen, pre.classNames())), pre.classNames().size(), pre);
        }
        int classes = Math.max(split.train().classes(), split.test().classes());
        return new PreparedData(pre.apply(split.train()), pre.apply(chosen), classes, pre);
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

    /**
     * What was done to the raw features, in the order it is done.
     *
     * @param labelAppended the label is the last input column (generative models)
     * @param scaling       null when features are used as loaded
     * @param testFraction  share of each class held out, when the dataset ships no test part of its own
     * @param classNames    the training data's classes, in label order; null when not recorded
     */
    record Preprocessing(String dataset, boolean labelAppended, FeatureScaling scaling, double testFraction,
                         long splitSeed, List<String> classNames) {
        Dataset apply(Dataset data) {
            Dataset d = scaling == null ? data : scaling.apply(data);
            return labelAppended ? d.withLabelAsFeature() : d;
        }

        /**
         * Standardises raw feature rows in place as {@link #apply} does for a dataset; rows start every
         * {@code stride} values (a column after the features, such as the label, is left as it is).
         */
        void scaleRows(float[] x, int rows, int stride) {
            if (scaling != null) {
                scaling.applyInPlace(x, rows, stride);
            }
        }
    }
}
