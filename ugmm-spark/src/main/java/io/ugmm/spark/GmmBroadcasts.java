package io.ugmm.spark;

import io.ugmm.model.gmm.GaussianMixture;
import io.ugmm.model.io.GmmFiles;
import io.ugmm.model.io.ModelFileException;
import org.apache.spark.broadcast.Broadcast;

import java.io.UncheckedIOException;

/**
 * The Gaussian mixtures of this JVM, parsed once per broadcast of their gmm file's bytes (a full mixture's
 * Cholesky factors are worth not redoing per task). A mixture is immutable, so the tasks share it.
 */
final class GmmBroadcasts {
    private static final ParsedBroadcasts<GaussianMixture> MIXTURES =
            new ParsedBroadcasts<>(bytes -> parse(bytes, "a broadcast Gaussian mixture"));

    private GmmBroadcasts() {
    }

    static GaussianMixture get(Broadcast<byte[]> bytes) {
        return MIXTURES.get(bytes);
    }

    static GaussianMixture parse(byte[] bytes, String source) {
        try {
            return GmmFiles.fromBytes(bytes, source).mixture();
        } catch (ModelFileException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
