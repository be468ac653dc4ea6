package io.ugmm.spark;

import io.ugmm.model.FeatureStandardization;
import io.ugmm.model.train.TrainingSet;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** One partition's training rows as the trainer takes them: row-major features and class indices. */
final class TrainingChunk implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final int rows;
    final int features;
    final float[] x;
    final int[] labels;

    private TrainingChunk(int partition, int rows, int features, float[] x, int[] labels) {
        this.partition = partition;
        this.rows = rows;
        this.features = features;
        this.x = x;
        this.labels = labels;
    }

    /** Reads (features, label) rows, checking each as the transformer does, into one chunk. */
    static TrainingChunk read(int partition, Iterator<Row> input, List<String> names, String featuresCol,
                              String labelCol) {
        int width = names.size();
        float[] x = new float[Math.max(1024, width) * width];
        List<Integer> labels = new ArrayList<>();
        int rows = 0;
        while (input.hasNext()) {
            Row row = input.next();
            if ((rows + 1) * width > x.length) {
                x = Arrays.copyOf(x, Math.multiplyExact(x.length, 2));
            }
            String problem = FeatureReader.read(row.get(0), names, x, rows * width);
            if (problem != null) {
                throw new IllegalArgumentException("ugmm: the features column '" + featuresCol + "' in row " + rows
                        + " of partition " + partition + " " + problem + "; expected " + width + " finite numbers");
            }
            labels.add(label(row.get(1), labelCol, rows, partition));
            rows++;
        }
        return new TrainingChunk(partition, rows, width, Arrays.copyOf(x, rows * width),
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int label(Object value, String labelCol, int row, int partition) {
        double v = value instanceof Number n ? n.doubleValue() : Double.NaN;
        if (!(v >= 0 && v == Math.rint(v) && v < Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("ugmm: the label column '" + labelCol + "' in row " + row
                    + " of partition " + partition + " is " + value + "; expected a class index (0, 1, 2 and so on)");
        }
        return (int) v;
    }

    /** The same rows standardised with these means and standard deviations. */
    TrainingChunk standardised(double[] mean, double[] std) {
        float[] z = x.clone();
        FeatureStandardization.of(mean, std).applyInPlace(z, 0, rows, features);
        return new TrainingChunk(partition, rows, features, z, labels);
    }

    TrainingSet trainingSet() {
        return TrainingSet.of(x, rows, features, labels);
    }
}
