package io.ugmm.model.train;

/**
 * How to train: loss, epochs, mini-batch size, Adam and its learning-rate schedule, dropout, gradient
 * clipping, seed and threads. Immutable; build with {@link #builder()}.
 *
 * <p>Dropout: {@link Builder#dropout(double)} applies one rate to the first uGMM layer (the one over the
 * inputs), which is where the reference's MNIST setup puts it (784 -> 128 with dropout 0.3 -> 64 -> 10);
 * measured here on Fashion-MNIST, the same rate on both hidden layers gave about 1.3 points less test accuracy
 * after one and two epochs. The root never gets dropout by default: a dropped root component removes that
 * path from a class's score outright. {@link Builder#layerDropout(double...)} sets each layer's rate,
 * the root included.
 */
public final class TrainingConfig {
    private final Loss loss;
    private final int epochs;
    private final int batchSize;
    private final LearningRateSchedule schedule;
    private final double firstLayerDropout;
    private final double[] layerDropout;
    private final double clipNorm;
    private final double minStd;
    private final long seed;
    private final int threads;
    private final GenerativeObjective generativeObjective;
    private final int labelStates;

    private TrainingConfig(Builder b) {
        this.loss = b.loss;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.schedule = b.schedule;
        this.firstLayerDropout = b.firstLayerDropout;
        this.layerDropout = b.layerDropout;
        this.clipNorm = b.clipNorm;
        this.minStd = b.minStd;
        this.seed = b.seed;
        this.threads = b.threads;
        this.generativeObjective = b.generativeObjective;
        this.labelStates = b.labelStates;
        if (generativeObjective != GenerativeObjective.JOINT && loss != Loss.NEGATIVE_LOG_LIKELIHOOD) {
            throw new IllegalArgumentException("the " + generativeObjective.shortName() + " objective is for"
                    + " generative models (loss nll, label appended as the last input); the loss is " + loss.shortName());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Loss loss() {
        return loss;
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public LearningRateSchedule schedule() {
        return schedule;
    }

    public double clipNorm() {
        return clipNorm;
    }

    /** The floor on every component's standard deviation (0: none). */
    public double minStd() {
        return minStd;
    }

    public long seed() {
        return seed;
    }

    public int threads() {
        return threads;
    }

    /** What a generative model maximises ({@link GenerativeObjective#JOINT} unless set). */
    public GenerativeObjective generativeObjective() {
        return generativeObjective;
    }

    /** The label states (classes) under an objective other than {@link GenerativeObjective#JOINT}; 0 otherwise. */
    public int labelStates() {
        return labelStates;
    }

    /** Dropout rate per uGMM layer of a network with {@code layers} layers. */
    public double[] dropoutRates(int layers) {
        if (layerDropout != null) {
            if (layerDropout.length != layers) {
                throw new IllegalArgumentException("dropout was given for " + layerDropout.length
                        + " layers but the network has " + layers);
            }
            return layerDropout.clone();
        }
        double[] rates = new double[layers];
        if (layers > 1) {
            rates[0] = firstLayerDropout;
        }
        return rates;
    }

    public static final class Builder {
        private Loss loss = Loss.CROSS_ENTROPY;
        private int epochs = 10;
        private int batchSize = 128;
        private LearningRateSchedule schedule = LearningRateSchedule.constant(1e-2);
        private double firstLayerDropout;
        private double[] layerDropout;
        private double clipNorm;
        private double minStd;
        private long seed = 42;
        private int threads = Runtime.getRuntime().availableProcessors();
        private GenerativeObjective generativeObjective = GenerativeObjective.JOINT;
        private int labelStates;

        private Builder() {
        }

        /**
         * What a generative model maximises, with its {@code states} label states (the label input is the last;
         * the training set must carry the labels for any objective but {@link GenerativeObjective#JOINT}, which
         * ignores {@code states}).
         */
        public Builder generativeObjective(GenerativeObjective objective, int states) {
            java.util.Objects.requireNonNull(objective, "objective");
            if (objective == GenerativeObjective.JOINT) {
                return jointObjective();
            }
            if (states < 2) {
                throw new IllegalArgumentException("the " + objective.shortName() + " objective needs at least 2"
                        + " label states, found " + states);
            }
            this.generativeObjective = objective;
            this.labelStates = states;
            return this;
        }

        /** The reference's joint objective, {@code -mean r(x, y)} (the default). */
        public Builder jointObjective() {
            this.generativeObjective = GenerativeObjective.JOINT;
            this.labelStates = 0;
            return this;
        }

        public Builder loss(Loss loss) {
            this.loss = java.util.Objects.requireNonNull(loss, "loss");
            return this;
        }

        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, found " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, found " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** A constant learning rate. */
        public Builder learningRate(double rate) {
            this.schedule = LearningRateSchedule.constant(rate);
            return this;
        }

        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /** Dropout on the first uGMM layer only (none when that layer is the root); see the class comment. */
        public Builder dropout(double rate) {
            this.firstLayerDropout = checkRate(rate);
            this.layerDropout = null;
            return this;
        }

        /** One dropout rate per uGMM layer, input side first, the root last. */
        public Builder layerDropout(double... rates) {
            double[] copy = rates.clone();
            for (double r : copy) {
                checkRate(r);
            }
            this.layerDropout = copy;
            return this;
        }

        private static double checkRate(double rate) {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("dropout rate must be in [0, 1), found " + rate);
            }
            return rate;
        }

        /** Rescales the whole gradient to this Euclidean norm when it is longer; 0 (the default) turns it off. */
        public Builder clipNorm(double clipNorm) {
            if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
                throw new IllegalArgumentException("gradient clip norm must be >= 0 and finite, found " + clipNorm);
            }
            this.clipNorm = clipNorm;
            return this;
        }

        /**
         * A floor on every component's standard deviation, applied after each step ({@code std} is clamped
         * at {@code log(minStd)}); 0 (the default, as the reference) turns it off. Maximum likelihood on a
         * discrete variable (a class label appended as an input) is unbounded: components shrink onto the
         * label values and the density spikes there, which hurts generalisation. A floor of a fraction of
         * the spacing between label values stops that (the way a GMM's covariance regulariser does).
         */
        public Builder minStd(double minStd) {
            if (!(minStd >= 0) || Double.isInfinite(minStd)) {
                throw new IllegalArgumentException("minimum standard deviation must be >= 0 and finite, found "
                        + minStd);
            }
            this.minStd = minStd;
            return this;
        }

        /** Seeds the shuffles and the dropout masks (the initial network has its own seed). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Threads that share each mini-batch. The result is deterministic for a given seed and thread
         * count; different thread counts sum the gradient in a different order and so differ in the last bits.
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, found " + threads);
            }
            this.threads = threads;
            return this;
        }

        public TrainingConfig build() {
            return new TrainingConfig(this);
        }
    }
}
