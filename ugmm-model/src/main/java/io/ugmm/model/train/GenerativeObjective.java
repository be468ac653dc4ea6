package io.ugmm.model.train;

/**
 * What a generative model ({@link Loss#NEGATIVE_LOG_LIKELIHOOD}: the class label appended as the last input,
 * one root node {@code r(x, y)}) is trained to maximise. Either way it classifies the same way, by MPE over
 * the label: {@code argmax_c r(x, c)}, with {@code p(c | x) = softmax_c r(x, c)}.
 */
public enum GenerativeObjective {
    /**
     * {@code -mean r(x, y)}: the reference's objective. A uGMM-NN's root is a mixture of Gaussians over the
     * previous layer's log-densities, not a normalised density over {@code (x, y)}, so this has a degenerate
     * optimum: every hidden value constant, the root sitting at the peak of one component (with a floor
     * sigma_min on the standard deviation, {@code r = -log(sigma_min sqrt(2 pi))} for every row and label).
     * Trained Iris models reach it, and their class posterior is then nearly flat.
     */
    JOINT("joint"),
    /**
     * {@code -mean log p(y | x) = -mean (r(x, y) - logsumexp_c r(x, c))}: the conditional log-likelihood of the
     * label under the model's own MPE posterior (every row is evaluated with each label state; the root
     * outputs of a row's states are the logits of a softmax cross-entropy). Its optimum is not degenerate:
     * a constant root gives the uniform posterior, the worst value.
     */
    CONDITIONAL("conditional"),
    /**
     * The conditional objective for the label on a quarter of the rows, and on the others the same for one
     * feature {@code m} chosen at random: the row against {@code states - 1} copies with {@code x_m} drawn
     * uniformly over the feature's training range (widened by a tenth each side), scored by a softmax over
     * the copies ({@code -log p(true copy | candidates)}). The optimum of each question is met by
     * {@code r = log p(x, y) + const}: the label question fixes {@code r}'s differences over {@code y}, the
     * feature questions its differences over each {@code x_m} (ranking against uniform noise estimates
     * {@code log p(x_m | rest) - log q(x_m)}, and {@code q} is constant), so the root learns the features too
     * and imputation (its argmax over missing inputs) means something. A pseudo-likelihood with the feature
     * conditionals estimated by noise contrast.
     */
    PSEUDO_LIKELIHOOD("pseudo");

    private final String shortName;

    GenerativeObjective(String shortName) {
        this.shortName = shortName;
    }

    /** {@code joint}, {@code conditional} or {@code pseudo}, as the command line and the model file spell it. */
    public String shortName() {
        return shortName;
    }

    /** The objective named {@code joint}, {@code conditional} or {@code pseudo}. */
    public static GenerativeObjective parse(String name) {
        for (GenerativeObjective o : values()) {
            if (o.shortName.equalsIgnoreCase(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown generative objective '" + name + "'; expected joint, conditional or pseudo");
    }
}
