package io.ugmm.spark;

import java.util.Arrays;
import java.util.List;

/**
 * One partition's feature rows read into a row-major float block that grows as they come, each row checked
 * as it is read: a bad one fails naming the column, the row and the partition. What the estimators cache.
 */
final class FeatureRows {
    private final int partition;
    private final List<String> names;
    private final String featuresCol;
    /** Said after "expected N finite numbers" in an error; may be empty. */
    private final String described;
    private final int width;
    private float[] x;
    private int rows;

    FeatureRows(int partition, List<String> names, String featuresCol, String described) {
        this.partition = partition;
        this.names = names;
        this.featuresCol = featuresCol;
        this.described = described;
        this.width = names.size();
        this.x = new float[Math.max(1024, width) * width];
    }

    /** Appends the features of a row (its features column's value). */
    void add(Object value) {
        if ((long) (rows + 1) * width > x.length) {
            x = Arrays.copyOf(x, Math.multiplyExact(x.length, 2));
        }
        String problem = FeatureReader.read(value, names, x, rows * width);
        if (problem != null) {
            throw new IllegalArgumentException(FeatureReader.badRow(featuresCol, rows, partition, problem, width)
                    + (described.isEmpty() ? "" : " " + described));
        }
        rows++;
    }

    int rows() {
        return rows;
    }

    /** The rows read, row-major. */
    float[] block() {
        return Arrays.copyOf(x, rows * width);
    }
}
