package io.ugmm.spark;

import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.ArrayList;
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
        FeatureRows block = new FeatureRows(partition, names, featuresCol, describe(names.size()));
        while (input.hasNext()) {
            block.add(input.next().get(0));
        }
        return new GmmRows(partition, block.rows(), names.size(), block.block());
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
