package io.ugmm.model.train;

import io.ugmm.simd.AdamCoefficients;
import io.ugmm.simd.MixtureKernel;
import io.ugmm.simd.MixtureKernels;

/**
 * Adam (Kingma and Ba), in the form PyTorch's {@code torch.optim.Adam} computes it (no weight decay, no
 * amsgrad):
 * <pre>
 *   m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2
 *   p -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 * </pre>
 * The caller keeps {@code m} and {@code v} beside the parameters; this object holds the step count. The
 * arithmetic is {@link MixtureKernel#adam} (the same bits on every kernel).
 */
public final class Adam {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private long step;
    private double correction1;
    private double sqrtCorrection2;
    /** Any kernel gives the same bits ({@link MixtureKernel#adam}); the preferred one is the fastest. */
    private final MixtureKernel kernel = MixtureKernels.preferred();

    public Adam(double beta1, double beta2, double epsilon) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), found " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adam epsilon must be positive, found " + epsilon);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** The usual settings: beta1 0.9, beta2 0.999, epsilon 1e-8. */
    public static Adam standard() {
        return new Adam(0.9, 0.999, 1e-8);
    }

    /** Starts step {@code t + 1}: call once per optimisation step, before {@link #update}. */
    public void beginStep() {
        step++;
        correction1 = 1 - Math.pow(beta1, step);
        sqrtCorrection2 = Math.sqrt(1 - Math.pow(beta2, step));
    }

    /** Steps taken so far. */
    public long steps() {
        return step;
    }

    /**
     * Updates {@code param[pOff..pOff+len)} from {@code grad[gOff..]} with moments {@code m, v} at {@code sOff}.
     */
    public void update(float[] param, int pOff, float[] grad, int gOff, float[] m, float[] v, int sOff, int len,
                       double learningRate) {
        if (step == 0) {
            throw new IllegalStateException("call beginStep() before update()");
        }
        // a few small objects per step; several threads may update disjoint ranges at once, so nothing is cached
        kernel.adam(param, pOff, grad, gOff, m, v, sOff, len, new AdamCoefficients((float) beta1, (float) beta2,
                (float) (1 - beta1), (float) (1 - beta2), (float) (learningRate / correction1),
                (float) (1 / sqrtCorrection2), (float) epsilon));
    }
}
