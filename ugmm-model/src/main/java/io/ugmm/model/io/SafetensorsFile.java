package io.ugmm.model.io;

import io.ugmm.model.internal.MessageText;
import io.ugmm.model.internal.Json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The contents of a safetensors file: named tensors and the optional {@code __metadata__} string map.
 * Immutable. Made by {@link SafetensorsReader} (tensors in file data order) or by hand for
 * {@link SafetensorsWriter} (which writes them sorted by name).
 */
public final class SafetensorsFile {
    /** The reserved header key of the metadata map; no tensor may have this name. */
    public static final String METADATA_KEY = "__metadata__";

    private final String source;
    private final Map<String, String> metadata;
    private final Map<String, Tensor> tensors;

    /**
     * @param metadata string map stored as {@code __metadata__} (copied; may be empty)
     * @param tensors  tensors with distinct names (copied)
     * @throws IllegalArgumentException on a duplicate or reserved tensor name, or text with unpaired surrogates
     */
    public SafetensorsFile(Map<String, String> metadata, Collection<Tensor> tensors) {
        this("(in memory)", metadata, tensors);
    }

    SafetensorsFile(String source, Map<String, String> metadata, Collection<Tensor> tensors) {
        this.source = Objects.requireNonNull(source, "source");
        Map<String, String> meta = new TreeMap<>();
        metadata.forEach((k, v) -> {
            Objects.requireNonNull(k, "metadata key");
            Objects.requireNonNull(v, () -> "metadata value of " + k);
            if (!Json.isWellFormed(k) || !Json.isWellFormed(v)) {
                throw new IllegalArgumentException("metadata " + MessageText.quote(k) + " has an unpaired surrogate");
            }
            meta.put(k, v);
        });
        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Tensor t : tensors) {
            if (t.name().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor may not be named " + METADATA_KEY);
            }
            if (byName.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("two tensors are named " + MessageText.quote(t.name()));
            }
        }
        this.metadata = Collections.unmodifiableMap(meta);
        this.tensors = Collections.unmodifiableMap(byName);
    }

    /** Where this came from: the path as given to the reader, or {@code (in memory)}. */
    public String source() {
        return source;
    }

    /** The {@code __metadata__} map, sorted by key (empty if the file has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** All tensors, in file data order when read from a file. */
    public List<Tensor> tensors() {
        return List.copyOf(tensors.values());
    }

    /** The tensor with this name, if there is one. */
    public Optional<Tensor> tensor(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    /** Tensor names in file data order. */
    public List<String> names() {
        return new ArrayList<>(tensors.keySet());
    }

    /** Same metadata and tensors (the source name is not compared). */
    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsFile f && f.metadata.equals(metadata)
                && new TreeMap<>(f.tensors).equals(new TreeMap<>(tensors));
    }

    @Override
    public int hashCode() {
        return Objects.hash(metadata, new TreeMap<>(tensors));
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + source + ", " + tensors.size() + " tensors, metadata " + metadata.keySet() + "]";
    }
}
