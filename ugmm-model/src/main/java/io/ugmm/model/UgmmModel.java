package io.ugmm.model;

import io.ugmm.model.io.LoadedModel;
import io.ugmm.model.io.ModelFileException;
import io.ugmm.model.io.ModelFiles;
import io.ugmm.model.io.ModelMetadata;
import io.ugmm.model.train.GenerativeObjective;
import io.ugmm.model.train.Loss;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A trained model with everything needed to use it on the raw features a user has: the network, the
 * preprocessing training applied (standardisation; for a generative model, the label input and MPE over
 * it), the class names, the number and names of the inputs, and the loss it was trained with.
 *
 * <pre>{@code
 * UgmmModel model = UgmmModel.load(Path.of("iris.safetensors"));
 * Prediction p = model.predict(new float[] {5.1f, 3.5f, 1.4f, 0.2f});   // cm, as in the CSV
 * p.className();      // "setosa"
 * p.probabilities();  // p(class | features), sums to 1
 * }</pre>
 *
 * <p>Immutable and thread-safe: share one model across threads. {@link #predict(float[])} allocates its
 * result and scratch; the allocation-free batch path is a {@link Predictor} per thread
 * ({@link #newPredictor(int)}).
 *
 * <p>The preprocessing lives in the model file's metadata (the keys below), written by {@code ugmm train}
 * and {@link #save(Path)}. A file without it (e.g. a PyTorch export) loads as a classifier over the root's
 * outputs with its inputs used as given. Features are checked: NaN or infinite values, and values whose
 * standardisation leaves the float range, throw an {@link InvalidFeatureException}; values far outside the
 * range seen in training set {@link Prediction#outOfRange()}.
 *
 * <p>Float range: parameters and standardised inputs are floats (|v| up to 3.4e38), but a layer squares
 * {@code (x - mu) / sigma}: when that exceeds about 1e19 (e.g. |x - mu| ~ 1e30, or sigma = e^-30 meeting
 * an input a few units away two layers deep) every class's score underflows to −∞ and the row is flagged
 * {@link Prediction#noFiniteScore()} rather than given a class.
 */
public final class UgmmModel {
    /** Metadata key: {@code ce} or {@code nll}. */
    public static final String LOSS = "loss";
    /**
     * Metadata key of a generative model: what training maximised, {@code joint} or {@code conditional} (see
     * {@link GenerativeObjective}). Absent in files written before it existed, which were all trained jointly.
     */
    public static final String GENERATIVE_OBJECTIVE = "generative_objective";
    /** Metadata key: the number of classes. */
    public static final String CLASSES = "classes";
    /** Metadata key: the class names in label order, one per line (a CSV field cannot hold a line break). */
    public static final String CLASS_NAMES = "class_names";
    /** Metadata key: the raw features' names, one per line. */
    public static final String INPUT_NAMES = "input_names";
    /** Metadata key: the name of the label column in the training data. */
    public static final String LABEL_NAME = "label_name";
    /** Metadata keys: comma-separated per-feature means and standard deviations of the standardisation. */
    public static final String STANDARDIZE_MEAN = "standardize_mean";
    public static final String STANDARDIZE_STD = "standardize_std";
    /** Metadata keys: comma-separated per-feature smallest and largest raw values seen in training. */
    public static final String FEATURE_MIN = "feature_min";
    public static final String FEATURE_MAX = "feature_max";

    /** How many standard deviations from the mean count as far outside, when no range is recorded. */
    private static final double FAR_IN_STDS = 10;
    private static final int NAMES_SHOWN = 5;

    private final UgmmNetwork network;
    private final ModelMetadata metadata;
    private final Loss loss;
    /** What a generative model was trained to maximise; null for a classifier. */
    private final GenerativeObjective generativeObjective;
    /** The network input holding the label (generative models), or −1. */
    private final int labelColumn;
    private final int inputCount;
    private final int classCount;
    private final List<String> classNames;
    private final boolean classNamesRecorded;
    private final List<String> inputNames;
    private final boolean inputNamesRecorded;
    private final FeatureStandardization standardization;
    /** Limits beyond which a raw feature counts as far outside training; null when unknown. */
    private final float[] lowestUsual;
    private final float[] highestUsual;
    /** Each raw feature's smallest and largest training value, when recorded; else null. */
    private final double[] trainingMin;
    private final double[] trainingMax;
    /** The forward pass with missing inputs (first layer masked); see {@link MissingPolicy}. */
    private final MarginalForward marginal;

    private UgmmModel(UgmmNetwork network, ModelMetadata metadata, String source) throws ModelFileException {
        this.network = network;
        this.metadata = metadata;
        MetadataReader m = new MetadataReader(metadata, source);
        boolean trained = metadata.get(LOSS).isPresent();
        this.loss = trained ? m.loss() : network.outputs() == 1 ? Loss.NEGATIVE_LOG_LIKELIHOOD : Loss.CROSS_ENTROPY;
        boolean generative = trained && loss == Loss.NEGATIVE_LOG_LIKELIHOOD;
        if (generative) {
            if (network.outputs() != 1) {
                throw m.fail("records loss nll (generative) but the network's root has " + network.outputs()
                        + " nodes; a generative model has one");
            }
            if (network.inputs() < 2) {
                throw m.fail("records loss nll (generative, label appended) but the network has 1 input; it needs"
                        + " the features and the label");
            }
            this.labelColumn = network.inputs() - 1;
            this.classCount = m.requiredCount(CLASSES, "the label states to try by MPE");
            this.generativeObjective = m.generativeObjective();
        } else {
            if (metadata.get(GENERATIVE_OBJECTIVE).isPresent()) {
                throw m.fail("records '" + GENERATIVE_OBJECTIVE + "' (" + metadata.get(GENERATIVE_OBJECTIVE).get()
                        + ") but the model is a classifier (loss " + loss.shortName() + "); only a generative model"
                        + " (loss nll) has a label objective");
            }
            this.generativeObjective = null;
            this.labelColumn = -1;
            this.classCount = network.outputs();
            int recorded = m.optionalCount(CLASSES, classCount);
            if (recorded != classCount) {
                throw m.fail("records " + recorded + " classes but the root has " + classCount + " nodes, one per class");
            }
        }
        this.inputCount = generative ? network.inputs() - 1 : network.inputs();
        List<String> names = m.lines(CLASS_NAMES, classCount, "class");
        this.classNamesRecorded = names != null;
        this.classNames = names != null ? names : generated("class_", classCount);
        List<String> inputs = m.lines(INPUT_NAMES, inputCount, "input");
        this.inputNamesRecorded = inputs != null;
        this.inputNames = inputs != null ? inputs : generated("x", inputCount);
        double[] mean = m.numbers(STANDARDIZE_MEAN, STANDARDIZE_STD, inputCount);
        double[] std = m.numbers(STANDARDIZE_STD, STANDARDIZE_MEAN, inputCount);
        this.standardization = mean == null ? null : m.standardization(mean, std);
        double[] min = m.numbers(FEATURE_MIN, FEATURE_MAX, inputCount);
        double[] max = m.numbers(FEATURE_MAX, FEATURE_MIN, inputCount);
        this.trainingMin = min;
        this.trainingMax = max;
        if (min != null) {
            this.lowestUsual = new float[inputCount];
            this.highestUsual = new float[inputCount];
            for (int f = 0; f < inputCount; f++) {
                if (!(min[f] <= max[f])) {
                    throw m.fail(FEATURE_MIN + " of feature " + f + " is " + min[f] + ", above " + FEATURE_MAX + " "
                            + max[f]);
                }
                // "far": more than the whole training range beyond it (or 1 for a feature that never varied)
                double slack = max[f] > min[f] ? max[f] - min[f] : Math.max(1, Math.abs(min[f]));
                lowestUsual[f] = (float) (min[f] - slack);
                highestUsual[f] = (float) (max[f] + slack);
            }
        } else if (standardization != null) {
            this.lowestUsual = new float[inputCount];
            this.highestUsual = new float[inputCount];
            for (int f = 0; f < inputCount; f++) {
                double slack = std[f] > 0 ? FAR_IN_STDS * std[f] : Math.max(1, Math.abs(mean[f]));
                lowestUsual[f] = (float) (mean[f] - slack);
                highestUsual[f] = (float) (mean[f] + slack);
            }
        } else {
            this.lowestUsual = null;
            this.highestUsual = null;
        }
        this.marginal = new MarginalForward(network);
    }

    // ---------------------------------------------------------------- loading and saving

    /**
     * Loads a model file.
     *
     * @throws ModelFileException for a missing, unreadable or malformed file, a file that is not a uGMM model,
     *                            or training metadata that is incomplete or contradicts the network
     */
    public static UgmmModel load(Path file) throws IOException {
        LoadedModel loaded = ModelFiles.load(file);
        return new UgmmModel(loaded.network(), loaded.metadata(), file.toString());
    }

    /** Loads a model from a stream (read to its end, not closed), e.g. a class-path resource. */
    public static UgmmModel load(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        return fromBytes(in.readAllBytes(), "<stream>");
    }

    /** Loads a model held in memory. */
    public static UgmmModel fromBytes(byte[] bytes) throws IOException {
        return fromBytes(bytes, "<bytes>");
    }

    /** Loads a model held in memory; {@code source} names it in error messages. */
    public static UgmmModel fromBytes(byte[] bytes, String source) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        LoadedModel loaded = ModelFiles.fromBytes(bytes, source);
        return new UgmmModel(loaded.network(), loaded.metadata(), source);
    }

    /**
     * A model from a network and the metadata a model file would carry.
     *
     * @throws IllegalArgumentException when the metadata is incomplete or contradicts the network
     */
    public static UgmmModel of(UgmmNetwork network, ModelMetadata metadata) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(metadata, "metadata");
        try {
            return new UgmmModel(network, metadata, "model");
        } catch (ModelFileException e) {
            throw new IllegalArgumentException(e.detail(), e);
        }
    }

    /** Starts a model around a trained network; see {@link Builder}. */
    public static Builder builder(UgmmNetwork network) {
        return new Builder(network);
    }

    /** Saves atomically in the model-file format of {@link ModelFiles} (safetensors), preprocessing included. */
    public void save(Path file) throws IOException {
        ModelFiles.save(network, file, metadata);
    }

    /** The bytes {@link #save(Path)} writes. */
    public byte[] toBytes() {
        return ModelFiles.toBytes(network, metadata);
    }

    // ---------------------------------------------------------------- what the model is

    /** The network (its inputs are the prepared features, plus the label for a generative model). */
    public UgmmNetwork network() {
        return network;
    }

    /** Everything the file records, preprocessing and provenance (dataset, epochs, seed, accuracy ...). */
    public ModelMetadata metadata() {
        return metadata;
    }

    /** The loss training minimised ({@code ce} for a classifier, {@code nll} for a generative model). */
    public Loss loss() {
        return loss;
    }

    /**
     * What a generative model was trained to maximise (the joint root log-density, or the conditional
     * log-likelihood of its label); empty for a classifier. Both predict the same way, by MPE over the label.
     */
    public Optional<GenerativeObjective> generativeObjective() {
        return Optional.ofNullable(generativeObjective);
    }

    /** Whether the label is an input of the network and classes come from MPE over it. */
    public boolean generative() {
        return labelColumn >= 0;
    }

    /** The number of raw features per row (without the label of a generative model). */
    public int inputCount() {
        return inputCount;
    }

    /** The raw features' names as recorded, or {@code x0, x1, ...}. */
    public List<String> inputNames() {
        return inputNames;
    }

    public boolean inputNamesRecorded() {
        return inputNamesRecorded;
    }

    /** The name of the training data's label column, when recorded. */
    public Optional<String> labelName() {
        return metadata.get(LABEL_NAME);
    }

    public int classCount() {
        return classCount;
    }

    /** The class names in class-index order, as recorded, or {@code class_0, class_1, ...}. */
    public List<String> classNames() {
        return classNames;
    }

    public String className(int c) {
        return classNames.get(c);
    }

    /** Whether training recorded the class names (otherwise {@link #classNames()} are generated). */
    public boolean classNamesRecorded() {
        return classNamesRecorded;
    }

    /** The standardisation applied to the raw features, if training used one. */
    public Optional<FeatureStandardization> standardization() {
        return Optional.ofNullable(standardization);
    }

    @Override
    public String toString() {
        return "UgmmModel[" + network.architecture() + ", " + loss.shortName() + ", " + classCount + " classes]";
    }

    // ---------------------------------------------------------------- prediction

    /**
     * Predicts one row of {@link #inputCount()} raw features (the CSV columns without the label).
     *
     * @throws IllegalArgumentException for a row of the wrong length
     * @throws InvalidFeatureException  for a NaN or infinite feature, or one standardising overflows
     */
    public Prediction predict(float[] features) {
        return newPredictor(1).predict(features);
    }

    /** Scratch for batches of up to {@code maxRows} rows, for the calling thread only; see {@link Predictor}. */
    public Predictor newPredictor(int maxRows) {
        return new Predictor(this, maxRows);
    }

    /**
     * Predicts one row whose missing features are {@link Float#NaN}, handled by {@code policy} (e.g.
     * {@link MissingPolicy#MARGINALIZE}: the class posterior p(class | observed features)).
     *
     * @throws InvalidFeatureException for an infinite feature, a row with every feature missing, or a NaN
     *                                 under {@link MissingPolicy#REJECT}
     */
    public Prediction predict(float[] features, MissingPolicy policy) {
        return newPredictor(1, policy).predict(features);
    }

    /** A {@link Predictor} that treats NaN features as missing, by {@code policy}. */
    public Predictor newPredictor(int maxRows, MissingPolicy policy) {
        return new Predictor(this, maxRows, policy);
    }

    /**
     * Fills the missing ({@link Float#NaN}) features of one row with the values that maximise the model's
     * root log-density given the observed ones; see {@link Imputer}.
     */
    public Imputation impute(float[] features, int restarts) {
        return new Imputer(this, restarts).impute(features);
    }

    /**
     * The network-input interval feature {@code f} is searched in by imputation: its training range widened by
     * a tenth on each side (where the pseudo-likelihood objective draws its noise), standardised;
     * {@code {-inf, +inf}} when the file records no range.
     */
    float[] imputationRange(int f) {
        if (trainingMin == null) {
            return new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        }
        double margin = 0.1 * (trainingMax[f] - trainingMin[f]);
        double low = trainingMin[f] - margin;
        double high = trainingMax[f] + margin;
        return standardization == null ? new float[] {(float) low, (float) high}
                : new float[] {standardization.apply(f, (float) low), standardization.apply(f, (float) high)};
    }

    MarginalForward marginal() {
        return marginal;
    }

    /**
     * The rows the network sees for {@code rows} raw feature rows: standardised, and for a generative model
     * one row per class with the label input set to it ({@code rows x classCount()} rows then). For
     * evaluating the network another way, e.g. with {@link DoublePrecisionEvaluator}.
     *
     * @throws InvalidFeatureException for a NaN or infinite feature, or one standardising overflows
     */
    public float[] networkInputs(float[] features, int rows) {
        Objects.requireNonNull(features, "features");
        if (rows < 0 || (long) rows * inputCount != features.length) {
            throw new IllegalArgumentException("expected " + rows + " rows x " + inputCount + " features = "
                    + (long) rows * inputCount + " values, found " + features.length);
        }
        int states = generative() ? classCount : 1;
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(rows, states), network.inputs())];
        prepare(features, 0, rows, out, new boolean[rows]);
        InvalidFeatureException bad = findInvalidFeature(features, 0, rows);
        if (bad != null) {
            throw bad;
        }
        return out;
    }

    /**
     * The rows a network is trained on: {@code rows} raw rows of {@code features} values standardised with
     * {@code standardization} (null for none) and, for the generative loss, each row's label appended as the
     * last input ({@code features + 1} values per row then). What {@link #predict} undoes for new rows.
     */
    public static float[] trainingInputs(float[] rawFeatures, int rows, int features,
                                         FeatureStandardization standardization, Loss loss, int[] labels) {
        Objects.requireNonNull(rawFeatures, "rawFeatures");
        if (rows < 0 || (long) rows * features != rawFeatures.length) {
            throw new IllegalArgumentException("expected " + rows + " rows x " + features + " features = "
                    + (long) rows * features + " values, found " + rawFeatures.length);
        }
        if (standardization != null && standardization.features() != features) {
            throw new IllegalArgumentException("the standardisation is for " + standardization.features()
                    + " features, the rows have " + features);
        }
        boolean appendLabel = loss == Loss.NEGATIVE_LOG_LIKELIHOOD;
        int width = appendLabel ? features + 1 : features;
        float[] out = new float[Math.multiplyExact(rows, width)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(rawFeatures, r * features, out, r * width, features);
            if (appendLabel) {
                out[r * width + features] = labels[r];
            }
        }
        if (standardization != null) {
            standardization.applyInPlace(out, 0, rows, width);
        }
        return out;
    }

    /**
     * Standardises {@code rows} raw rows into network inputs (one per label state for MPE), marking rows with
     * a feature far outside training in {@code outOfRange}. Non-finite values are caught by the network's own
     * check in {@link #scores} (and named by {@link #invalidFeature}), so the hot path checks them once.
     */
    void prepare(float[] features, int offset, int rows, float[] netInput, boolean[] outOfRange) {
        int n = inputCount;
        int width = network.inputs();
        int states = generative() ? classCount : 1;
        int stride = states * width;
        for (int r = 0; r < rows; r++) {
            int src = offset + r * n;
            System.arraycopy(features, src, netInput, r * stride, n);
            outOfRange[r] = lowestUsual != null && farOutside(features, src);
        }
        // the same arithmetic, in the same vectorisable loop, as standardising by hand
        if (standardization != null) {
            standardization.applyInPlace(netInput, 0, rows, stride);
        }
        if (generative()) {
            for (int r = 0; r < rows; r++) {
                int dst = r * stride;
                for (int s = 1; s < states; s++) {
                    System.arraycopy(netInput, dst, netInput, dst + s * width, n);
                }
                for (int s = 0; s < states; s++) {
                    netInput[dst + s * width + labelColumn] = s;
                }
            }
        }
    }

    /**
     * As {@link #prepare(float[], int, int, float[], boolean[])}; under a policy that accepts missing values a
     * NaN feature is missing (NaN kept for masking, or the standardised training mean 0), and every feature is
     * checked here, one by one (that path does not defer the check to the network).
     */
    void prepare(float[] features, int offset, int rows, float[] netInput, boolean[] outOfRange,
                 MissingPolicy policy) {
        if (!policy.acceptsMissing()) {
            prepare(features, offset, rows, netInput, outOfRange);
            return;
        }
        int n = inputCount;
        int width = network.inputs();
        int states = generative() ? classCount : 1;
        for (int r = 0; r < rows; r++) {
            int src = offset + r * n;
            int dst = r * states * width;
            boolean far = false;
            int missing = 0;
            for (int f = 0; f < n; f++) {
                float v = features[src + f];
                if (v != v) {
                    netInput[dst + f] = missingValue(r, f, policy);
                    missing++;
                    continue;
                }
                if (Float.isInfinite(v)) {
                    throw new InvalidFeatureException(r, f, inputNames.get(f), v, "features must be finite or NaN"
                            + " (missing)");
                }
                if (lowestUsual != null) {
                    far |= v < lowestUsual[f] || v > highestUsual[f];
                }
                float z = standardization == null ? v : standardization.apply(f, v);
                if (Float.isInfinite(z)) {
                    throw new InvalidFeatureException(r, f, inputNames.get(f), v, String.format(Locale.ROOT,
                            "standardised with the training mean %s and std %s it is beyond the float range",
                            standardization.means()[f], standardization.standardDeviations()[f]));
                }
                netInput[dst + f] = z;
            }
            if (missing == n) {
                throw new InvalidFeatureException(r, 0, inputNames.get(0), Float.NaN, "every feature of the row is"
                        + " missing; at least one must be known");
            }
            outOfRange[r] = far;
            for (int s = 1; s < states; s++) {
                System.arraycopy(netInput, dst, netInput, dst + s * width, n);
            }
            if (generative()) {
                for (int s = 0; s < states; s++) {
                    netInput[dst + s * width + labelColumn] = s;
                }
            }
        }
    }

    /** The network input for a missing feature: NaN to be masked, or the standardised training mean (0). */
    private float missingValue(int r, int f, MissingPolicy policy) {
        if (policy.masks()) {
            return Float.NaN;
        }
        if (standardization == null) {
            throw new InvalidFeatureException(r, f, inputNames.get(f), Float.NaN, "the model records no training"
                    + " mean to fill a missing feature with; use MissingPolicy.MARGINALIZE");
        }
        return 0f;
    }

    /** Root outputs of rows prepared by {@code policy}; missing (NaN) inputs are masked when it masks. */
    void scores(float[] features, int offset, int rows, float[] netInput, float[] scores, Workspace ws,
                MissingPolicy policy, MarginalForward.Scratch scratch) {
        if (!policy.masks()) {
            scores(features, offset, rows, netInput, scores, ws);
            return;
        }
        int states = generative() ? classCount : 1;
        marginal.forward(netInput, rows * states, scores, ws, scratch, policy);
    }

    /** Whether any feature of the row at {@code features[src..]} lies beyond its usual limits. */
    private boolean farOutside(float[] features, int src) {
        // a max reduction rather than a chain of branches: the JIT vectorises it
        float worst = Float.NEGATIVE_INFINITY;
        for (int f = 0; f < inputCount; f++) {
            float v = features[src + f];
            worst = Math.max(worst, Math.max(lowestUsual[f] - v, v - highestUsual[f]));
        }
        return worst > 0;
    }

    /** Root outputs of prepared rows: {@code rows x classCount()} log-scores. */
    void scores(float[] features, int offset, int rows, float[] netInput, float[] scores, Workspace ws) {
        int states = generative() ? classCount : 1;
        try {
            network.forward(netInput, 0, rows * states, scores, 0, ws);
        } catch (IllegalArgumentException e) {
            // the network refuses non-finite inputs before any work: name the raw feature that caused it
            InvalidFeatureException named = findInvalidFeature(features, offset, rows);
            throw named != null ? named : e;
        }
    }

    /** The first NaN, infinite, or overflowing-when-standardised feature of the rows, or null. */
    private InvalidFeatureException findInvalidFeature(float[] features, int offset, int rows) {
        for (int r = 0; r < rows; r++) {
            InvalidFeatureException e = invalidFeature(features, offset + r * inputCount, r);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    private InvalidFeatureException invalidFeature(float[] features, int src, int r) {
        for (int f = 0; f < inputCount; f++) {
            float v = features[src + f];
            if (v - v != 0f) {
                return new InvalidFeatureException(r, f, inputNames.get(f), v, "features must be finite");
            }
            if (standardization != null && Float.isInfinite(standardization.apply(f, v))) {
                return new InvalidFeatureException(r, f, inputNames.get(f), v, String.format(Locale.ROOT,
                        "standardised with the training mean %s and std %s it is beyond the float range",
                        standardization.means()[f], standardization.standardDeviations()[f]));
            }
        }
        return null;
    }

    /** e.g. {@code (sepal_length, sepal_width, ...)} for error messages. */
    String describeInputs() {
        List<String> shown = inputNames.subList(0, Math.min(NAMES_SHOWN, inputNames.size()));
        return "(" + String.join(", ", shown) + (inputNames.size() > NAMES_SHOWN ? ", ..." : "") + ")";
    }

    private static List<String> generated(String prefix, int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return List.copyOf(names);
    }

    /** Comma-separated numbers, {@link Double#toString(double)} of each (reads back exactly). */
    static String join(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(values[i]);
        }
        return sb.toString();
    }

    /**
     * Builds a model around a network, recording its preprocessing in the metadata that {@link #save(Path)}
     * writes (and that {@link #load(Path)} reads back).
     *
     * <pre>{@code
     * UgmmModel model = UgmmModel.builder(trained).loss(Loss.CROSS_ENTROPY)
     *         .classNames(List.of("cat", "dog")).inputNames(List.of("a", "b"))
     *         .standardization(FeatureStandardization.fit(x, rows, 2)).trainingRange(x, rows)
     *         .metadata(ModelMetadata.empty().withDataset("pets").withSeed(42)).build();
     * }</pre>
     */
    public static final class Builder {
        private final UgmmNetwork network;
        private ModelMetadata metadata = ModelMetadata.empty();
        private Loss loss = Loss.CROSS_ENTROPY;
        private GenerativeObjective generativeObjective;
        private Integer classes;
        private List<String> classNames;
        private List<String> inputNames;
        private String labelName;
        private FeatureStandardization standardization;
        private double[] min;
        private double[] max;

        private Builder(UgmmNetwork network) {
            this.network = Objects.requireNonNull(network, "network");
        }

        /** Provenance to keep (dataset, epochs, seed, ...); the preprocessing keys are set by this builder. */
        public Builder metadata(ModelMetadata metadata) {
            this.metadata = Objects.requireNonNull(metadata, "metadata");
            return this;
        }

        /** {@code NEGATIVE_LOG_LIKELIHOOD} means generative: the label is the network's last input. */
        public Builder loss(Loss loss) {
            this.loss = Objects.requireNonNull(loss, "loss");
            return this;
        }

        /** What a generative model was trained to maximise (recorded for {@code NEGATIVE_LOG_LIKELIHOOD} only). */
        public Builder generativeObjective(GenerativeObjective objective) {
            this.generativeObjective = Objects.requireNonNull(objective, "objective");
            return this;
        }

        /** The number of classes (for a generative model, the label states; a classifier has one per root node). */
        public Builder classCount(int classes) {
            this.classes = classes;
            return this;
        }

        /** The class names in label order; also sets the class count. */
        public Builder classNames(List<String> names) {
            this.classNames = List.copyOf(names);
            this.classes = names.size();
            return this;
        }

        public Builder inputNames(List<String> names) {
            this.inputNames = List.copyOf(names);
            return this;
        }

        public Builder labelName(String name) {
            this.labelName = name;
            return this;
        }

        public Builder standardization(FeatureStandardization standardization) {
            this.standardization = standardization;
            return this;
        }

        /** Records each raw feature's smallest and largest value in {@code rows} training rows (row-major). */
        public Builder trainingRange(float[] rawFeatures, int rows) {
            int n = loss == Loss.NEGATIVE_LOG_LIKELIHOOD ? network.inputs() - 1 : network.inputs();
            if (rows < 1 || (long) rows * n != rawFeatures.length) {
                throw new IllegalArgumentException("expected at least one row of " + n + " features, found "
                        + rawFeatures.length + " values for " + rows + " rows");
            }
            min = new double[n];
            max = new double[n];
            java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (int e = 0; e < rawFeatures.length; e++) {
                int f = e % n;
                min[f] = Math.min(min[f], rawFeatures[e]);
                max[f] = Math.max(max[f], rawFeatures[e]);
            }
            return this;
        }

        /**
         * @throws IllegalArgumentException when the pieces do not fit the network (counts, lengths)
         */
        public UgmmModel build() {
            ModelMetadata m = metadata;
            for (String key : List.of(LOSS, GENERATIVE_OBJECTIVE, CLASSES, CLASS_NAMES, INPUT_NAMES, LABEL_NAME, STANDARDIZE_MEAN,
                    STANDARDIZE_STD, FEATURE_MIN, FEATURE_MAX)) {
                m = m.without(key);
            }
            m = m.with(LOSS, loss.shortName());
            if (loss == Loss.NEGATIVE_LOG_LIKELIHOOD) {
                m = m.with(GENERATIVE_OBJECTIVE, (generativeObjective == null ? GenerativeObjective.JOINT : generativeObjective).shortName());
            } else if (generativeObjective != null) {
                throw new IllegalArgumentException("a label objective (" + generativeObjective.shortName() + ") is for"
                        + " generative models (loss nll); this model's loss is " + loss.shortName());
            }
            if (classes != null) {
                m = m.with(CLASSES, (long) classes);
            }
            if (classNames != null) {
                m = m.with(CLASS_NAMES, String.join("\n", classNames));
            }
            if (inputNames != null) {
                m = m.with(INPUT_NAMES, String.join("\n", inputNames));
            }
            if (labelName != null) {
                m = m.with(LABEL_NAME, labelName);
            }
            if (standardization != null) {
                m = m.with(STANDARDIZE_MEAN, join(standardization.means()))
                        .with(STANDARDIZE_STD, join(standardization.standardDeviations()));
            }
            if (min != null) {
                m = m.with(FEATURE_MIN, join(min)).with(FEATURE_MAX, join(max));
            }
            return of(network, m);
        }
    }
}
