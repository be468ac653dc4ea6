package io.ugmm.model;

/**
 * A row completed by {@link UgmmModel#impute}: every feature (the missing ones filled, the observed ones as
 * given, in the caller's units), the class chosen jointly with them, and the root log-density there.
 */
public final class Imputation {
    private final float[] features;
    private final int classIndex;
    private final String className;
    private final double logDensity;
    private final int filled;

    Imputation(float[] features, int classIndex, String className, double logDensity, int filled) {
        this.features = features;
        this.classIndex = classIndex;
        this.className = className;
        this.logDensity = logDensity;
        this.filled = filled;
    }

    /** The completed row (a copy), in the units of the input. */
    public float[] features() {
        return features.clone();
    }

    public float feature(int f) {
        return features[f];
    }

    /**
     * The class: for a generative model, the label state chosen jointly with the filled values (MPE over
     * both); for a classifier, the best class of the completed row.
     */
    public int classIndex() {
        return classIndex;
    }

    public String className() {
        return className;
    }

    /**
     * The objective at the answer: for a generative model the root log-density of the completed row with its
     * label; for a classifier the log-sum-exp of its root outputs.
     */
    public double logDensity() {
        return logDensity;
    }

    /** How many features were missing and filled. */
    public int filledCount() {
        return filled;
    }
}
