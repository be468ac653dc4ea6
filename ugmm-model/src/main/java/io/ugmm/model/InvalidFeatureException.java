package io.ugmm.model;

/**
 * A feature value a model cannot use: NaN, infinite, or so large that standardising it leaves the float
 * range. Says which row (of the call) and which feature, with the value, so a caller reading a file can
 * name its own line.
 */
public final class InvalidFeatureException extends IllegalArgumentException {
    private final int row;
    private final int feature;
    private final float value;
    private final String reason;

    InvalidFeatureException(int row, int feature, String featureName, float value, String why) {
        super("row " + row + ", feature " + feature + " (" + featureName + ") is " + value + "; " + why);
        this.row = row;
        this.feature = feature;
        this.value = value;
        this.reason = why;
    }

    /** Why the value cannot be used, e.g. "features must be finite". */
    public String reason() {
        return reason;
    }

    /** The row within the call, from 0. */
    public int row() {
        return row;
    }

    /** The feature (column of the raw features), from 0. */
    public int feature() {
        return feature;
    }

    /** The value as given. */
    public float value() {
        return value;
    }
}
