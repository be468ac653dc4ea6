package io.ugmm.cli;

import java.util.HashMap;
import java.util.Map;

/**
 * Agreement of two partitions of the same rows, corrected for chance (Hubert and Arabie 1985): 1 for the
 * same partition up to renaming, about 0 for independent ones. Used to compare clusters with known labels.
 */
final class AdjustedRandIndex {
    private AdjustedRandIndex() {
    }

    static double of(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("partitions of " + a.length + " and " + b.length + " rows");
        }
        Map<Long, Long> pairs = new HashMap<>();
        Map<Integer, Long> rowsA = new HashMap<>();
        Map<Integer, Long> rowsB = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            pairs.merge(((long) a[i] << 32) | (b[i] & 0xffffffffL), 1L, Long::sum);
            rowsA.merge(a[i], 1L, Long::sum);
            rowsB.merge(b[i], 1L, Long::sum);
        }
        double index = pairs.values().stream().mapToDouble(AdjustedRandIndex::choose2).sum();
        double sumA = rowsA.values().stream().mapToDouble(AdjustedRandIndex::choose2).sum();
        double sumB = rowsB.values().stream().mapToDouble(AdjustedRandIndex::choose2).sum();
        double expected = sumA * sumB / choose2(a.length);
        double max = (sumA + sumB) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected);
    }

    private static double choose2(long n) {
        return n * (n - 1) / 2.0;
    }
}
