package io.ugmm.spark;

import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One partition's feature rows for {@link UgmmGaussianMixture}: row-major floats, read and checked once,
 * then cached for every EM iteration.
 */
final class GmmRows implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    final int dims;
    final float[] x;

    private GmmRows(int partition, int rows, int dims, float[] x) {
        this.partition = partition;
        this.rows = rows;
        this.dims = dims;
        this.x = x;
    }

    /** Reads the features (column 0 of each row), failing on the first bad one with its column, row and partition. */
    static GmmRows read(int partition, Iterator<Row> input, List<String> names, String featuresCol) {
        int width = names.size();
        float[] x = new float[Math.max(1024, width) * width];
        int rows = 0;
        while (input.hasNext()) {
            Row row = input.next();
            if ((long) (rows + 1) * width > x.length) {
                x = Arrays.copyOf(x, Math.multiplyExact(x.length, 2));
            }
            String problem = FeatureReader.read(row.get(0), names, x, rows * width);
            if (problem != null) {
                throw new IllegalArgumentException("ugmm: the features column '" + featuresCol + "' in row " + rows
                        + " of partition " + partition + " " + problem + "; expected " + width + " finite numbers"
                        + " " + describe(width));
            }
            rows++;
        }
        return new GmmRows(partition, rows, width, Arrays.copyOf(x, rows * width));
    }

    /** What a mixture's features are, for messages. */
    static String describe(int dims) {
        return "(a Gaussian mixture of " + dims + " features)";
    }

    /** Each row with probability {@code fraction} (Bernoulli, a seed per partition), in order. */
    float[] sample(double fraction, long seed) {
        if (fraction >= 1) {
            return x;
        }
        SplittableRandom random = new SplittableRandom(seed * 31 + partition);
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            if (random.nextDouble() < fraction) {
                kept.add(r);
            }
        }
        float[] out = new float[kept.size() * dims];
        for (int i = 0; i < kept.size(); i++) {
            System.arraycopy(x, kept.get(i) * dims, out, i * dims, dims);
        }
        return out;
    }
}
