package io.ugmm.cli;

import io.ugmm.datasets.CsvOptions;
import io.ugmm.datasets.CsvReader;
import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.RegressionData;
import io.ugmm.datasets.RegressionDatasets;
import io.ugmm.model.internal.AtomicFileWriter;
import io.ugmm.model.io.ModelMetadata;
import io.ugmm.model.mdn.Activation;
import io.ugmm.model.mdn.ConditionalMixture;
import io.ugmm.model.mdn.MdnConfig;
import io.ugmm.model.mdn.MdnData;
import io.ugmm.model.mdn.MdnFiles;
import io.ugmm.model.mdn.MdnTrainer;
import io.ugmm.model.mdn.MixtureDensityNetwork;
import io.ugmm.simd.DenseKernels;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ugmm mdn train|predict}: mixture density networks, conditional densities for (multimodal)
 * regression. {@code train} fits one on {@code bishop-inverse} or a CSV with numeric targets and reports the
 * test negative log-likelihood; {@code predict} gives, per input row of a CSV, the mixture, its mean, its
 * mode or samples.
 */
final class MdnCommand implements Command {
    @Override
    public String name() {
        return "mdn";
    }

    @Override
    public String summary() {
        return "mixture density networks: 'mdn train --dataset bishop-inverse|csv:FILE?target=COL' or"
                + " 'mdn predict --model FILE --input CSV'";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("dataset", "components", "hidden", "activation", "epochs", "batch", "lr", "min-std", "clip",
                "seed", "threads", "out", "plot", "model", "input", "output", "samples", "temperature");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("json", "mean", "mode");
    }

    @Override
    public boolean takesPositionalArguments() {
        return true;
    }

    @Override
    public Map<String, String> optionHelp() {
        MdnConfig d = MdnConfig.defaults();
        return Map.ofEntries(
                Map.entry("dataset", "train: bishop-inverse, or csv:FILE?target=COL[,COL...][&test=FILE] (required)"),
                Map.entry("components", "train: Gaussian components K (default: " + d.components() + ")"),
                Map.entry("hidden", "train: hidden layer widths, e.g. 32,32; empty for none (default: 32,32)"),
                Map.entry("activation", "train: tanh or relu (default: tanh)"),
                Map.entry("epochs", "train: passes over the data (default: " + d.epochs() + ")"),
                Map.entry("batch", "train: mini-batch size (default: " + d.batchSize() + ")"),
                Map.entry("lr", "train: Adam learning rate (default: " + d.learningRate() + ")"),
                Map.entry("min-std", "train: floor on every component's std, target units (default: " + d.minStd() + ")"),
                Map.entry("clip", "train: largest gradient norm per step, 0 for none (default: " + d.clipNorm() + ")"),
                Map.entry("seed", "train: initialisation and shuffling seed; predict: sampling seed (default: 42)"),
                Map.entry("threads", "train: threads (default: 1 for small networks such as the default, else all cores)"),
                Map.entry("out", "train: save the model here (.safetensors, format=mdn)"),
                Map.entry("plot", "train: SVG of the conditional density with data and modes (1 input, 1 target)"),
                Map.entry("json", "train: also print one JSON line with test_nll, seconds, samples_per_s"),
                Map.entry("model", "predict: a model file saved by 'mdn train --out' (required)"),
                Map.entry("input", "predict: CSV of input rows, the model's input columns (required)"),
                Map.entry("output", "predict: CSV file to write (default: standard output)"),
                Map.entry("samples", "predict: draw N samples per row"),
                Map.entry("temperature", "predict: sampling temperature, > 0 (default: 1)"),
                Map.entry("mean", "predict: the conditional mean per row"),
                Map.entry("mode", "predict: the most probable target per row"));
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        if (args.positional().size() != 1) {
            throw new UsageException("expected 'mdn train' or 'mdn predict', found "
                    + (args.positional().isEmpty() ? "nothing" : "'" + String.join(" ", args.positional()) + "'"));
        }
        switch (args.positional().get(0)) {
            case "train":
                return train(args, out, err);
            case "predict":
                return predict(args, out, err);
            default:
                throw new UsageException("unknown 'mdn " + args.positional().get(0) + "'; expected train or predict");
        }
    }

