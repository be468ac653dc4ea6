package io.ugmm.model;

import io.ugmm.simd.LogSpace;
import java.util.Arrays;

/**
 * What a {@link UgmmModel} says about one row of raw features. Immutable.
 *
 * <ul>
 *   <li>{@link #logScores()}: one log-score per class. For a cross-entropy classifier, the root's outputs
 *       (its logits); for a generative model, the root log-density of the row with each class filled into
 *       the label input (MPE over the label).</li>
 *   <li>{@link #probabilities()}: p(class | features), the softmax of the log-scores: for a classifier the
 *       softmax of the root, for a generative model the normalised posterior over the label states.
 *       They sum to 1 (within float rounding).</li>
 *   <li>{@link #classIndex()}: the class with the highest score (the first on ties).</li>
 * </ul>
 *
 * <p>Two flags say when not to trust the answer: {@link #outOfRange()} (a feature lies far outside what
 * the model saw in training, e.g. pixels in 0–255 given to a model trained on [0, 1]) and
 * {@link #noFiniteScore()} (every class scored −∞, or a score overflowed: the input or the parameters are
 * beyond what float arithmetic can represent; then {@link #classIndex()} is −1, {@link #className()} is
 * null and the probabilities are NaN).
 */
public final class Prediction {
    private final int classIndex;
    private final String className;
    private final float[] probabilities;
    private final float[] logScores;
    private final boolean outOfRange;

    Prediction(int classIndex, String className, float[] probabilities, float[] logScores, boolean outOfRange) {
        this.classIndex = classIndex;
        this.className = className;
        this.probabilities = probabilities;
        this.logScores = logScores;
        this.outOfRange = outOfRange;
    }

    /** The predicted class, from 0; −1 when {@link #noFiniteScore()}. */
    public int classIndex() {
        return classIndex;
    }

    /**
     * The predicted class's name: as recorded by training, or {@code class_<i>} when the model records no
     * names (e.g. a PyTorch export); null when {@link #noFiniteScore()}.
     */
    public String className() {
        return className;
    }

    /** p(class | features) per class (a copy); sums to 1; NaN when {@link #noFiniteScore()}. */
    public float[] probabilities() {
        return probabilities.clone();
    }

    /** p(class {@code c} | features). */
    public float probability(int c) {
        return probabilities[c];
    }

    /** The raw log-score of each class (a copy): the root's outputs, or per-label root log-densities. */
    public float[] logScores() {
        return logScores.clone();
    }

    /**
     * For a generative model, the row's log-density with the label summed over its states,
     * {@code log sum_c p(x, c)} (with missing features marginalised: {@code log p(x_O)}); rows unlike the
     * training data get low values, so it serves as an anomaly score (up to a constant for a model trained by the
     * pseudo-likelihood objective; not for one trained by the conditional objective alone, whose root is not
     * trained along the features). For a classifier, the log-sum-exp of
     * its root outputs. −∞ when {@link #noFiniteScore()}.
     */
    public double logDensity() {
        double lse = LogSpace.logSumExp(logScores, 0, logScores.length);
        return Double.isNaN(lse) ? Double.NEGATIVE_INFINITY : lse;
    }

    public int classCount() {
        return logScores.length;
    }

    /** A feature lies far outside the range the model was trained on. */
    public boolean outOfRange() {
        return outOfRange;
    }

    /** No class has a finite score, so there is no meaningful answer (see the class comment). */
    public boolean noFiniteScore() {
        return classIndex < 0;
    }

    @Override
    public String toString() {
        return "Prediction[class " + classIndex + (className == null ? "" : " (" + className + ")")
                + ", probabilities " + Arrays.toString(probabilities) + (outOfRange ? ", out of range" : "")
                + (noFiniteScore() ? ", no finite score" : "") + "]";
    }
}
