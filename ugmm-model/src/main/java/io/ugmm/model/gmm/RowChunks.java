package io.ugmm.model.gmm;

import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Rows split into chunks that depend only on the row count, worked on by all cores (the common fork-join
 * pool); per-chunk results are combined in chunk order, so a result does not depend on the thread count.
 */
final class RowChunks {
    /** Rows per chunk at least; enough work per task to pay for handing it to a thread. */
    private static final int MIN_ROWS = 256;
    private static final int MAX_CHUNKS = 32;

    private RowChunks() {
    }

    interface RangeTask {
        void run(int from, int count);
    }

    static int chunkCount(int rows) {
        return Math.max(1, Math.min(MAX_CHUNKS, (rows + MIN_ROWS - 1) / MIN_ROWS));
    }

    static int start(int rows, int chunks, int chunk) {
        return (int) ((long) rows * chunk / chunks);
    }

    /** Runs {@code task} over disjoint row ranges covering {@code 0..rows}, in parallel. */
    static void forEach(int rows, int components, RangeTask task) {
        int chunks = chunkCount(rows);
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = start(rows, chunks, c);
            task.run(from, start(rows, chunks, c + 1) - from);
        });
    }

    /** One result per chunk, computed in parallel, returned in chunk order. */
    static <T> T[] map(int rows, int chunks, IntFunction<T[]> arrays, MapTask<T> task) {
        T[] out = arrays.apply(chunks);
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int from = start(rows, chunks, c);
            out[c] = task.run(from, start(rows, chunks, c + 1) - from);
        });
        return out;
    }

    interface MapTask<T> {
        T run(int from, int count);
    }

    /** Checks {@code x} holds {@code rows x dims} finite values; errors name the row and column. */
    static void checkData(float[] x, int rows, int dims) {
        if (rows < 0) {
            throw new IllegalArgumentException("row count " + rows + " is negative");
        }
        if ((long) rows * dims != x.length) {
            throw new IllegalArgumentException(rows + " rows of " + dims + " features need " + (long) rows * dims
                    + " values, found " + x.length);
        }
        checkRows(x, 0, rows, dims);
    }

    /**
     * Checks rows {@code from .. from+count} of {@code x} lie inside it and hold finite values; errors name
     * the row and column.
     */
    static void checkRows(float[] x, int from, int count, int dims) {
        long end = (long) from + count;
        if (from < 0 || count < 0 || end * dims > x.length) {
            throw new IllegalArgumentException("rows " + from + " .. " + end + " of " + dims
                    + " features are outside the " + x.length + " values given");
        }
        for (int i = from * dims; i < end * dims; i++) {
            if (!Float.isFinite(x[i])) {
                throw new IllegalArgumentException("row " + i / dims + ", column " + i % dims + " is " + x[i]
                        + "; a Gaussian mixture needs finite values");
            }
        }
    }
}
