package io.ugmm.spark;

import org.apache.spark.broadcast.Broadcast;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What this JVM (an executor, or the driver in local mode) parsed from broadcast model bytes, once per
 * broadcast; keeps the few most recently used. A value is shared by the tasks of the JVM, so it must be
 * safe to use from many threads.
 */
final class ParsedBroadcasts<T> {
    private static final int KEPT = 4;

    private final Function<byte[], T> parse;
    private final Map<Long, T> values = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, T> eldest) {
            return size() > KEPT;
        }
    };

    ParsedBroadcasts(Function<byte[], T> parse) {
        this.parse = parse;
    }

    /** Parsed under the lock: the tasks of an executor wait for one parse instead of each parsing the bytes. */
    synchronized T get(Broadcast<byte[]> bytes) {
        return values.computeIfAbsent(bytes.id(), id -> parse.apply(bytes.value()));
    }
}
