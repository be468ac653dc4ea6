package io.ugmm.cli;

import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.train.LearningRateSchedule;
import io.ugmm.model.train.Loss;
import io.ugmm.model.train.Trainer;
import io.ugmm.model.train.TrainingConfig;
import io.ugmm.model.train.TrainingDivergedException;
import io.ugmm.model.train.TrainingSet;
import io.ugmm.simd.MixtureKernels;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** {@code ugmm train}: trains a uGMM-NN on a dataset, reports progress, saves the model. */
final class TrainCommand implements Command {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a network: --dataset iris|fashion-mnist|mnist-digits|csv:FILE|idx:DIR [--layers 128,64 ...]";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("dataset", "layers", "epochs", "batch", "lr", "lr-steps", "lr-gamma", "dropout", "loss",
                "seed", "threads", "out", "clip", "min-std", "test-fraction", "log-every", "standardize",
                "split-seed", "restarts", "augment");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("json");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        String spec = args.require("dataset");
        TrainingPreset preset = TrainingPreset.forDataset(spec);
        Loss loss = parseLoss(args.get("loss", preset.loss().shortName()));
        int[] hidden = args.has("layers") ? parseWidths(args.get("layers", "")) : preset.hidden();
        int epochs = positive(args, "epochs", preset.epochs());
        int batch = positive(args, "batch", preset.batch());
        double lr = args.getDouble("lr", preset.learningRate());
        long seed = args.getInt("seed", 42);
        String dropoutText = args.get("dropout", Double.toString(preset.dropout()));
        double[] dropout = parseDropout(dropoutText);
        double minStd = args.getDouble("min-std", loss == preset.loss() ? preset.minStd() : 0);
        double testFraction = args.getDouble("test-fraction", preset.testFraction());
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new UsageException("--test-fraction must be strictly between 0 and 1, found " + testFraction);
        }
        int logEvery = positive(args, "log-every", preset.logEvery());
        int restarts = positive(args, "restarts", preset.restarts());
        String lrSteps = args.get("lr-steps", preset.lrSteps());
        double gamma = args.getDouble("lr-gamma", 0.1);
        LearningRateSchedule schedule = schedule(lrSteps, gamma, lr);
        String scheduleText = "lr " + lr + (schedule.rate(Integer.MAX_VALUE) == lr ? ""
                : " (x" + gamma + " from epoch " + lrSteps.replace(",", ", ") + ")");
        String augment = args.get("augment", preset.augment());
        int shift = augment.isBlank() || augment.equals("none") ? 0 : parseShift(augment);
        boolean generative = loss == Loss.NEGATIVE_LOG_LIKELIHOOD;
        if (shift > 0 && generative) {
            throw new UsageException("--augment works with the ce loss only (the nll rows carry the label)");
        }
        Path outFile = checkWritable(Path.of(args.get("out", defaultOutName(spec))));

        boolean standardise = yesNo(args.get("standardize", preset.standardise() ? "yes" : "no"), "standardize");
        PreparedData data = PreparedData.forTraining(spec, loss, standardise, testFraction,
                args.getInt("split-seed", (int) seed));
        int inputs = data.train.features();
        UgmmNetwork.Builder network = UgmmNetwork.builder(inputs);
        for (int w : hidden) {
            network.layer(w);
        }
        network.layer(generative ? 1 : data.classes).seed(seed);
        UgmmNetwork initial = network.build();
        int threads = positive(args, "threads", defaultThreads(initial, batch));
        TrainingConfig.Builder config = TrainingConfig.builder().loss(loss).epochs(epochs).batchSize(batch)
                .schedule(schedule).seed(seed).threads(threads).minStd(minStd)
                .clipNorm(args.getDouble("clip", 0));
        setDropout(config, dropout, hidden.length);

        out.println(MixtureKernels.describe());
        out.printf(Locale.ROOT, "dataset %s: %d train + %d test rows, %d features%s, %d classes%n", spec,
                data.train.rows(), data.test.rows(), inputs, generative ? " (label appended)" : "", data.classes);
        out.printf(Locale.ROOT, "network %s, %,d parameters; loss %s, %d epochs, batch %d, %s, dropout %s%s%s%s,"
                        + " %d thread(s), seed %d%n", initial.architecture(), initial.parameterCount(), loss.shortName(),
                epochs, batch, scheduleText, dropoutText, minStd > 0 ? ", min std " + minStd : "",
                shift > 0 ? ", augment " + augment : "", restarts > 1 ? ", " + restarts + " restarts" : "", threads,
                seed);

        TrainingSet trainingSet = TrainingSet.of(data.train.features, data.train.rows(), inputs,
                generative ? null : data.train.labels);
        if (shift > 0) {
            trainingSet = trainingSet.withAugmentation(new ImageShift(inputs, shift, data.preprocessing.scaling()));
        }
        Restarts runs = new Restarts(out, data, generative, threads);
        for (int r = 0; r < restarts; r++) {
            runs.train(network.seed(seed + r).build(), config.seed(seed + r).build(), trainingSet, r, restarts,
                    new ProgressPrinter(out, System.console() != null ? err : null, logEvery, batch,
                            t -> figures(t, data, generative, threads)));
        }
        Run best = runs.best;
        Evaluation test = Evaluation.of(best.network(), data.test, generative, data.classes, threads);
        out.printf(Locale.ROOT, "test: accuracy %s, mean nll %.4f on %d rows%s; %d epochs in %s (%,.0f samples/s)%n",
                ProgressPrinter.percent(test.accuracy()).trim(), test.nll(), test.rows(),
                generative ? " (MPE over the label)" : "", best.epochs(), ProgressPrinter.duration(runs.seconds),
                runs.rows / runs.seconds);
        ModelStore.save(best.network(), outFile, ModelStore.metadata(data.preprocessing, loss, data.classes,
                best.trainer(), test, dropout));
        out.println("saved " + outFile);
        if (args.has("json")) {
            out.println(JsonLine.of("command", "train", "dataset", spec, "accuracy", test.accuracy(), "nll", test.nll(),
                    "epochs", best.epochs(), "seconds", runs.seconds, "samples_per_s", runs.rows / runs.seconds,
                    "seed", best.seed(), "restarts", restarts, "model", outFile.toString()));
        }
        return 0;
    }

    /** Train and test figures for a progress line (train accuracy by MPE for generative models only). */
    private static ProgressPrinter.EpochFigures figures(Trainer trainer, PreparedData data, boolean generative,
                                                        int threads) {
        UgmmNetwork now = trainer.network();
        double trainAcc = generative ? Evaluation.of(now, data.train, true, data.classes, threads).accuracy()
                : Double.NaN;
        Evaluation test = Evaluation.of(now, data.test, generative, data.classes, threads);
        return new ProgressPrinter.EpochFigures(trainAcc, test.accuracy(), test.nll());
    }

    private static void setDropout(TrainingConfig.Builder config, double[] dropout, int hiddenLayers) {
        if (dropout.length == 1) {
            config.dropout(dropout[0]);
        } else if (dropout.length == hiddenLayers) {
            config.layerDropout(java.util.Arrays.copyOf(dropout, hiddenLayers + 1));
        } else {
            throw new UsageException("--dropout takes one rate (for the first layer) or one per hidden layer ("
                    + hiddenLayers + "); found " + dropout.length);
        }
    }

    /** Fails before any training when the model could not be saved where asked. */
    private static Path checkWritable(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UsageException("--out " + file + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) {
            throw new UsageException("--out " + file + ": directory " + dir + " is not writable");
        }
        if (Files.isDirectory(file)) {
            throw new UsageException("--out " + file + " is a directory; give a file name");
        }
        return file;
    }

    /**
     * The restart loop's state: each run trains one initialisation; the one with the best training
     * accuracy is kept (with a single run, that one).
     */
    private static final class Restarts {
        private final PrintStream out;
        private final PreparedData data;
        private final boolean generative;
        private final int threads;
        Run best;
        double seconds;
        long rows;

        Restarts(PrintStream out, PreparedData data, boolean generative, int threads) {
            this.out = out;
            this.data = data;
            this.generative = generative;
            this.threads = threads;
        }

        /** @throws TrainingStopped when training diverged */
        void train(UgmmNetwork start, TrainingConfig config, TrainingSet set, int r, int restarts,
                      ProgressPrinter progress) {
            if (restarts > 1) {
                out.printf(Locale.ROOT, "restart %d/%d: seed %d%n", r + 1, restarts, config.seed());
            }
            Trainer trainer = new Trainer(start, config);
            UgmmNetwork trained;
            try {
                trained = trainer.fit(set, progress);
            } catch (TrainingDivergedException e) {
                throw new TrainingStopped(e);
            }
            seconds += progress.trainSeconds();
            rows += progress.rowsTrained();
            double trainAccuracy = Double.NaN;
            if (restarts > 1) {
                trainAccuracy = Evaluation.of(trained, data.train, generative, data.classes, threads).accuracy();
                out.printf(Locale.ROOT, "restart %d/%d: train accuracy %s%n", r + 1, restarts,
                        ProgressPrinter.percent(trainAccuracy).trim());
            }
            if (best == null || trainAccuracy > best.trainAccuracy()) {
                best = new Run(trainer, trained, progress.epochsDone, trainAccuracy, config.seed());
            }
            if (restarts > 1 && r == restarts - 1) {
                out.printf(Locale.ROOT, "kept seed %d (best training accuracy, %s)%n", best.seed(),
                        ProgressPrinter.percent(best.trainAccuracy()).trim());
            }
        }
    }

    /** Training diverged: reported by {@link Main} as one error line, exit code 1. */
    static final class TrainingStopped extends RuntimeException {
        TrainingStopped(TrainingDivergedException cause) {
            super("training stopped: " + cause.getMessage(), cause);
        }
    }

    /**
     * All cores, unless a mini-batch is so little work (under ~1M mixture elements, a fraction of a
     * millisecond) that handing it to other threads costs more than it saves: then one.
     */
    static int defaultThreads(UgmmNetwork network, int batch) {
        long elements = 0;
        int in = network.inputs();
        for (var layer : network.layers()) {
            elements += (long) in * layer.nodes();
            in = layer.nodes();
        }
        return elements * batch < (1 << 20) ? 1 : Runtime.getRuntime().availableProcessors();
    }

    /** One training run of a restart loop. */
    private record Run(Trainer trainer, UgmmNetwork network, int epochs, double trainAccuracy, long seed) {
    }

    static String defaultOutName(String spec) {
        String base = spec.contains(":") ? spec.substring(spec.lastIndexOf(':') + 1) : spec;
        base = Path.of(base.isEmpty() ? "model" : base).getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return base.replaceAll("\\.(csv|gz)$", "") + ".safetensors";
    }

    private static boolean yesNo(String value, String flag) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "on" -> {
                return true;
            }
            case "no", "false", "off" -> {
                return false;
            }
            default -> throw new UsageException("--" + flag + " expects yes or no, found '" + value + "'");
        }
    }

    /** {@code shift:N} (or {@code shift}, meaning 1) into N. */
    private static int parseShift(String augment) {
        if (augment.equals("shift")) {
            return 1;
        }
        if (augment.startsWith("shift:")) {
            try {
                return Integer.parseInt(augment.substring(6).trim());
            } catch (NumberFormatException e) {
                // fall through to the usage error
            }
        }
        throw new UsageException("--augment expects none, shift or shift:N (N pixels), found '" + augment + "'");
    }

    private static Loss parseLoss(String name) {
        try {
            return Loss.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--loss " + e.getMessage().replace("unknown loss", "got"));
        }
    }

    private static int positive(Args args, String name, int fallback) {
        int v = args.getInt(name, fallback);
        if (v < 1) {
            throw new UsageException("--" + name + " must be at least 1, found " + v);
        }
        return v;
    }

    /** {@code 128,64} into widths; each must be a whole number >= 1. */
    static int[] parseWidths(String text) {
        if (text.isBlank()) {
            return new int[0];
        }
        String[] parts = text.split(",");
        int[] widths = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                widths[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--layers expects hidden widths like 128,64; '" + parts[i]
                        + "' is not a whole number");
            }
            if (widths[i] < 1) {
                throw new UsageException("--layers: every hidden layer needs at least 1 node, found " + widths[i]);
            }
        }
        return widths;
    }

    private static double[] parseDropout(String text) {
        String[] parts = text.split(",");
        double[] rates = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                rates[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--dropout expects a rate like 0.3 (or one per hidden layer: 0.3,0); '"
                        + parts[i] + "' is not a number");
            }
            if (!(rates[i] >= 0 && rates[i] < 1)) {
                throw new UsageException("--dropout rates must be in [0, 1), found " + rates[i]);
            }
        }
        return rates;
    }

    /** @param steps 1-based epochs, comma-separated, or empty for a constant rate */
    private static LearningRateSchedule schedule(String steps, double gamma, double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new UsageException("--lr must be a positive number, found " + lr);
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw new UsageException("--lr-gamma must be in (0, 1], found " + gamma);
        }
        if (steps.isBlank() || steps.equalsIgnoreCase("none")) {
            return LearningRateSchedule.constant(lr);
        }
        String[] parts = steps.split(",");
        int[] milestones = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                // given 1-based, as printed: "--lr-steps 21" lowers the rate from epoch 21 on
                milestones[i] = Integer.parseInt(parts[i].trim()) - 1;
            } catch (NumberFormatException e) {
                throw new UsageException("--lr-steps expects epochs like 21,46; '" + parts[i] + "' is not a whole number");
            }
            if (milestones[i] < 1) {
                throw new UsageException("--lr-steps epochs must be at least 2 (epoch 1 uses --lr), found "
                        + (milestones[i] + 1));
            }
        }
        return LearningRateSchedule.steps(lr, gamma, milestones);
    }
}
