package io.ugmm.spark;

import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.List;

/** Copies one row's features (an ML Vector or an array of numbers) into a float batch, checking them. */
final class FeatureReader {
    private FeatureReader() {
    }

    /** Whether a features column of this type can be read: an ML Vector or array<float|double>. */
    static boolean accepts(DataType type) {
        return type instanceof VectorUDT || type instanceof ArrayType a
                && (a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType));
    }

    /** Names for features that have none, as messages show them: x0, x1, ... */
    static List<String> names(int width) {
        List<String> names = new ArrayList<>(width);
        for (int f = 0; f < width; f++) {
            names.add("x" + f);
        }
        return names;
    }

    /**
     * The start of the error for a bad row: "ugmm: the features column 'c' in row r of partition p has ...;
     * expected n finite numbers".
     */
    static String badRow(String featuresCol, long row, int partition, String problem, int width) {
        return "ugmm: the features column '" + featuresCol + "' in row " + row + " of partition " + partition + " "
                + problem + "; expected " + width + " finite numbers";
    }

    /**
     * How many features the first non-null value of column 0 of {@code rows} holds (one small job);
     * {@code task} names what an empty frame cannot be used for, e.g. "train on".
     */
    static int firstWidth(Dataset<Row> rows, String featuresCol, String task) {
        List<Row> first = rows.filter(functions.col(featuresCol).isNotNull()).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new IllegalArgumentException("cannot " + task + " an empty DataFrame (the features column '"
                    + featuresCol + "' has no value)");
        }
        return width(first.get(0).get(0));
    }

    /** How many features a (non-null) value of an accepted column holds. */
    static int width(Object value) {
        return value instanceof Vector v ? v.size() : value instanceof List<?> l ? l.size()
                : scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) value).size();
    }

    /**
     * Writes the {@code width} features of {@code value} to {@code out} from {@code offset}; returns null when
     * they are usable, otherwise what is wrong with them (for the error message).
     */
    static String read(Object value, List<String> names, float[] out, int offset) {
        int width = names.size();
        if (value == null) {
            return "is null";
        }
        if (value instanceof Vector v) {
            if (v.size() != width) {
                return "has " + v.size() + " values";
            }
            if (v instanceof DenseVector d) {
                double[] values = d.values();
                for (int f = 0; f < width; f++) {
                    String problem = put(values[f], f, names, out, offset);
                    if (problem != null) {
                        return problem;
                    }
                }
            } else {
                for (int f = 0; f < width; f++) {
                    String problem = put(v.apply(f), f, names, out, offset);
                    if (problem != null) {
                        return problem;
                    }
                }
            }
            return null;
        }
        List<?> list = value instanceof List<?> l ? l
                : scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) value);
        if (list.size() != width) {
            return "has " + list.size() + " values";
        }
        for (int f = 0; f < width; f++) {
            Object element = list.get(f);
            if (element == null) {
                return "has a null at index " + f + " (" + names.get(f) + ")";
            }
            String problem = put(((Number) element).doubleValue(), f, names, out, offset);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String put(double v, int f, List<String> names, float[] out, int offset) {
        float x = (float) v;
        if (x - x != 0f) { // NaN or infinite, also after narrowing to float
            return "has " + v + " at index " + f + " (" + names.get(f) + ")"
                    + (Double.isFinite(v) ? ", beyond the float range" : "; features must be finite");
        }
        out[offset + f] = x;
        return null;
    }
}
