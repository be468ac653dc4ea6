package io.ugmm.spark;

import io.ugmm.model.gmm.GaussianMixture;
import io.ugmm.model.io.GmmFiles;
import io.ugmm.model.io.ModelFileException;
import org.apache.spark.broadcast.Broadcast;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Gaussian mixtures of this JVM (an executor, or the driver in local mode), parsed once per broadcast
 * of their gmm file's bytes (a full mixture's Cholesky factors are worth not redoing per task). A mixture
 * is immutable, so the tasks of an executor share it. Keeps the few most recently used.
 */
final class GmmBroadcasts {
    private static final int KEPT = 4;

    private static final Map<Long, GaussianMixture> MIXTURES = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, GaussianMixture> eldest) {
            return size() > KEPT;
        }
    };

    private GmmBroadcasts() {
    }

    static GaussianMixture get(Broadcast<byte[]> bytes) {
        synchronized (MIXTURES) {
            return MIXTURES.computeIfAbsent(bytes.id(), id -> parse(bytes.value(), "a broadcast Gaussian mixture"));
        }
    }

    static GaussianMixture parse(byte[] bytes, String source) {
        try {
            return GmmFiles.fromBytes(bytes, source).mixture();
        } catch (ModelFileException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
