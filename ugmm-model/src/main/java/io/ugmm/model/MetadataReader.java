package io.ugmm.model;

import io.ugmm.model.io.ModelFileException;
import io.ugmm.model.io.ModelMetadata;
import io.ugmm.model.train.GenerativeObjective;
import io.ugmm.model.train.Loss;

import java.util.List;
import java.util.Optional;

/** Reads the preprocessing keys of a model file's metadata ({@link UgmmModel}'s constants), failing with a {@link ModelFileException} that names the key. */
final class MetadataReader {
    private final ModelMetadata metadata;
    private final String source;

    MetadataReader(ModelMetadata metadata, String source) {
        this.metadata = metadata;
        this.source = source;
    }

    ModelFileException fail(String detail) {
        return new ModelFileException(source, null, "model metadata " + detail);
    }

    Loss loss() throws ModelFileException {
        String text = metadata.get(UgmmModel.LOSS).orElseThrow();
        try {
            return Loss.parse(text);
        } catch (IllegalArgumentException e) {
            throw fail(UgmmModel.LOSS + " is '" + text + "'; expected ce or nll");
        }
    }

    /** A generative model's objective; {@code joint} when absent (files from before the key, all trained so). */
    GenerativeObjective generativeObjective() throws ModelFileException {
        Optional<String> text = metadata.get(UgmmModel.GENERATIVE_OBJECTIVE);
        if (text.isEmpty()) {
            return GenerativeObjective.JOINT;
        }
        try {
            return GenerativeObjective.parse(text.get());
        } catch (IllegalArgumentException e) {
            throw fail("'" + UgmmModel.GENERATIVE_OBJECTIVE + "' is '" + text.get() + "'; expected joint, conditional or pseudo");
        }
    }

    int requiredCount(String key, String what) throws ModelFileException {
        if (metadata.get(key).isEmpty()) {
            throw fail("has no '" + key + "' (" + what + "); the file is incomplete");
        }
        return optionalCount(key, 0);
    }

    int optionalCount(String key, int fallback) throws ModelFileException {
        long v;
        try {
            v = metadata.getLong(key).orElse(fallback);
        } catch (IllegalArgumentException e) {
            throw fail("'" + key + "' is '" + metadata.get(key).orElse("") + "'; expected a whole number");
        }
        if (v < 1 || v > Integer.MAX_VALUE / 1024) {
            throw fail("'" + key + "' is " + v + "; expected a count from 1");
        }
        return (int) v;
    }

    /** The key's lines, checked to be {@code count} of them; null when the key is absent. */
    List<String> lines(String key, int count, String what) throws ModelFileException {
        Optional<String> text = metadata.get(key);
        if (text.isEmpty()) {
            return null;
        }
        List<String> names = List.of(text.get().split("\n", -1));
        if (names.size() != count) {
            throw fail("'" + key + "' names " + names.size() + " " + what + "s but the model has " + count);
        }
        return names;
    }

    /** The key's comma-separated numbers, {@code count} of them; null when neither it nor its partner is present. */
    double[] numbers(String key, String partner, int count) throws ModelFileException {
        Optional<String> text = metadata.get(key);
        if (text.isEmpty()) {
            if (metadata.get(partner).isPresent()) {
                throw fail("has '" + partner + "' but no '" + key + "'; the preprocessing record is incomplete");
            }
            return null;
        }
        String[] parts = text.get().split(",", -1);
        if (parts.length != count) {
            throw fail("'" + key + "' has " + parts.length + " values but the model takes " + count + " features");
        }
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw fail("'" + key + "' value " + (i + 1) + " is '" + parts[i] + "', not a number");
            }
            if (!Double.isFinite(v[i])) {
                throw fail("'" + key + "' value " + (i + 1) + " is " + v[i] + "; expected a finite number");
            }
        }
        return v;
    }

    FeatureStandardization standardization(double[] mean, double[] std) throws ModelFileException {
        try {
            return FeatureStandardization.of(mean, std);
        } catch (IllegalArgumentException e) {
            throw fail(UgmmModel.STANDARDIZE_MEAN + "/" + UgmmModel.STANDARDIZE_STD + ": " + e.getMessage());
        }
    }
}
