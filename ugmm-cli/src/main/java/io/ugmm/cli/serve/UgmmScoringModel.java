package io.ugmm.cli.serve;

import io.ugmm.model.InvalidFeatureException;
import io.ugmm.model.Predictor;
import io.ugmm.model.UgmmModel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A {@link UgmmModel} as the server sees it: the library object does all preprocessing and scoring. */
public final class UgmmScoringModel implements ScoringModel {
    /** Metadata that {@code GET /v1/model} shows elsewhere or that is too long to be useful there. */
    private static final Set<String> NOT_SHOWN = Set.of(UgmmModel.CLASS_NAMES, UgmmModel.INPUT_NAMES,
            UgmmModel.STANDARDIZE_MEAN, UgmmModel.STANDARDIZE_STD, UgmmModel.FEATURE_MIN, UgmmModel.FEATURE_MAX);

    private final UgmmModel model;
    private final Map<String, String> metadata;

    public UgmmScoringModel(UgmmModel model) {
        this.model = model;
        Map<String, String> shown = new LinkedHashMap<>();
        model.metadata().asMap().forEach((k, v) -> {
            if (!NOT_SHOWN.contains(k)) {
                shown.put(k, v);
            }
        });
        this.metadata = java.util.Collections.unmodifiableMap(shown);
    }

    /** The {@link ModelLoader} of {@code ugmm serve}. */
    public static ScoringModel load(Path file) throws Exception {
        return new UgmmScoringModel(UgmmModel.load(file));
    }

    public UgmmModel model() {
        return model;
    }

    @Override
    public int inputCount() {
        return model.inputCount();
    }

    @Override
    public List<String> inputNames() {
        return model.inputNames();
    }

    @Override
    public List<String> classNames() {
        return model.classNames();
    }

    @Override
    public String description() {
        return model.network().architecture() + ", " + (model.generative() ? "generative (MPE over the label)"
                : "classifier")
                + (model.standardization().isPresent() ? ", standardised inputs" : "");
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public RowScorer newScorer(int maxRows) {
        Predictor predictor = model.newPredictor(maxRows);
        return (x, rows, probabilities, classIndex, outOfRange) -> {
            try {
                predictor.predict(x, 0, rows, probabilities, classIndex);
            } catch (InvalidFeatureException e) {
                String message = e.getMessage();
                int cut = message.indexOf("; ");
                throw new RowRejectedException(e.row(), e.feature(), "the value " + e.value() + " cannot be used: "
                        + (cut < 0 ? message : message.substring(cut + 2)));
            }
            for (int r = 0; r < rows; r++) {
                outOfRange[r] = predictor.outOfRange(r);
            }
        };
    }
}
