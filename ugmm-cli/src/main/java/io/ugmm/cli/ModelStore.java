package io.ugmm.cli;

import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.io.LoadedModel;
import io.ugmm.model.io.ModelFiles;
import io.ugmm.model.io.ModelMetadata;
import io.ugmm.model.train.Loss;
import io.ugmm.model.train.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Trained models on disk: the model-file format of {@link ModelFiles} plus the metadata {@code ugmm eval}
 * needs to prepare data the way training did (loss, label column, split, feature scaling).
 */
final class ModelStore {
    static final String LOSS = "loss";
    static final String CLASSES = "classes";
    /** The class names in label order, one per line (a CSV field cannot hold a line break). */
    static final String CLASS_NAMES = "class_names";
    static final String TEST_FRACTION = "test_fraction";
    static final String SPLIT_SEED = "split_seed";
    static final String SCALE_MEAN = "standardize_mean";
    static final String SCALE_STD = "standardize_std";

    private ModelStore() {
    }

    static ModelMetadata metadata(PreparedData.Preprocessing pre, Loss loss, int classes, Trainer trainer,
                                  Evaluation test, double[] dropout) {
        var config = trainer.config();
        ModelMetadata m = ModelMetadata.empty()
                .withDataset(pre.dataset())
                .withEpochs(trainer.epochsDone())
                .withSeed(config.seed())
                .withDropout(dropout[0])
                .with(LOSS, loss.shortName())
                .with(CLASSES, (long) classes)
                .with(CLASS_NAMES, String.join("\n", pre.classNames()))
                .with(TEST_FRACTION, pre.testFraction())
                .with(SPLIT_SEED, pre.splitSeed())
                .with("batch_size", (long) config.batchSize())
                .with("learning_rate", config.schedule().base())
                .with("optimizer", "adam")
                .with("test_accuracy", test.accuracy())
                .with("test_nll", test.nll());
        if (dropout.length > 1) {
            m = m.with("dropout_per_layer", FeatureScaling.join(dropout));
        }
        if (config.minStd() > 0) {
            m = m.with("min_std", config.minStd());
        }
        if (pre.scaling() != null) {
            m = m.with(SCALE_MEAN, FeatureScaling.join(pre.scaling().mean()))
                    .with(SCALE_STD, FeatureScaling.join(pre.scaling().std()));
        }
        return m;
    }

    static void save(UgmmNetwork network, Path file, ModelMetadata metadata) throws IOException {
        ModelFiles.save(network, file, metadata);
    }

    /** A model and how to prepare data for it; {@code datasetOverride} replaces the recorded dataset if given. */
    static Loaded load(Path file, String datasetOverride) throws IOException {
        Loaded loaded = load(file);
        String dataset = datasetOverride != null ? datasetOverride : loaded.preprocessing().dataset();
        if (dataset == null) {
            throw new UsageException(file + " does not record its dataset; pass --dataset");
        }
        var p = loaded.preprocessing();
        return new Loaded(loaded.network(), loaded.metadata(), loaded.loss(), loaded.classes(), loaded.recordsTraining(),
                new PreparedData.Preprocessing(dataset, p.labelAppended(), p.scaling(), p.testFraction(),
                        p.splitSeed(), p.classNames()));
    }

    /** A model and the preprocessing its metadata records; the dataset is null when none is recorded. */
    static Loaded load(Path file) throws IOException {
        LoadedModel model = ModelFiles.load(file);
        ModelMetadata m = model.metadata();
        Loss loss = m.get(LOSS).map(Loss::parse).orElse(model.network().outputs() == 1
                ? Loss.NEGATIVE_LOG_LIKELIHOOD : Loss.CROSS_ENTROPY);
        FeatureScaling scaling = null;
        if (m.get(SCALE_MEAN).isPresent()) {
            scaling = new FeatureScaling(FeatureScaling.parse(m.get(SCALE_MEAN).get(), SCALE_MEAN),
                    FeatureScaling.parse(m.get(SCALE_STD).orElse(""), SCALE_STD));
        }
        double testFraction = m.getDouble(TEST_FRACTION).orElse(0.2);
        long splitSeed = m.getLong(SPLIT_SEED).orElse(m.seed().orElse(42));
        int classes = (int) m.getLong(CLASSES).orElse(loss == Loss.CROSS_ENTROPY ? model.network().outputs() : 0);
        List<String> classNames = m.get(CLASS_NAMES).map(t -> List.of(t.split("\n", -1))).orElse(null);
        var pre = new PreparedData.Preprocessing(m.dataset().orElse(null), loss == Loss.NEGATIVE_LOG_LIKELIHOOD,
                scaling, testFraction, splitSeed, classNames);
        return new Loaded(model.network(), m, loss, classes, m.get(LOSS).isPresent(), pre);
    }

    /**
     * @param classes         number of classes (0 if a generative model does not record it)
     * @param recordsTraining the metadata was written by {@code ugmm train} (it records the loss), so its
     *                        preprocessing is known; otherwise (e.g. a PyTorch export) inputs are used as given
     */
    record Loaded(UgmmNetwork network, ModelMetadata metadata, Loss loss, int classes, boolean recordsTraining,
                  PreparedData.Preprocessing preprocessing) {
    }
}