    private int train(Args args, PrintStream stdout, PrintStream err) throws Exception {
        refuse(args, "train", "model", "input", "output", "samples", "temperature", "mean", "mode");
        String spec = args.require("dataset");
        boolean json = args.has("json");
        PrintStream out = json ? err : stdout;
        MdnConfig d = MdnConfig.defaults();
        MdnConfig config;
        try {
            config = d.withComponents(args.getInt("components", d.components()))
                    .withHidden(args.has("hidden") ? TrainCommand.parseWidths("hidden", args.get("hidden", ""))
                            : d.hidden())
                    .withActivation(Activation.parse(args.get("activation", "tanh")))
                    .withEpochs(args.getInt("epochs", d.epochs()))
                    .withBatchSize(args.getInt("batch", d.batchSize()))
                    .withLearningRate(args.getDouble("lr", d.learningRate()))
                    .withMinStd(args.getDouble("min-std", d.minStd()))
                    .withClipNorm(args.getDouble("clip", d.clipNorm()))
                    .withSeed(args.getInt("seed", (int) d.seed()));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        RegressionDatasets.Loaded data = RegressionDatasets.load(spec);
        RegressionData train = data.train();
        RegressionData test = data.test();
        config = config.withThreads(args.getThreads(defaultThreads(config.shape(train.inputs(), train.targets())
                .parameterCount(), config.batchSize())));
        Path outFile = args.has("out") ? Path.of(args.get("out", null)) : null;
        if (outFile != null) {
            AtomicFileWriter.checkWritable(outFile);
        }
        Path plotFile = args.has("plot") ? Path.of(args.get("plot", null)) : null;
        if (plotFile != null) {
            AtomicFileWriter.checkWritable(plotFile);
        }
        if (plotFile != null && (train.inputs() != 1 || train.targets() != 1)) {
            throw new UsageException("--plot draws one input against one target; " + spec + " has "
                    + train.inputs() + " inputs and " + train.targets() + " targets");
        }
        MdnData trainData = new MdnData(train.x(), train.y(), train.inputs(), train.targets());
        MdnData testData = test == null ? null : new MdnData(test.x(), test.y(), test.inputs(), test.targets());
        out.printf(Locale.ROOT, "dataset  %s: %d train rows%s, inputs %s, targets %s%n", spec, train.rows(),
                test == null ? " (no test part)" : ", " + test.rows() + " test rows", train.inputNames(),
                train.targetNames());
        out.printf(Locale.ROOT, "network  %s, %d parameters; %d epochs, batch %d, Adam lr %s, min std %s, clip %s,"
                        + " seed %d, %d thread%s, %s dense kernel%n",
                config.shape(train.inputs(), train.targets()), config.shape(train.inputs(), train.targets())
                        .parameterCount(), config.epochs(), config.batchSize(), config.learningRate(), config.minStd(),
                config.clipNorm(), config.seed(), config.threads(), config.threads() == 1 ? "" : "s",
                DenseKernels.preferred().name());
        int every = Math.max(1, config.epochs() / 10);
        long start = System.nanoTime();
        MixtureDensityNetwork net = new MdnTrainer(config).train(trainData, (epoch, epochs, nll, seconds) -> {
            if (epoch % every == 0 || epoch == epochs) {
                out.printf(Locale.ROOT, "epoch %" + Integer.toString(epochs).length() + "d/%d  train nll %.4f%n",
                        epoch, epochs, nll);
            }
            return true;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        double samplesPerSecond = (double) config.epochs() * train.rows() / seconds;
        double trainNll = net.meanNegativeLogLikelihood(train.x(), train.y(), train.rows());
        double testNll = testData == null ? Double.NaN
                : net.meanNegativeLogLikelihood(testData.x(), testData.y(), testData.rows());
        out.printf(Locale.ROOT, "trained in %.2f s (%.0f samples/s); train nll %.4f, test nll %s nats per row%n",
                seconds, samplesPerSecond, trainNll, testData == null ? "n/a" : String.format(Locale.ROOT, "%.4f",
                        testNll));
        if (outFile != null) {
            ModelMetadata meta = ModelMetadata.empty().withDataset(spec).withEpochs(config.epochs())
                    .withSeed(config.seed()).with("batch", config.batchSize()).with("lr", config.learningRate())
                    .with("train_nll", trainNll).with("input_names", String.join(",", train.inputNames()))
                    .with("target_names", String.join(",", train.targetNames()));
            if (testData != null) {
                meta = meta.with("test_nll", testNll);
            }
            MdnFiles.save(net, outFile, meta);
            out.println("saved " + outFile);
        }
        if (plotFile != null) {
            RegressionData shown = test != null ? test : train;
            MdnPlot.write(net, shown.x(), shown.y(), train.inputNames().get(0), train.targetNames().get(0), plotFile);
            out.println("plotted " + plotFile);
        }
        if (json) {
            stdout.println(JsonLine.of("command", "mdn train", "dataset", spec, "test_nll", testNll, "train_nll",
                    trainNll, "epochs", config.epochs(), "seconds", seconds, "samples_per_s", samplesPerSecond,
                    "threads", config.threads(), "kernel", DenseKernels.preferred().name(), "jdk",
                    Runtime.version().toString()));
        }
        return 0;
    }

    /**
     * All cores, unless a mini-batch is so little work (parameters x rows under 2^20, e.g. the default
     * 1 615-parameter network at batch 128) that handing half of it to another thread every step costs more
     * than it saves, above all on a busy machine: then one.
     */
    static int defaultThreads(int parameters, int batch) {
        return (long) parameters * batch < (1 << 20) ? 1 : Runtime.getRuntime().availableProcessors();
    }

    private int predict(Args args, PrintStream out, PrintStream err) throws Exception {
        refuse(args, "predict", "dataset", "components", "hidden", "activation", "epochs", "batch", "lr", "min-std",
                "clip", "threads", "out", "plot", "json");
        int modes = (args.has("samples") ? 1 : 0) + (args.has("mean") ? 1 : 0) + (args.has("mode") ? 1 : 0);
        if (modes > 1) {
            throw new UsageException("choose one of --samples N, --mean and --mode");
        }
        if (args.has("temperature") && !args.has("samples")) {
            throw new UsageException("--temperature applies to --samples");
        }
        MixtureDensityNetwork net = MdnFiles.load(Path.of(args.require("model"))).network();
        Path input = Path.of(args.require("input"));
        Dataset rows = CsvReader.read(input, CsvOptions.defaults().withoutLabel());
        int inputs = net.shape().inputs();
        if (rows.features() != inputs) {
            throw new IllegalArgumentException(input + ": has " + rows.features() + " columns, the model takes "
                    + inputs + " inputs");
        }
        int samples = args.getInt("samples", 0);
        if (args.has("samples") && samples < 1) {
            throw new UsageException("--samples must be at least 1, found " + samples);
        }
        double temperature = args.getDouble("temperature", 1);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new UsageException("--temperature must be positive, found " + temperature);
        }
        long seed = args.getInt("seed", 42);
        String output = args.get("output", null);
        if (output != null) {
            Path target = Path.of(output);
            if (target.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize())) {
                throw new UsageException("--output " + output + " is the --input file; choose another name");
            }
            AtomicFileWriter.write(target, stream -> {
                PrintWriter w = new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
                writePredictions(net, rows, args, samples, temperature, seed, w);
                w.flush();
            });
            err.println("wrote predictions for " + rows.rows() + " rows to " + output);
        } else {
            PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            writePredictions(net, rows, args, samples, temperature, seed, w);
            w.flush();
        }
        return 0;
    }

    private static void writePredictions(MixtureDensityNetwork net, Dataset rows, Args args, int samples,
                                         double temperature, long seed, PrintWriter w) {
        int dims = net.shape().targets();
        int k = net.shape().components();
        ConditionalMixture[] mixtures = net.mixtures(rows.features, rows.rows());
        StringBuilder header = new StringBuilder("row");
        if (samples > 0) {
            header.append(",sample");
        }
        if (samples > 0 || args.has("mean") || args.has("mode")) {
            for (int d = 0; d < dims; d++) {
                header.append(",y_").append(d);
            }
        } else {
            for (int c = 0; c < k; c++) {
                header.append(",weight_").append(c);
                for (int d = 0; d < dims; d++) {
                    header.append(",mean_").append(c).append('_').append(d);
                }
                for (int d = 0; d < dims; d++) {
                    header.append(",std_").append(c).append('_').append(d);
                }
            }
        }
        w.println(header);
        for (int r = 0; r < mixtures.length; r++) {
            ConditionalMixture m = mixtures[r];
            if (samples > 0) {
                double[][] draws = m.sample(samples, temperature, seed + r);
                for (int s = 0; s < samples; s++) {
                    w.println(r + "," + s + joined(draws[s]));
                }
            } else if (args.has("mean")) {
                w.println(r + joined(m.mean()));
            } else if (args.has("mode")) {
                w.println(r + joined(m.mode()));
            } else {
                StringBuilder line = new StringBuilder(Integer.toString(r));
                for (int c = 0; c < k; c++) {
                    line.append(',').append(m.weight(c)).append(joined(m.mean(c))).append(joined(m.std(c)));
                }
                w.println(line);
            }
        }
    }

    private static String joined(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double e : v) {
            sb.append(',').append(e);
        }
        return sb.toString();
    }

    private static void refuse(Args args, String sub, String... options) {
        for (String o : options) {
            if (args.has(o)) {
                throw new UsageException("--" + o + " does not apply to 'mdn " + sub + "'");
            }
        }
    }
}
