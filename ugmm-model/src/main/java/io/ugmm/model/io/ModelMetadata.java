package io.ugmm.model.io;

import io.ugmm.model.internal.MessageText;
import io.ugmm.model.internal.Json;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The string map a model file carries in its safetensors {@code __metadata__}, with typed helpers for
 * the keys ugmm uses. Immutable: every {@code with...} returns a new instance.
 *
 * <pre>{@code
 * ModelMetadata meta = ModelMetadata.empty()
 *         .withDataset("mnist").withEpochs(48).withSeed(42).withDropout(0.3)
 *         .with("optimizer", "adam").with("learning_rate", 1e-2);
 * ModelFiles.save(network, Path.of("mnist.safetensors"), meta);
 * }</pre>
 *
 * <p>{@link ModelFiles#save} adds {@value #FORMAT} = {@code ugmm}, {@value #FORMAT_VERSION} = {@code 1} and
 * {@value #ARCHITECTURE} (e.g. {@code 784-128-64-10}) itself, replacing any value given for them.
 * Numbers are stored with {@link Long#toString(long)} / {@link Double#toString(double)}, which read back exactly.
 */
public final class ModelMetadata {
    public static final String FORMAT = "format";
    public static final String FORMAT_VERSION = "format_version";
    public static final String ARCHITECTURE = "architecture";
    public static final String DROPOUT = "dropout";
    public static final String DATASET = "dataset";
    public static final String EPOCHS = "epochs";
    public static final String SEED = "seed";

    private static final ModelMetadata EMPTY = new ModelMetadata(new TreeMap<>());

    private final Map<String, String> values;

    private ModelMetadata(TreeMap<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    public static ModelMetadata empty() {
        return EMPTY;
    }

    /** Metadata holding a copy of {@code values}. */
    public static ModelMetadata of(Map<String, String> values) {
        TreeMap<String, String> copy = new TreeMap<>();
        values.forEach((k, v) -> copy.put(checked(k, v), v));
        return new ModelMetadata(copy);
    }

    /** With {@code key} set to {@code value} (replacing any previous value). */
    public ModelMetadata with(String key, String value) {
        TreeMap<String, String> copy = new TreeMap<>(values);
        copy.put(checked(key, value), value);
        return new ModelMetadata(copy);
    }

    private static String checked(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, () -> "value of " + key);
        if (!Json.isWellFormed(key) || !Json.isWellFormed(value)) {
            throw new IllegalArgumentException("metadata " + MessageText.quote(key) + " has an unpaired surrogate");
        }
        return key;
    }

    public ModelMetadata with(String key, long value) {
        return with(key, Long.toString(value));
    }

    public ModelMetadata with(String key, double value) {
        return with(key, Double.toString(value));
    }

    /** Without {@code key}. */
    public ModelMetadata without(String key) {
        TreeMap<String, String> copy = new TreeMap<>(values);
        copy.remove(key);
        return new ModelMetadata(copy);
    }

    /** The training data set's name, e.g. {@code mnist}, {@code iris}, or a file name. */
    public ModelMetadata withDataset(String dataset) {
        return with(DATASET, dataset);
    }

    public ModelMetadata withEpochs(long epochs) {
        return with(EPOCHS, epochs);
    }

    public ModelMetadata withSeed(long seed) {
        return with(SEED, seed);
    }

    /** The training dropout probability (training only; inference never drops). */
    public ModelMetadata withDropout(double dropout) {
        return with(DROPOUT, dropout);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /**
     * The value of {@code key} as a whole number.
     *
     * @throws IllegalArgumentException if present but not a whole number
     */
    public OptionalLong getLong(String key) {
        String v = values.get(key);
        if (v == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata " + key + " is " + MessageText.quote(v)
                    + ", not a whole number");
        }
    }

    /**
     * The value of {@code key} as a number.
     *
     * @throws IllegalArgumentException if present but not a number
     */
    public OptionalDouble getDouble(String key) {
        String v = values.get(key);
        if (v == null) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata " + key + " is " + MessageText.quote(v) + ", not a number");
        }
    }

    public Optional<String> dataset() {
        return get(DATASET);
    }

    public OptionalLong epochs() {
        return getLong(EPOCHS);
    }

    public OptionalLong seed() {
        return getLong(SEED);
    }

    public OptionalDouble dropout() {
        return getDouble(DROPOUT);
    }

    /** e.g. {@code 784-128-64-10}, as written by {@link ModelFiles#save}. */
    public Optional<String> architecture() {
        return get(ARCHITECTURE);
    }

    /** All entries, sorted by key (unmodifiable). */
    public Map<String, String> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelMetadata m && m.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
