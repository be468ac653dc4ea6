package io.ugmm.model.mdn;

/**
 * Rows of inputs and targets for a mixture density network, checked once: the right lengths, every value
 * finite, at least one row, and no constant target column (a conditional density of a constant has no
 * scale to learn). Arrays are not copied and must not be changed afterwards.
 *
 * @param x       {@code rows x inputs}, row-major
 * @param y       {@code rows x targets}, row-major
 * @param inputs  input columns
 * @param targets target columns (D)
 */
public record MdnData(float[] x, float[] y, int inputs, int targets) {
    public MdnData {
        if (inputs < 1 || targets < 1) {
            throw new IllegalArgumentException("an MDN needs at least one input and one target column, found "
                    + inputs + " and " + targets);
        }
        if (x.length % inputs != 0 || y.length % targets != 0 || x.length / inputs != y.length / targets) {
            throw new IllegalArgumentException("inputs (" + x.length + " values of " + inputs + " columns) and"
                    + " targets (" + y.length + " values of " + targets + " columns) must have the same rows");
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("no rows: an MDN needs data to train on");
        }
        check(x, inputs, "input");
        check(y, targets, "target");
    }

    public int rows() {
        return x.length / inputs;
    }

    private static void check(float[] v, int columns, String what) {
        for (int e = 0; e < v.length; e++) {
            if (!Float.isFinite(v[e])) {
                throw new IllegalArgumentException(what + " row " + (e / columns) + ", column " + (e % columns)
                        + " is " + v[e] + "; every " + what + " must be a finite number");
            }
        }
    }

    /** Refuses a target column that has the same value in every row. */
    void requireVaryingTargets() {
        int rows = rows();
        for (int d = 0; d < targets; d++) {
            float first = y[d];
            boolean varies = false;
            for (int r = 1; r < rows && !varies; r++) {
                varies = y[r * targets + d] != first;
            }
            if (!varies) {
                throw new IllegalArgumentException("target column " + d + " is constant (" + first + " in all "
                        + rows + " rows); a mixture density network needs a target that varies");
            }
        }
    }
}
