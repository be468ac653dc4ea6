package io.ugmm.model.mdn;

/**
 * The standardisation a mixture density network was trained with, kept in the model so that every query
 * takes and returns raw units: {@code x' = (x - inputMean) / inputStd}, {@code y' = (y - targetMean) / targetStd}.
 * Densities are converted back with the Jacobian {@code -sum_d log targetStd_d}. Constant input columns get
 * a scale of 1.
 */
public record Scaling(float[] inputMean, float[] inputStd, float[] targetMean, float[] targetStd) {
    public Scaling {
        if (inputMean.length != inputStd.length || targetMean.length != targetStd.length) {
            throw new IllegalArgumentException("scaling means and standard deviations differ in length");
        }
        for (float[] v : new float[][]{inputMean, inputStd, targetMean, targetStd}) {
            for (float e : v) {
                if (!Float.isFinite(e)) {
                    throw new IllegalArgumentException("scaling values must be finite, found " + e);
                }
            }
        }
        for (float[] v : new float[][]{inputStd, targetStd}) {
            for (float e : v) {
                if (!(e > 0)) {
                    throw new IllegalArgumentException("scaling standard deviations must be positive, found " + e);
                }
            }
        }
        inputMean = inputMean.clone();
        inputStd = inputStd.clone();
        targetMean = targetMean.clone();
        targetStd = targetStd.clone();
    }

    @Override
    public float[] inputMean() {
        return inputMean.clone();
    }

    @Override
    public float[] inputStd() {
        return inputStd.clone();
    }

    @Override
    public float[] targetMean() {
        return targetMean.clone();
    }

    @Override
    public float[] targetStd() {
        return targetStd.clone();
    }

    /** Means and standard deviations (population) of the training data's columns. */
    static Scaling fit(MdnData data) {
        float[][] x = meanAndStd(data.x(), data.inputs(), false);
        float[][] y = meanAndStd(data.y(), data.targets(), true);
        return new Scaling(x[0], x[1], y[0], y[1]);
    }

    private static float[][] meanAndStd(float[] v, int columns, boolean targets) {
        int rows = v.length / columns;
        float[] mean = new float[columns];
        float[] std = new float[columns];
        for (int c = 0; c < columns; c++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += v[r * columns + c];
            }
            double m = sum / rows;
            double squares = 0;
            for (int r = 0; r < rows; r++) {
                double d = v[r * columns + c] - m;
                squares += d * d;
            }
            double s = Math.sqrt(squares / rows);
            mean[c] = (float) m;
            std[c] = s > 0 && Float.isFinite((float) s) && (float) s > 0 ? (float) s : 1f;
            if (targets && !(s > 0)) {
                throw new IllegalArgumentException("target column " + c + " has no spread");
            }
        }
        return new float[][]{mean, std};
    }

    /** Standardised copy of {@code rows x inputs} raw inputs. */
    float[] inputs(float[] x) {
        return standardise(x, inputMean, inputStd);
    }

    /** Standardised copy of {@code rows x targets} raw targets. */
    float[] targets(float[] y) {
        return standardise(y, targetMean, targetStd);
    }

    private static float[] standardise(float[] v, float[] mean, float[] std) {
        int columns = mean.length;
        float[] out = new float[v.length];
        for (int e = 0; e < v.length; e++) {
            int c = e % columns;
            out[e] = (v[e] - mean[c]) / std[c];
        }
        return out;
    }

    /** {@code sum_d log targetStd_d}: subtract it from a log-density in model units to get raw units. */
    double logJacobian() {
        double sum = 0;
        for (float s : targetStd) {
            sum += Math.log(s);
        }
        return sum;
    }
}
