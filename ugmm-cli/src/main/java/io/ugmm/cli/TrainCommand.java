package io.ugmm.cli;

import io.ugmm.datasets.Datasets;
import io.ugmm.model.UgmmModel;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.internal.AtomicFileWriter;
import io.ugmm.model.train.GenerativeObjective;
import io.ugmm.model.train.LearningRateSchedule;
import io.ugmm.model.train.Loss;
import io.ugmm.model.train.Trainer;
import io.ugmm.model.train.TrainingConfig;
import io.ugmm.model.train.TrainingDivergedException;
import io.ugmm.model.train.TrainingSet;
import io.ugmm.simd.MixtureKernels;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
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
                "split-seed", "restarts", "augment", "objective");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("json");
    }

    @Override
    public Map<String, String> optionHelp() {
        return Map.ofEntries(
                Map.entry("dataset", "iris, fashion-mnist[:DIR], mnist-digits[:DIR], csv:PATH[?label=..&test=PATH] or idx:DIR (required)"),
                Map.entry("layers", "hidden layer widths, e.g. 128,64; empty for none (default: iris 10,5; images 128,64; csv 32,16)"),
                Map.entry("epochs", "passes over the training data (default: iris 2000; fashion-mnist 10; mnist-digits 40; csv 20)"),
                Map.entry("batch", "mini-batch size (default: iris 8; images 128; csv 64)"),
                Map.entry("lr", "Adam learning rate (default: iris 0.001; others 0.01)"),
                Map.entry("lr-steps", "epochs (from 1) from which the rate is multiplied by --lr-gamma, e.g. 21,46 (default: fashion-mnist 6; mnist-digits 31; none)"),
                Map.entry("lr-gamma", "factor applied to the rate at each --lr-steps epoch (default 0.1)"),
                Map.entry("dropout", "dropout rate of the first hidden layer, or one per hidden layer as 0.3,0 (default: iris and images 0.3; 0)"),
                Map.entry("loss", "ce (one root node per class) or nll (generative, label appended as the last input) (default: iris nll; ce)"),
                Map.entry("seed", "seed of the initialisation and the shuffling (default 42)"),
                Map.entry("threads", "training threads, at most 8 per core (default: all cores, or 1 for a small network)"),
                Map.entry("out", "model file to write, checked before training (default: DATASET.safetensors)"),
                Map.entry("clip", "clip the gradient norm to this, 0 for no clipping (default 0)"),
                Map.entry("min-std", "floor on every Gaussian's std, 0 for none (default: iris 0.5; images 0.2; csv 0)"),
                Map.entry("test-fraction", "share of each class held out when the dataset has no test part (default 0.2)"),
                Map.entry("log-every", "print a progress line every N epochs and after the last (default: iris 200; mnist-digits 5; 1)"),
                Map.entry("standardize", "yes or no: (x - mean) / std with statistics of the training part (default yes)"),
                Map.entry("split-seed", "seed of the train/test split (default: --seed)"),
                Map.entry("restarts", "train N initialisations and keep the best by training accuracy (default 1)"),
                Map.entry("augment", "none or shift:N, random shifts of images by up to N pixels, ce only (default: mnist-digits shift:1; none)"),
                Map.entry("objective", "nll only: joint (-log r(x, y), the reference's), conditional (-log p(y | x) over the label states) or pseudo (conditional, and the same for one feature at a time against uniform noise) (default: iris pseudo; joint)"),
                Map.entry("json", "print one JSON result line on stdout; the other lines go to stderr (default off)"));
    }

    @Override
    public int run(Args args, PrintStream stdout, PrintStream err) throws Exception {
        // with --json, stdout is exactly the one JSON line; the human-readable lines go to stderr
        PrintStream out = args.has("json") ? err : stdout;
        String spec = args.require("dataset");
        Path outFile = Path.of(args.get("out", defaultOutName(spec)));
        checkOut(outFile, spec);
        TrainingPreset preset = TrainingPreset.forDataset(spec);
        Loss loss = parseLoss(args.get("loss", preset.loss().shortName()));
        int[] hidden = args.has("layers") ? parseWidths(args.get("layers", "")) : preset.hidden();
        int epochs = positive(args, "epochs", preset.epochs());
        int batch = positive(args, "batch", preset.batch());
        double lr = args.getDouble("lr", preset.learningRate());
        long seed = args.getInt("seed", 42);
        double[] dropout = parseDropout(args.get("dropout", Double.toString(preset.dropout())));
        double minStd = nonNegative(args, "min-std", loss == preset.loss() ? preset.minStd() : 0, "0 turns it off");
        double clip = nonNegative(args, "clip", 0, "0 turns clipping off");
        if (args.has("dropout") && hidden.length == 0 && java.util.Arrays.stream(dropout).anyMatch(r -> r > 0)) {
            throw new UsageException("--dropout applies to hidden layers, and --layers gives none");
        }
        double testFraction = args.getDouble("test-fraction", preset.testFraction());
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new UsageException("--test-fraction must be strictly between 0 and 1, found " + testFraction);
        }
        int logEvery = positive(args, "log-every", preset.logEvery());
        boolean json = args.has("json");
        String lrSteps = args.get("lr-steps", preset.lrSteps());
        double gamma = args.getDouble("lr-gamma", 0.1);
        LearningRateSchedule schedule = schedule(lrSteps, gamma, lr);
        String scheduleText = "lr " + lr + (schedule.rate(Integer.MAX_VALUE) == lr ? ""
                : " (x" + gamma + " from epoch " + lrSteps.replace(",", ", ") + ")");

        boolean standardise = yesNo(args.get("standardize", preset.standardise() ? "yes" : "no"), "standardize");
        long splitSeed = args.getInt("split-seed", (int) seed);
        PreparedData data = PreparedData.forTraining(spec, standardise, testFraction, splitSeed);
        if (data.classes < 2) {
            throw new IllegalArgumentException(spec + " has only " + data.classes + " class (" + data.train.classNames()
                    + "); a classifier needs at least 2");
        }
        if (data.test.rows() == 0 || data.train.rows() == 0) {
            String leaves = "--test-fraction " + testFraction + " leaves " + (data.test.rows() == 0
                    ? "no test rows" : "no training rows") + " in " + spec;
            int total = data.train.rows() + data.test.rows();
            if (total < 5L * data.classes) {
                // the split holds out a share of each class: with a row or two per class no fraction helps
                throw new UsageException(String.format(Locale.ROOT, "%s: its %d rows fall into %d classes (%.1f per"
                        + " class), too few to hold out a share of each; give it a test file"
                        + " (csv:PATH?test=TESTPATH) or more rows per class", leaves, total, data.classes,
                        (double) total / data.classes));
            }
            throw new UsageException(leaves + "; choose one nearer 0.2");
        }
        boolean generative = loss == Loss.NEGATIVE_LOG_LIKELIHOOD;
        GenerativeObjective objective = parseObjective(args.get("objective", preset.generativeObjective().shortName()));
        if (args.has("objective") && !generative) {
            throw new UsageException("--objective is for the nll loss (label appended); the loss is "
                    + loss.shortName());
        }
        boolean grouped = generative && objective != GenerativeObjective.JOINT;
        int inputs = data.train.features() + (generative ? 1 : 0);
        int root = loss == Loss.CROSS_ENTROPY ? data.classes : 1;
        UgmmNetwork.Builder builder = UgmmNetwork.builder(inputs);
        for (int w : hidden) {
            builder.layer(w);
        }
        UgmmNetwork initial = builder.layer(root).seed(seed).build();
        int restarts = positive(args, "restarts", preset.restarts());
        int threads = args.getThreads(defaultThreads(initial, batch));
        TrainingConfig.Builder config = TrainingConfig.builder().loss(loss).epochs(epochs).batchSize(batch)
                .schedule(schedule).seed(seed).threads(threads).minStd(minStd)
                .clipNorm(clip);
        if (generative) {
            config.generativeObjective(objective, data.classes);
        }
        if (dropout.length == 1) {
            config.dropout(dropout[0]);
        } else if (dropout.length == hidden.length) {
            double[] perLayer = java.util.Arrays.copyOf(dropout, hidden.length + 1);
            config.layerDropout(perLayer);
        } else {
            throw new UsageException("--dropout takes one rate (for the first layer) or one per hidden layer ("
                    + hidden.length + "); found " + dropout.length);
        }

        out.println(MixtureKernels.describe());
        out.printf(Locale.ROOT, "dataset %s: %d train + %s, %s%s, %s%n", spec,
                data.train.rows(), ProgressPrinter.count(data.test.rows(), "test row", "test rows"),
                ProgressPrinter.count(inputs, "feature", "features"), loss == Loss.NEGATIVE_LOG_LIKELIHOOD
                        ? " (label appended)" : "", ProgressPrinter.count(data.classes, "class", "classes"));
        String augment = args.get("augment", preset.augment());
        out.printf(Locale.ROOT, "network %s, %,d parameters; loss %s%s, %s, batch %d, %s, dropout %s%s%s%s,"
                        + " %d thread(s), seed %d%n", initial.architecture(), initial.parameterCount(), loss.shortName(),
                generative ? " (" + objective.shortName() + ")" : "",
                ProgressPrinter.count(epochs, "epoch", "epochs"), batch, scheduleText, args.get("dropout", Double.toString(preset.dropout())),
                minStd > 0 ? ", min std " + minStd : "", augment.equals("none") ? "" : ", augment " + augment,
                restarts > 1 ? ", " + restarts + " restarts" : "", threads, seed);

        TrainingSet trainingSet = TrainingSet.of(data.networkInputs(loss), data.train.rows(), inputs,
                generative && !grouped ? null : data.train.labels);
        if (!augment.isBlank() && !augment.equals("none")) {
            if (generative) {
                throw new UsageException("--augment works with the ce loss only (the nll rows carry the label)");
            }
            trainingSet = trainingSet.withAugmentation(new ImageShift(inputs, parseShift(augment),
                    data.standardization));
        }
        // Ctrl-C (or a kill) during training ends the JVM through its shutdown hooks: say nothing was saved
        Thread interrupted = new Thread(() -> err.println("interrupted; nothing saved (" + outFile + " is as it was)"));
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
            Run best = null;
            double seconds = 0;
            long rows = 0;
            for (int r = 0; r < restarts; r++) {
                long runSeed = seed + r;
                if (restarts > 1) {
                    out.printf(Locale.ROOT, "restart %d/%d: seed %d%n", r + 1, restarts, runSeed);
                }
                UgmmNetwork start = builder.seed(runSeed).build();
                Trainer trainer = new Trainer(start, config.seed(runSeed).build());
                ProgressPrinter progress = progressPrinter(out, err, logEvery, batch, data, loss, objective, threads);
                UgmmNetwork trained;
                try {
                    trained = trainer.fit(trainingSet, progress);
                } catch (TrainingDivergedException e) {
                    err.println("error: training stopped: " + e.getMessage());
                    return 1;
                }
                seconds += progress.trainSeconds();
                rows += progress.rowsTrained();
                double trainAccuracy = restarts == 1 ? Double.NaN
                        : Evaluation.of(data.model(trained, loss, objective).build(), data.train, threads).accuracy();
                if (restarts > 1) {
                    out.printf(Locale.ROOT, "restart %d/%d: train accuracy %s%n", r + 1, restarts,
                            ProgressPrinter.percent(trainAccuracy).trim());
                }
                if (best == null || trainAccuracy > best.trainAccuracy()) {
                    best = new Run(trainer, trained, progress.epochsDone, trainAccuracy, runSeed);
                }
            }
            if (restarts > 1) {
                out.printf(Locale.ROOT, "kept seed %d (best training accuracy, %s)%n", best.seed(),
                        ProgressPrinter.percent(best.trainAccuracy()).trim());
            }
            Evaluation test = Evaluation.of(data.model(best.network(), loss, objective).build(), data.test, threads);
            out.printf(Locale.ROOT, "test: accuracy %s, mean nll %.4f on %s%s; %s in %s (%,.0f samples/s)%n",
                    ProgressPrinter.percent(test.accuracy()).trim(), test.nll(), ProgressPrinter.count(test.rows(), "row",
                            "rows"), generative ? " (MPE over the label)" : "",
                    ProgressPrinter.count(best.epochs(), "epoch", "epochs"), ProgressPrinter.duration(seconds),
                    rows / seconds);
            UgmmModel model = data.model(best.network(), loss, objective)
                    .metadata(ModelStore.provenance(data, best.trainer(), test, dropout)).build();
            warnIfAtChance(model, data, restarts > 1 ? best.trainAccuracy() : Double.NaN, threads, err);
            model.save(outFile);
            out.println("saved " + outFile);
            if (json) {
                stdout.println(JsonLine.of("command", "train", "dataset", spec, "accuracy", test.accuracy(), "nll", test.nll(),
                        "epochs", best.epochs(), "seconds", seconds, "samples_per_s", rows / seconds,
                        "seed", best.seed(), "restarts", restarts, "model", outFile.toString()));
            }
            return 0;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
    }

    /**
     * Warns when the training accuracy is no better than always answering the most frequent class (e.g. a
     * learning rate so small nothing moved): the model is saved, but it has learned nothing.
     */
    static void warnIfAtChance(UgmmModel model, PreparedData data, double trainAccuracy, int threads,
                               PrintStream err) {
        double accuracy = Double.isNaN(trainAccuracy) ? Evaluation.of(model, data.train, threads).accuracy()
                : trainAccuracy;
        int[] counts = new int[data.classes];
        for (int label : data.train.labels) {
            counts[label]++;
        }
        double majority = (double) java.util.Arrays.stream(counts).max().orElse(0) / Math.max(1, data.train.rows());
        if (accuracy <= majority + 0.1 * (1 - majority)) {
            err.printf(Locale.ROOT, "warning: training accuracy %s is at chance (always answering the most frequent"
                    + " class gives %s): the model learned next to nothing; try a larger --lr or more --epochs%n",
                    ProgressPrinter.percent(accuracy).trim(), ProgressPrinter.percent(majority).trim());
        }
    }

    /** Refuses, before any training, an output path that cannot be written or is one of the data files. */
    private static void checkOut(Path outFile, String spec) throws IOException {
        for (Path data : Datasets.files(spec)) {
            boolean same = Files.exists(outFile) && Files.exists(data) ? Files.isSameFile(outFile, data)
                    : outFile.toAbsolutePath().normalize().equals(data.toAbsolutePath().normalize());
            if (same) {
                throw new UsageException("--out " + outFile + " is the dataset file " + data
                        + "; saving the model there would destroy it. Choose another name");
            }
        }
        AtomicFileWriter.checkWritable(outFile);
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

    private static ProgressPrinter progressPrinter(PrintStream out, PrintStream err, int logEvery, int batch,
                                                   PreparedData data, Loss loss, GenerativeObjective objective,
                                                   int threads) {
        PrintStream bar = System.console() != null ? err : null;
        return new ProgressPrinter(out, bar, logEvery, batch, t -> {
            UgmmModel now = data.model(t.network(), loss, objective).build();
            double trainAcc = now.generative() ? Evaluation.of(now, data.train, threads).accuracy() : Double.NaN;
            Evaluation test = Evaluation.of(now, data.test, threads);
            return new ProgressPrinter.EpochFigures(trainAcc, test.accuracy(), test.nll());
        });
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

    private static GenerativeObjective parseObjective(String name) {
        try {
            return GenerativeObjective.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--objective " + e.getMessage().replace("unknown generative objective", "got"));
        }
    }

    private static Loss parseLoss(String name) {
        try {
            return Loss.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--loss " + e.getMessage().replace("unknown loss", "got"));
        }
    }

    private static double nonNegative(Args args, String name, double fallback, String zeroMeans) {
        double v = args.getDouble(name, fallback);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new UsageException("--" + name + " must be a finite number >= 0 (" + zeroMeans + "), found " + v);
        }
        return v;
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
        return parseWidths("layers", text);
    }

    /** Hidden widths such as {@code 128,64} given to option {@code --name}; blank for none. */
    static int[] parseWidths(String name, String text) {
        if (text.isBlank()) {
            return new int[0];
        }
        String[] parts = text.split(",");
        int[] widths = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                widths[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " expects hidden widths like 128,64; '" + parts[i]
                        + "' is not a whole number");
            }
            if (widths[i] < 1) {
                throw new UsageException("--" + name + ": every hidden layer needs at least 1 node, found " + widths[i]);
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
