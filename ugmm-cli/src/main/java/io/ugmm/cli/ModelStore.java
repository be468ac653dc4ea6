package io.ugmm.cli;

import io.ugmm.model.UgmmModel;
import io.ugmm.model.io.ModelMetadata;
import io.ugmm.model.train.Trainer;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Trained models on disk: a {@link UgmmModel} (which records and applies the preprocessing) plus the
 * provenance {@code ugmm eval} needs to find the data again: the dataset and how it was split.
 */
final class ModelStore {
    static final String TEST_FRACTION = "test_fraction";
    static final String SPLIT_SEED = "split_seed";

    private ModelStore() {
    }

    /** What {@code ugmm train} records beside the preprocessing: dataset, split, training settings, test figures. */
    static ModelMetadata provenance(PreparedData data, Trainer trainer, Evaluation test, double[] dropout) {
        var config = trainer.config();
        ModelMetadata m = ModelMetadata.empty()
                .withDataset(data.spec)
                .withEpochs(trainer.epochsDone())
                .withSeed(config.seed())
                .withDropout(dropout[0])
                .with(TEST_FRACTION, data.testFraction)
                .with(SPLIT_SEED, data.splitSeed)
                .with("batch_size", (long) config.batchSize())
                .with("learning_rate", config.schedule().base())
                .with("optimizer", "adam")
                .with("test_accuracy", test.accuracy())
                .with("test_nll", test.nll());
        if (dropout.length > 1) {
            StringBuilder rates = new StringBuilder();
            for (int i = 0; i < dropout.length; i++) {
                rates.append(i == 0 ? "" : ",").append(dropout[i]);
            }
            m = m.with("dropout_per_layer", rates.toString());
        }
        if (config.minStd() > 0) {
            m = m.with("min_std", config.minStd());
        }
        return m;
    }

    /** A model and where its data came from; {@code datasetOverride} replaces the recorded dataset if given. */
    static Loaded load(Path file, String datasetOverride) throws IOException {
        UgmmModel model = UgmmModel.load(file);
        ModelMetadata m = model.metadata();
        String dataset = datasetOverride != null ? datasetOverride : m.dataset().orElse(null);
        if (dataset == null) {
            throw new UsageException(file + " does not record its dataset; pass --dataset");
        }
        double testFraction = m.getDouble(TEST_FRACTION).orElse(0.2);
        long splitSeed = m.getLong(SPLIT_SEED).orElse(m.seed().orElse(42));
        return new Loaded(model, dataset, testFraction, splitSeed);
    }

    /** A model with the dataset and split it was trained on. */
    record Loaded(UgmmModel model, String dataset, double testFraction, long splitSeed) {
    }
}
