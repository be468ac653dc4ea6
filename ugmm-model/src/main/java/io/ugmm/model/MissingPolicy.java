package io.ugmm.model;

/**
 * What a {@link UgmmModel} does with a missing feature, given as {@link Float#NaN} (an empty, {@code NaN} or
 * {@code ?} cell in a CSV). Infinite values are never accepted.
 *
 * <p>{@link #MARGINALIZE} is the method to use; {@link #MASK_UNNORMALIZED} and {@link #UNIT_DENSITY} are
 * the alternatives it was measured against (kept so the comparison in the README can be re-run).
 * With {@code M} the missing inputs, {@code O} the observed ones, and a first-layer node
 * {@code p_j(x) = sum_i w_ji N(x_i; mu_ji, sigma_ji^2)}:
 * <ul>
 *   <li>{@link #REJECT}: a NaN is an error ({@link InvalidFeatureException}); the default.</li>
 *   <li>{@link #MARGINALIZE}: {@code p_j(x_O) = sum_{i in O} w_ji N(x_i) / sum_{i in O} w_ji}: the missing
 *       inputs' components are masked and the node's mixing weights renormalised over the observed ones,
 *       which is what dropout on the first layer does in training. Deeper layers are unchanged.</li>
 *   <li>{@link #MASK_UNNORMALIZED}: {@code sum_{i in O} w_ji N(x_i)} without renormalising.</li>
 *   <li>{@link #UNIT_DENSITY}: {@code sum_{i in O} w_ji N(x_i) + sum_{i in M} w_ji}: each missing
 *       component's density integrated out on its own (it integrates to 1).</li>
 *   <li>{@link #MEAN_FILL}: a missing feature takes the training mean (needs a recorded standardisation).</li>
 * </ul>
 * A row with every feature missing is an error under every policy.
 */
public enum MissingPolicy {
    REJECT,
    MARGINALIZE,
    MASK_UNNORMALIZED,
    UNIT_DENSITY,
    MEAN_FILL;

    /** Whether a NaN feature is a missing value under this policy (every policy but {@link #REJECT}). */
    public boolean acceptsMissing() {
        return this != REJECT;
    }

    /** Whether missing values reach the network as masked first-layer components (not filled in). */
    boolean masks() {
        return this == MARGINALIZE || this == MASK_UNNORMALIZED || this == UNIT_DENSITY;
    }
}
