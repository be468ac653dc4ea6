package io.ugmm.model.train;

import java.util.Objects;

/**
 * Training rows for a {@link Trainer}: {@code rows x features} floats, row-major, and for
 * {@link Loss#CROSS_ENTROPY} one class index per row. Held by reference (not copied): do not change the
 * arrays while training runs.
 */
public final class TrainingSet {
    private final float[] x;
    private final int rows;
    private final int features;
    private final int[] labels;
    private final RowAugmentation augmentation;

    private TrainingSet(float[] x, int rows, int features, int[] labels, RowAugmentation augmentation) {
        this.x = x;
        this.rows = rows;
        this.features = features;
        this.labels = labels;
        this.augmentation = augmentation;
    }

    /** The same rows, each changed by {@code augmentation} every time it enters a mini-batch. */
    public TrainingSet withAugmentation(RowAugmentation augmentation) {
        return new TrainingSet(x, rows, features, labels, Objects.requireNonNull(augmentation, "augmentation"));
    }

    /**
     * @param labels one class index per row, or {@code null} for unlabelled data (density estimation)
     * @throws IllegalArgumentException on a wrong length, a negative label, or a NaN or infinite feature,
     *                                  naming the row and column
     */
    public static TrainingSet of(float[] x, int rows, int features, int[] labels) {
        Objects.requireNonNull(x, "x");
        if (rows < 1 || features < 1) {
            throw new IllegalArgumentException("a training set needs at least 1 row and 1 feature, found "
                    + rows + " rows x " + features + " features");
        }
        if ((long) rows * features != x.length) {
            throw new IllegalArgumentException("expected " + rows + " rows x " + features + " features = "
                    + (long) rows * features + " values, found " + x.length);
        }
        for (int e = 0; e < x.length; e++) {
            if (!Float.isFinite(x[e])) {
                throw new IllegalArgumentException("training row " + e / features + ", column " + e % features
                        + " is " + x[e] + "; features must be finite");
            }
        }
        if (labels != null) {
            if (labels.length != rows) {
                throw new IllegalArgumentException("expected one label per row (" + rows + "), found " + labels.length);
            }
            for (int b = 0; b < rows; b++) {
                if (labels[b] < 0) {
                    throw new IllegalArgumentException("label of training row " + b + " is " + labels[b]
                            + "; labels are class indices >= 0");
                }
            }
        }
        return new TrainingSet(x, rows, features, labels, null);
    }

    /** Checks a batch against a network's shape and the loss's needs. */
    static void checkShape(float[] x, int rows, int features, int[] labels, Loss loss, int outputs) {
        Objects.requireNonNull(x, "x");
        if (rows < 1) {
            throw new IllegalArgumentException("need at least 1 row, found " + rows);
        }
        if ((long) rows * features > x.length) {
            throw new IllegalArgumentException("expected " + rows + " rows x " + features + " features, found "
                    + x.length + " values");
        }
        checkLabels(labels, rows, loss, outputs);
    }

    static void checkLabels(int[] labels, int rows, Loss loss, int outputs) {
        if (loss == Loss.NEGATIVE_LOG_LIKELIHOOD) {
            if (outputs != 1) {
                throw new IllegalArgumentException("the nll loss needs a network with one root node, found "
                        + outputs);
            }
            return;
        }
        if (labels == null) {
            throw new IllegalArgumentException("the ce loss needs a label per row; the data has none");
        }
        for (int b = 0; b < rows; b++) {
            if (labels[b] < 0 || labels[b] >= outputs) {
                throw new IllegalArgumentException("label of row " + b + " is " + labels[b] + "; the network's root has "
                        + outputs + " nodes, so labels must be in [0, " + outputs + ")");
            }
        }
    }

    public int rows() {
        return rows;
    }

    public int features() {
        return features;
    }

    /** Whether the rows carry class labels. */
    public boolean hasLabels() {
        return labels != null;
    }

    float[] x() {
        return x;
    }

    int[] labels() {
        return labels;
    }

    RowAugmentation augmentation() {
        return augmentation;
    }
}
