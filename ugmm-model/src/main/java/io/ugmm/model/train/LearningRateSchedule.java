package io.ugmm.model.train;

import java.util.Arrays;

/**
 * A step schedule: the base rate, multiplied by {@code gamma} once for every milestone reached.
 * Epochs are counted from 0 here, as PyTorch's {@code MultiStepLR} counts its {@code step()} calls:
 * with milestones {20, 45} epochs 0..19 use the base rate, 20..44 {@code base * gamma}, then
 * {@code base * gamma^2}. (In 1-based epoch numbers as printed: the drop happens at epoch 21.)
 */
public final class LearningRateSchedule {
    private final double base;
    private final double gamma;
    private final int[] milestones;

    private LearningRateSchedule(double base, double gamma, int[] milestones) {
        this.base = base;
        this.gamma = gamma;
        this.milestones = milestones;
    }

    /** The same rate in every epoch. */
    public static LearningRateSchedule constant(double rate) {
        return steps(rate, 1, new int[0]);
    }

    /**
     * @param milestones 0-based epochs at which the rate is multiplied by {@code gamma}; any order
     * @throws IllegalArgumentException for a rate that is not positive and finite, a gamma outside (0, 1],
     *                                  or a negative milestone
     */
    public static LearningRateSchedule steps(double base, double gamma, int... milestones) {
        if (!(base > 0) || !Double.isFinite(base)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, found " + base);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("learning-rate decay factor must be in (0, 1], found " + gamma);
        }
        int[] sorted = milestones.clone();
        Arrays.sort(sorted);
        if (sorted.length > 0 && sorted[0] < 0) {
            throw new IllegalArgumentException("learning-rate milestones must be >= 0, found " + sorted[0]);
        }
        return new LearningRateSchedule(base, gamma, sorted);
    }

    /** The rate used throughout 0-based epoch {@code epoch}. */
    public double rate(int epoch) {
        int reached = 0;
        while (reached < milestones.length && milestones[reached] <= epoch) {
            reached++;
        }
        return base * Math.pow(gamma, reached);
    }

    public double base() {
        return base;
    }

    @Override
    public String toString() {
        return milestones.length == 0 ? "lr " + base
                : "lr " + base + " x" + gamma + " at epochs " + Arrays.toString(milestones) + " (0-based)";
    }
}
