package io.ugmm.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A labelled table of numbers: {@link #rows()} rows of {@link #features()} float features each, stored
 * flat and row-major, and one class index per row.
 *
 * <p>The arrays are exposed as fields so that training and evaluation loops can read them without a
 * copy or a call per value: feature {@code f} of row {@code r} is {@code features[r * features() + f]}.
 * They are shared, not copied, by the constructor; treat them as read-only. Every method that changes
 * something ({@link #shuffled}, {@link #split}, {@link #subset}, {@link #scaled}, ...) returns a new
 * dataset and leaves this one as it was, so a dataset can be read from many threads at once.
 */
public final class Dataset {
    /** Largest number of classes a dataset may have; more usually means the wrong label column. */
    public static final int MAX_CLASSES = 10_000;

    /** Feature values, row-major, {@code rows() * features()} of them. Read-only by convention. */
    public final float[] features;
    /** Class index of each row, each in {@code [0, classes())}. Read-only by convention. */
    public final int[] labels;

    private final String name;
    private final int featureCount;
    private final List<String> featureNames;
    private final List<String> classNames;

    /**
     * @param name         a short name for messages, e.g. {@code "iris"} or {@code "fashion-mnist/train"}
     * @param features     row-major values, {@code labels.length * featureCount} of them (not copied)
     * @param labels       one class index per row (not copied)
     * @param featureCount features per row, at least 1
     * @param featureNames one name per feature
     * @param classNames   one name per class; labels index into it
     */
    public Dataset(String name, float[] features, int[] labels, int featureCount,
                   List<String> featureNames, List<String> classNames) {
        if (featureCount < 1) {
            throw new IllegalArgumentException(name + ": a dataset needs at least one feature, found " + featureCount);
        }
        if ((long) labels.length * featureCount != features.length) {
            throw new IllegalArgumentException(name + ": " + labels.length + " rows of " + featureCount
                    + " features need " + (long) labels.length * featureCount + " values, found " + features.length);
        }
        if (featureNames.size() != featureCount) {
            throw new IllegalArgumentException(name + ": " + featureCount + " features but "
                    + featureNames.size() + " feature names");
        }
        if (classNames.isEmpty() || classNames.size() > MAX_CLASSES) {
            throw new IllegalArgumentException(name + ": expected 1 to " + MAX_CLASSES + " class names, found "
                    + classNames.size());
        }
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] < 0 || labels[r] >= classNames.size()) {
                throw new IllegalArgumentException(name + ": row index " + r + " has label " + labels[r]
                        + ", outside the " + classNames.size() + " classes 0.." + (classNames.size() - 1));
            }
        }
        this.name = name;
        this.features = features;
        this.labels = labels;
        this.featureCount = featureCount;
        this.featureNames = List.copyOf(featureNames);
        this.classNames = List.copyOf(classNames);
    }

    /** The names {@code "0", "1", ..., count-1}: class names for datasets whose labels are plain numbers. */
    public static List<String> numberedNames(int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(Integer.toString(i));
        }
        return List.copyOf(names);
    }

    public String name() {
        return name;
    }

    /** The same data under another name. */
    public Dataset withName(String newName) {
        return new Dataset(newName, features, labels, featureCount, featureNames, classNames);
    }

    public int rows() {
        return labels.length;
    }

    /** Number of features per row. */
    public int features() {
        return featureCount;
    }

    /** Number of classes (some may have no rows in this part of the data). */
    public int classes() {
        return classNames.size();
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public List<String> classNames() {
        return classNames;
    }

    public String className(int classIndex) {
        return classNames.get(classIndex);
    }

    public int label(int row) {
        return labels[row];
    }

    public float feature(int row, int feature) {
        return features[row * featureCount + feature];
    }

    /** A copy of one row's features. */
    public float[] row(int row) {
        int from = row * featureCount;
        return Arrays.copyOfRange(features, from, from + featureCount);
    }

    /** How many rows each class has, indexed by class. */
    public int[] labelHistogram() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The histogram as text, e.g. {@code "setosa 50, versicolor 50, virginica 50"}. */
    public String labelHistogramText() {
        int[] counts = labelHistogram();
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < counts.length; c++) {
            text.append(c == 0 ? "" : ", ").append(classNames.get(c)).append(' ').append(counts[c]);
        }
        return text.toString();
    }

    /** Smallest feature value (NaN-free data assumed); +Infinity for an empty dataset. */
    public float minValue() {
        float min = Float.POSITIVE_INFINITY;
        for (float v : features) {
            min = Math.min(min, v);
        }
        return min;
    }

    /** Largest feature value; -Infinity for an empty dataset. */
    public float maxValue() {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : features) {
            max = Math.max(max, v);
        }
        return max;
    }

    /** The given rows, in the given order (repeats allowed), copied into a new dataset. */
    public Dataset subset(int[] rowIndices) {
        float[] x = new float[rowIndices.length * featureCount];
        int[] y = new int[rowIndices.length];
        for (int i = 0; i < rowIndices.length; i++) {
            int r = rowIndices[i];
            if (r < 0 || r >= labels.length) {
                throw new IndexOutOfBoundsException(name + ": row " + r + " is outside 0.." + (labels.length - 1));
            }
            System.arraycopy(features, r * featureCount, x, i * featureCount, featureCount);
            y[i] = labels[r];
        }
        return new Dataset(name, x, y, featureCount, featureNames, classNames);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive), copied into a new dataset. */
    public Dataset subset(int from, int to) {
        if (from < 0 || to > labels.length || from > to) {
            throw new IndexOutOfBoundsException(name + ": rows " + from + ".." + to + " are not within 0.." + labels.length);
        }
        return new Dataset(name,
                Arrays.copyOfRange(features, from * featureCount, to * featureCount),
                Arrays.copyOfRange(labels, from, to), featureCount, featureNames, classNames);
    }

    /** The rows in an order fixed by {@code seed}: the same seed gives the same order on every machine. */
    public Dataset shuffled(long seed) {
        int[] order = identity(labels.length);
        shuffle(order, 0, order.length, new SplittableRandom(seed));
        return subset(order);
    }

    /**
     * A stratified split: each class contributes {@code round(testFraction * its rows)} rows to the test
     * part, chosen by {@code seed}, so both parts keep the class proportions. A class with at least two
     * rows always lands on both sides. Both parts come out shuffled (by the same seed).
     *
     * @param testFraction share of each class that goes to the test part, strictly between 0 and 1
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be strictly between 0 and 1, found " + testFraction);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[][] byClass = rowsByClass();
        int testRows = 0;
        int[] testCount = new int[byClass.length];
        for (int c = 0; c < byClass.length; c++) {
            int n = byClass[c].length;
            int k = (int) Math.round(n * testFraction);
            if (n >= 2) {
                k = Math.max(1, Math.min(n - 1, k));
            }
            testCount[c] = k;
            testRows += k;
        }
        int[] train = new int[labels.length - testRows];
        int[] test = new int[testRows];
        int nextTrain = 0;
        int nextTest = 0;
        for (int c = 0; c < byClass.length; c++) {
            int[] rows = byClass[c];
            shuffle(rows, 0, rows.length, random);
            System.arraycopy(rows, 0, test, nextTest, testCount[c]);
            System.arraycopy(rows, testCount[c], train, nextTrain, rows.length - testCount[c]);
            nextTest += testCount[c];
            nextTrain += rows.length - testCount[c];
        }
        // Without this the parts would be grouped by class, a trap for any mini-batch loop.
        shuffle(train, 0, train.length, random);
        shuffle(test, 0, test.length, random);
        return new Split(subset(train).withName(name + "/train"), subset(test).withName(name + "/test"));
    }

    /** Every feature multiplied by {@code factor}. */
    public Dataset scaled(float factor) {
        float[] x = new float[features.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = features[i] * factor;
        }
        return new Dataset(name, x, labels, featureCount, featureNames, classNames);
    }

    /**
     * Byte-valued pixels (0 to 255) scaled to [0, 1]. Values outside 0..255 are an error rather than
     * silently landing outside [0, 1]: they mean the data was not raw pixels.
     */
    public Dataset pixelsScaledToUnitRange() {
        for (int i = 0; i < features.length; i++) {
            float v = features[i];
            if (!(v >= 0 && v <= 255)) {
                throw new DatasetException(name + ": row " + (i / featureCount + 1) + ", feature "
                        + (i % featureCount + 1) + " (counting from 1) is " + v
                        + "; pixel scaling expects values from 0 to 255");
            }
        }
        return scaled(1f / 255f);
    }

    /**
     * The label appended as one more feature named {@code "label"}, holding the class index as a number
     * (0, 1, 2, ...); labels stay as they are. For generative training, where the class is one more
     * input variable of the joint density.
     */
    public Dataset withLabelAsFeature() {
        int wider = featureCount + 1;
        float[] x = new float[labels.length * wider];
        for (int r = 0; r < labels.length; r++) {
            System.arraycopy(features, r * featureCount, x, r * wider, featureCount);
            x[r * wider + featureCount] = labels[r];
        }
        List<String> names = new ArrayList<>(featureNames);
        names.add("label");
        return new Dataset(name, x, labels, wider, names, classNames);
    }

    @Override
    public String toString() {
        return name + ": " + rows() + " rows x " + featureCount + " features, " + classNames.size() + " classes";
    }

    private int[][] rowsByClass() {
        int[] counts = labelHistogram();
        int[][] byClass = new int[counts.length][];
        for (int c = 0; c < counts.length; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] filled = new int[counts.length];
        for (int r = 0; r < labels.length; r++) {
            byClass[labels[r]][filled[labels[r]]++] = r;
        }
        return byClass;
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Fisher-Yates on {@code a[from, to)}. */
    private static void shuffle(int[] a, int from, int to, SplittableRandom random) {
        for (int i = to - 1; i > from; i--) {
            int j = from + random.nextInt(i - from + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
