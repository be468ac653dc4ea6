package io.ugmm.model;

import java.util.Objects;

/**
 * The allocation-free batch path of a {@link UgmmModel}: scratch for up to {@link #maxRows()} rows, reused
 * across calls, so a call allocates nothing. Get one per thread with {@link UgmmModel#newPredictor(int)}.
 *
 * <p>A predictor belongs to the thread that created it: a call from any other thread throws an
 * {@link IllegalStateException} (sharing scratch between threads would silently mix their rows). The model
 * itself is shared freely.
 *
 * <pre>{@code
 * Predictor p = model.newPredictor(256);              // once per thread
 * p.predict(features, 0, rows, probabilities, classes); // rows x inputCount() raw features, row-major
 * }</pre>
 */
public final class Predictor {
    private final UgmmModel model;
    private final Thread owner;
    private final int maxRows;
    /** Network input rows: standardised features (and, for MPE, one row per label state). */
    private final float[] netInput;
    /** Root outputs of netInput: rows x classes for either kind of model. */
    private final float[] scores;
    private final Workspace workspace;
    private final boolean[] outOfRange;
    private final boolean[] noFiniteScore;
    private int lastRows;

    Predictor(UgmmModel model, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("a predictor needs room for at least 1 row, got " + maxRows);
        }
        this.model = model;
        this.owner = Thread.currentThread();
        this.maxRows = maxRows;
        int perRow = model.generative() ? model.classCount() : 1;
        int networkRows = Math.multiplyExact(maxRows, perRow);
        this.netInput = new float[Math.multiplyExact(networkRows, model.network().inputs())];
        this.scores = new float[Math.multiplyExact(maxRows, model.classCount())];
        this.workspace = model.network().newWorkspace(Math.min(networkRows, 1024));
        this.outOfRange = new boolean[maxRows];
        this.noFiniteScore = new boolean[maxRows];
    }

    /** The largest number of rows one call takes. */
    public int maxRows() {
        return maxRows;
    }

    /** The model this predictor evaluates. */
    public UgmmModel model() {
        return model;
    }

    /**
     * Predicts {@code rows} rows of {@link UgmmModel#inputCount()} raw features stored row-major in
     * {@code features} from {@code offset}. Writes, from index 0 of each output that is not null,
     * {@code rows x classCount()} probabilities and {@code rows} class indices (−1 for a row with no finite
     * score). Returns the number of rows flagged (out of range or no finite score); see
     * {@link #outOfRange(int)} and {@link #noFiniteScore(int)}.
     *
     * @throws InvalidFeatureException  for a NaN or infinite feature, or one that standardising overflows
     * @throws IllegalArgumentException for more than {@link #maxRows()} rows or arrays too short
     * @throws IllegalStateException    when called from a thread other than the one that created it
     */
    public int predict(float[] features, int offset, int rows, float[] probabilitiesOut, int[] classOut) {
        return predict(features, offset, rows, null, probabilitiesOut, classOut);
    }

    /**
     * As {@link #predict(float[], int, int, float[], int[])}, also writing {@code rows x classCount()} raw
     * log-scores (see {@link Prediction#logScores()}) to {@code logScoresOut} when it is not null.
     */
    public int predict(float[] features, int offset, int rows, float[] logScoresOut, float[] probabilitiesOut,
                       int[] classOut) {
        checkThread();
        int classes = model.classCount();
        checkArguments(features, offset, rows);
        checkOutput("logScoresOut", logScoresOut, (long) rows * classes);
        checkOutput("probabilitiesOut", probabilitiesOut, (long) rows * classes);
        if (classOut != null && classOut.length < rows) {
            throw new IllegalArgumentException("classOut needs " + rows + " values but has length " + classOut.length);
        }
        lastRows = 0;
        model.prepare(features, offset, rows, netInput, outOfRange);
        model.scores(features, offset, rows, netInput, scores, workspace);
        int flagged = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * classes;
            int best = UgmmNetwork.argmax(scores, off, classes);
            float max = scores[off + best];
            // max - max is 0 only for a finite max: -inf (every class impossible), +inf and NaN all fail
            boolean none = max - max != 0f;
            noFiniteScore[r] = none;
            if (logScoresOut != null) {
                System.arraycopy(scores, off, logScoresOut, off, classes);
            }
            if (probabilitiesOut != null) {
                softmax(scores, off, classes, max, none, probabilitiesOut);
            }
            if (classOut != null) {
                classOut[r] = none ? -1 : best;
            }
            flagged += none || outOfRange[r] ? 1 : 0;
        }
        lastRows = rows;
        return flagged;
    }

    /** One row of raw features into a {@link Prediction} (allocates the result). */
    public Prediction predict(float[] features) {
        Objects.requireNonNull(features, "features");
        checkThread();
        int n = model.inputCount();
        if (features.length != n) {
            throw new IllegalArgumentException("expected " + n + " features " + model.describeInputs() + ", found "
                    + features.length);
        }
        int classes = model.classCount();
        float[] logScores = new float[classes];
        float[] probabilities = new float[classes];
        int[] best = new int[1];
        predict(features, 0, 1, logScores, probabilities, best);
        return new Prediction(best[0], best[0] < 0 ? null : model.className(best[0]), probabilities, logScores,
                outOfRange[0]);
    }

    /** Whether row {@code r} of the last call had a feature far outside the training range. */
    public boolean outOfRange(int r) {
        return outOfRange[checkRow(r)];
    }

    /** Whether row {@code r} of the last call had no class with a finite score (its class is −1). */
    public boolean noFiniteScore(int r) {
        return noFiniteScore[checkRow(r)];
    }

    private int checkRow(int r) {
        checkThread();
        if (r < 0 || r >= lastRows) {
            throw new IndexOutOfBoundsException("row " + r + " is not one of the last call's " + lastRows + " rows");
        }
        return r;
    }

    /** p = exp(s - max) / sum, in double; NaN everywhere when no score is finite. */
    private static void softmax(float[] s, int off, int n, float max, boolean none, float[] p) {
        if (none) {
            java.util.Arrays.fill(p, off, off + n, Float.NaN);
            return;
        }
        double sum = 0;
        for (int c = 0; c < n; c++) {
            float e = (float) Math.exp((double) s[off + c] - max);
            p[off + c] = e;
            sum += e;
        }
        float inv = (float) (1 / sum);
        for (int c = 0; c < n; c++) {
            p[off + c] *= inv;
        }
    }

    private void checkThread() {
        Thread current = Thread.currentThread();
        if (current != owner) {
            throw new IllegalStateException("this Predictor belongs to thread '" + owner.getName()
                    + "' but was called from '" + current.getName() + "'; its scratch cannot be shared: make one per"
                    + " thread with UgmmModel.newPredictor");
        }
    }

    private void checkArguments(float[] features, int offset, int rows) {
        Objects.requireNonNull(features, "features");
        if (rows < 0 || rows > maxRows) {
            throw new IllegalArgumentException("rows must be in [0, " + maxRows + "] for this predictor, found " + rows);
        }
        long need = (long) rows * model.inputCount();
        if (offset < 0 || offset + need > features.length) {
            throw new IllegalArgumentException("features needs " + need + " values (" + rows + " rows x "
                    + model.inputCount() + " features) from offset " + offset + " but has length " + features.length);
        }
    }

    private static void checkOutput(String name, float[] out, long need) {
        if (out != null && out.length < need) {
            throw new IllegalArgumentException(name + " needs " + need + " values but has length " + out.length);
        }
    }
}
