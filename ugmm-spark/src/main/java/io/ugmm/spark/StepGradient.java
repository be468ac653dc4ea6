package io.ugmm.spark;

import java.io.Serializable;

/**
 * Some partitions' share of one step's gradient: per layer the three {@code nodes x inputs} blocks of
 * ugmm's training layout (means, log standard deviations, mixing logits), already weighted by each row's
 * 1 / global batch size, so the step's gradient is the plain sum of all shares. {@code grads == null} is a
 * share of no rows (zero).
 */
final class StepGradient implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Position among the shares being summed (the partition index, then the group index of each tree level). */
    final int index;
    final float[][] grads;
    final long rows;

    StepGradient(int index, float[][] grads, long rows) {
        this.index = index;
        this.grads = grads;
        this.rows = rows;
    }

    static StepGradient empty(int index) {
        return new StepGradient(index, null, 0);
    }

    /** This share plus {@code o}, element by element as {@code this + o} (fixed operand order). */
    StepGradient plus(StepGradient o) {
        return plus(o, index);
    }

    /** This share plus {@code o}, element by element as {@code this + o} (fixed operand order), at {@code index}. */
    StepGradient plus(StepGradient o, int at) {
        if (o.grads == null) {
            return new StepGradient(at, grads, rows);
        }
        if (grads == null) {
            return new StepGradient(at, o.grads, o.rows);
        }
        float[][] sum = new float[grads.length][];
        for (int l = 0; l < grads.length; l++) {
            float[] a = grads[l];
            float[] b = o.grads[l];
            float[] c = new float[a.length];
            for (int e = 0; e < c.length; e++) {
                c[e] = a[e] + b[e];
            }
            sum[l] = c;
        }
        return new StepGradient(at, sum, rows + o.rows);
    }

    /** The squared Euclidean norm, in double. */
    double squaredNorm() {
        double squares = 0;
        if (grads != null) {
            for (float[] g : grads) {
                for (float v : g) {
                    squares += (double) v * v;
                }
            }
        }
        return squares;
    }
}
