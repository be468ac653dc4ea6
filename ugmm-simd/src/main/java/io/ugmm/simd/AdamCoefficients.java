package io.ugmm.simd;

/**
 * The float coefficients of one Adam step for {@link MixtureKernel#adam}: the moments' decay factors, the
 * bias-corrected step size and {@code 1 / sqrt(1 - b2^t)}, and epsilon.
 */
public record AdamCoefficients(float b1, float b2, float oneMinusB1, float oneMinusB2, float stepSize,
                               float invSqrtC2, float eps) {

    /** The update of one element, as every kernel computes it; returns the new parameter, updates m and v. */
    float update(float[] param, int p, float[] grad, int g, float[] m, float[] v, int s) {
        float gi = grad[g];
        float mi = b1 * m[s] + oneMinusB1 * gi;
        float vi = b2 * v[s] + oneMinusB2 * gi * gi;
        m[s] = mi;
        v[s] = vi;
        return param[p] - stepSize * mi / ((float) Math.sqrt(vi) * invSqrtC2 + eps);
    }
}
