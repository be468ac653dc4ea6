package io.ugmm.cli;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.Datasets;
import io.ugmm.datasets.LoadedDataset;
import io.ugmm.datasets.Split;
import io.ugmm.datasets.Standardizer;
import io.ugmm.model.gmm.CovarianceType;
import io.ugmm.model.gmm.EmListener;
import io.ugmm.model.gmm.GaussianMixture;
import io.ugmm.model.gmm.GmmConfig;
import io.ugmm.model.gmm.GmmSample;
import io.ugmm.model.gmm.InitMethod;
import io.ugmm.model.internal.AtomicFileWriter;
import io.ugmm.model.io.GmmFiles;
import io.ugmm.model.io.ModelMetadata;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ugmm gmm fit|predict|select|sample}: Gaussian mixtures fitted by EM (scikit-learn's
 * {@code GaussianMixture} semantics; see {@link GaussianMixture}). Labels a dataset may have are never used
 * for fitting, only to report the adjusted Rand index of the clusters against them.
 */
final class GmmCommand implements Command {
    private static final Set<String> FIT_OPTIONS = Set.of("dataset", "components", "covariance", "n-init", "max-iter",
            "tol", "reg-covar", "standardize", "test-fraction", "seed", "init", "init-model", "out", "plot", "frames",
            "json");
    private static final Set<String> SELECT_OPTIONS = Set.of("dataset", "components", "covariance", "n-init",
            "max-iter", "tol", "reg-covar", "standardize", "seed", "init", "criterion", "json");
    private static final Set<String> PREDICT_OPTIONS = Set.of("model", "input", "probabilities", "output");
    private static final Set<String> SAMPLE_OPTIONS = Set.of("model", "n", "seed", "output");

    @Override
    public String name() {
        return "gmm";
    }

    @Override
    public String summary() {
        return "Gaussian mixtures by EM: gmm fit --dataset SPEC --components K | predict | select | sample";
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("dataset", "components", "covariance", "n-init", "max-iter", "tol", "reg-covar", "standardize",
                "test-fraction", "seed", "init", "init-model", "out", "plot", "frames", "model", "input", "output", "n",
                "criterion");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("json", "probabilities");
    }

    @Override
    public boolean takesPositionalArguments() {
        return true;
    }

    @Override
    public Map<String, String> optionHelp() {
        return Map.ofEntries(
                Map.entry("dataset", "fit, select: data to fit, a dataset spec (see 'ugmm datasets'), e.g. faithful"),
                Map.entry("components", "fit: number of components K; select: a range such as 1..10 (default 1..10)"),
                Map.entry("covariance", "fit, select: full, diag, spherical or tied (default full)"),
                Map.entry("n-init", "fit, select: initialisations, the best lower bound is kept (default 1)"),
                Map.entry("max-iter", "fit, select: at most this many EM iterations (default 100)"),
                Map.entry("tol", "fit, select: stop when the mean log-likelihood per row changes by less (default 1e-3)"),
                Map.entry("reg-covar", "fit, select: added to every variance (default 1e-6)"),
                Map.entry("standardize", "fit, select: yes fits on standardised features; the saved model takes raw ones (default no)"),
                Map.entry("test-fraction", "fit: share of rows held out to score the fit (default 0: fit on every row;"
                        + " a dataset's shipped test part is used when it has one and this is above 0)"),
                Map.entry("seed", "fit, select: initialisation seed; sample: sampling seed (default 0)"),
                Map.entry("init", "fit, select: kmeans++, random or random_from_data (default kmeans++)"),
                Map.entry("init-model", "fit: start EM from this gmm file's parameters (given parameters or a"
                        + " warm start; its covariance type is used; --n-init and --init are then ignored)"),
                Map.entry("out", "fit: save the model to this safetensors file (default: not saved)"),
                Map.entry("plot", "fit: SVG of the points and each component's 1 and 2 sigma ellipses (2 features)"),
                Map.entry("frames", "fit: a directory to write one SVG per EM iteration into (2 features)"),
                Map.entry("json", "fit, select: one JSON result line on stdout, the rest on stderr (default off)"),
                Map.entry("model", "predict, sample: a model file saved by gmm fit --out (required)"),
                Map.entry("input", "predict: CSV of feature rows, an optional header line (required)"),
                Map.entry("probabilities", "predict: add each component's posterior probability (default off)"),
                Map.entry("output", "predict, sample: write the CSV to this file instead of stdout"),
                Map.entry("n", "sample: number of rows to draw (required)"),
                Map.entry("criterion", "select: bic or aic (default bic)"));
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        if (args.positional().size() != 1) {
            throw new UsageException("'gmm' needs one action, fit, predict, select or sample, found "
                    + (args.positional().isEmpty() ? "none" : String.join(" ", args.positional())));
        }
        String action = args.positional().get(0);
        switch (action) {
            case "fit":
                allowOnly(args, action, FIT_OPTIONS);
                return fit(args, out, err);
            case "select":
                allowOnly(args, action, SELECT_OPTIONS);
                return select(args, out, err);
            case "predict":
                allowOnly(args, action, PREDICT_OPTIONS);
                return predict(args, out);
            case "sample":
                allowOnly(args, action, SAMPLE_OPTIONS);
                return sample(args, out);
            default:
                throw new UsageException("unknown gmm action '" + action + "'; expected fit, predict, select or sample");
        }
    }

    private void allowOnly(Args args, String action, Set<String> allowed) {
        List<String> all = new ArrayList<>(valuedOptions());
        all.addAll(flagOptions());
        for (String option : all) {
            if (args.has(option) && !allowed.contains(option)) {
                throw new UsageException("'gmm " + action + "' has no option --" + option);
            }
        }
    }

    /** Data to fit: the training part, standardised or not, with what it takes to map a model back. */
    private record FitData(Dataset train, Dataset test, float[] x, Standardizer scaling, String spec) {
        GaussianMixture toRawFeatures(GaussianMixture model) {
            if (scaling == null) {
                return model;
            }
            double[] scale = scaling.standardDeviations().clone();
            for (int i = 0; i < scale.length; i++) {
                scale[i] = scale[i] == 0 ? 1 : scale[i];
            }
            return model.affine(scale, scaling.means());
        }

        /** A mixture on raw features mapped onto the fitted (standardised, if so) ones. */
        GaussianMixture toFittedFeatures(GaussianMixture model) {
            if (scaling == null) {
                return model;
            }
            double[] mean = scaling.means();
            double[] std = scaling.standardDeviations();
            double[] scale = new double[std.length];
            double[] shift = new double[std.length];
            for (int i = 0; i < std.length; i++) {
                scale[i] = std[i] == 0 ? 1 : 1 / std[i];
                shift[i] = -mean[i] * scale[i];
            }
            return model.affine(scale, shift);
        }

        float[] prepare(Dataset data) {
            return scaling == null ? data.features : scaling.apply(data.features);
        }
    }

    private static FitData load(Args args, boolean allowTest) {
        String spec = args.require("dataset");
        double testFraction = allowTest ? args.getDouble("test-fraction", 0) : 0;
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new UsageException("--test-fraction must be at least 0 and below 1, found " + testFraction);
        }
        LoadedDataset loaded = Datasets.load(spec);
        Dataset train = loaded.train();
        Dataset test = null;
        if (testFraction > 0) {
            Split split = loaded.trainTest(testFraction, args.getInt("seed", 0));
            train = split.train();
            test = split.test();
        }
        boolean standardise = yesNo(args.get("standardize", "no"), "--standardize");
        Standardizer scaling = standardise ? Standardizer.fit(train) : null;
        FitData data = new FitData(train, test, null, scaling, spec);
        return new FitData(train, test, data.prepare(train), scaling, spec);
    }

    private static boolean yesNo(String value, String option) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "yes":
                return true;
            case "no":
                return false;
            default:
                throw new UsageException(option + " expects yes or no, found '" + value + "'");
        }
    }

    private static GmmConfig.Builder config(Args args, int components) {
        try {
            return GmmConfig.builder(components)
                    .covarianceType(CovarianceType.parse(args.get("covariance", "full")))
                    .init(InitMethod.parse(args.get("init", "kmeans++")))
                    .nInit(args.getInt("n-init", 1))
                    .maxIter(args.getInt("max-iter", 100))
                    .tol(args.getDouble("tol", 1e-3))
                    .regCovar(args.getDouble("reg-covar", 1e-6))
                    .seed(args.getInt("seed", 0));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private int fit(Args args, PrintStream stdout, PrintStream err) throws IOException {
        PrintStream out = args.has("json") ? err : stdout;
        int components = args.getInt("components", -1);
        if (!args.has("components")) {
            throw new UsageException("'gmm fit' needs --components K");
        }
        FitData data = load(args, true);
        GmmConfig.Builder builder = config(args, components);
        if (args.has("init-model")) {
            GaussianMixture start = GmmFiles.load(Path.of(args.get("init-model", null))).mixture();
            if (args.has("covariance") && start.covarianceType() != builder.build().covarianceType()) {
                throw new UsageException("--covariance " + args.get("covariance", "") + " but --init-model has "
                        + start.covarianceType().label() + " covariances");
            }
            if (start.dims() != data.train().features()) {
                throw new UsageException("--init-model has " + start.dims() + " features, " + data.spec() + " has "
                        + data.train().features());
            }
            try {
                builder.warmStart(data.toFittedFeatures(start));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--init-model: " + e.getMessage());
            }
        }
        GmmConfig config = builder.build();
        if (data.scaling() != null && config.covarianceType() == CovarianceType.SPHERICAL) {
            throw new UsageException("--standardize yes scales each feature differently, and a spherical mixture"
                    + " fitted that way is not spherical on the raw features; use --standardize no or --covariance diag");
        }
        Path outFile = args.has("out") ? Path.of(args.get("out", null)) : null;
        if (outFile != null) {
            AtomicFileWriter.checkWritable(outFile);
        }
        Dataset train = data.train();
        int rows = train.rows();
        int dims = train.features();
        Path frames = args.has("frames") ? Path.of(args.get("frames", null)) : null;
        Path plotFile = args.has("plot") ? Path.of(args.get("plot", null)) : null;
        MixturePlot plot = null;
        if (frames != null || plotFile != null) {
            if (dims != 2) {
                throw new UsageException("--plot and --frames draw 2 features; " + data.spec() + " has " + dims);
            }
            plot = new MixturePlot(train.features, rows, train.featureNames());
            if (frames != null) {
                Files.createDirectories(frames);
            }
        }
        EmListener listener = frameWriter(frames, plot, data, config);
        out.printf(Locale.ROOT, "fitting %d %s components to %s (%d rows x %d features%s) by EM ...%n", components,
                config.covarianceType().label(), data.spec(), rows, dims, data.scaling() != null ? ", standardised" : "");
        long start = System.nanoTime();
        GaussianMixture fitted = GaussianMixture.fit(data.x(), rows, dims, config, listener);
        double seconds = (System.nanoTime() - start) / 1e9;
        double score = fitted.score(data.x(), rows);
        double bic = fitted.bic(data.x(), rows);
        double aic = fitted.aic(data.x(), rows);
        GaussianMixture model = data.toRawFeatures(fitted);
        out.printf(Locale.ROOT, "%s after %d iterations in %.3f s (%.2f iterations/s)%n",
                fitted.converged() ? "converged" : "NOT converged (raise --max-iter or --tol)", fitted.iterations(),
                seconds, fitted.iterations() / seconds);
        out.printf(Locale.ROOT, "mean log-likelihood %.6f per row (lower bound %.6f), BIC %.4f, AIC %.4f, %d free parameters%s%n",
                score, fitted.lowerBound(), bic, aic, fitted.freeParameters(),
                data.scaling() != null ? " (on the standardised features)" : "");
        double[] w = model.weights();
        double[] mu = model.means();
        for (int k = 0; k < components && k < 20; k++) {
            StringBuilder means = new StringBuilder();
            for (int d = 0; d < Math.min(dims, 6); d++) {
                means.append(d == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4g", mu[k * dims + d]));
            }
            out.printf(Locale.ROOT, "  component %d: weight %.4f, mean [%s%s]%n", k, w[k], means, dims > 6 ? ", ..." : "");
        }
        Double ari = null;
        if (train.classes() > 1) {
            ari = AdjustedRandIndex.of(fitted.predict(data.x(), rows), train.labels);
            out.printf(Locale.ROOT, "adjusted Rand index against the dataset's labels (not used to fit): %.4f%n", ari);
        }
        Double testScore = null;
        if (data.test() != null && data.test().rows() > 0) {
            testScore = fitted.score(data.prepare(data.test()), data.test().rows());
            out.printf(Locale.ROOT, "test part: mean log-likelihood %.6f per row over %d rows%n", testScore, data.test().rows());
        }
        if (outFile != null) {
            ModelMetadata meta = ModelMetadata.empty().withDataset(data.spec()).withSeed(config.seed())
                    .with("features", String.join(",", train.featureNames()))
                    .with("standardized", Boolean.toString(data.scaling() != null));
            GmmFiles.save(model, outFile, meta);
            out.println("saved " + outFile);
        }
        if (plotFile != null) {
            write(plotFile, plot.svg(model, String.format(Locale.ROOT, "%s: %d %s components, %d EM iterations",
                    data.spec(), components, config.covarianceType().label(), fitted.iterations())));
            out.println("plot " + plotFile);
        }
        if (args.has("json")) {
            stdout.println(JsonLine.of("command", "gmm fit", "dataset", data.spec(), "rows", rows, "features", dims,
                    "components", components, "covariance", config.covarianceType().label(),
                    "mean_log_likelihood", score, "bic", bic, "aic", aic, "iterations", fitted.iterations(),
                    "converged", fitted.converged(), "seconds", seconds, "iterations_per_s", fitted.iterations() / seconds,
                    "adjusted_rand_index", ari == null ? Double.NaN : ari,
                    "test_mean_log_likelihood", testScore == null ? Double.NaN : testScore));
        }
        return 0;
    }

    private static EmListener frameWriter(Path frames, MixturePlot plot, FitData data, GmmConfig config) {
        if (frames == null) {
            return EmListener.NONE;
        }
        return (run, iteration, model, lowerBound) -> {
            String name = (config.nInit() > 1 ? String.format(Locale.ROOT, "run%02d-", run) : "")
                    + String.format(Locale.ROOT, "iter%03d.svg", iteration);
            String title = String.format(Locale.ROOT, "EM iteration %d%s: mean log-likelihood %.4f", iteration,
                    config.nInit() > 1 ? " (run " + run + ")" : "", lowerBound);
            try {
                write(frames.resolve(name), plot.svg(data.toRawFeatures(model), title));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    private static void write(Path file, String text) throws IOException {
        AtomicFileWriter.write(file, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    private int select(Args args, PrintStream stdout, PrintStream err) {
        PrintStream out = args.has("json") ? err : stdout;
        int[] range = range(args.get("components", "1..10"));
        String criterion = args.get("criterion", "bic").trim().toLowerCase(Locale.ROOT);
        if (!criterion.equals("bic") && !criterion.equals("aic")) {
            throw new UsageException("--criterion must be bic or aic, found '" + criterion + "'");
        }
        FitData data = load(args, false);
        int rows = data.train().rows();
        int dims = data.train().features();
        out.printf(Locale.ROOT, "%s: %d rows x %d features, %s covariances%n", data.spec(), rows, dims,
                args.get("covariance", "full"));
        out.printf(Locale.ROOT, "%4s  %14s  %14s  %14s  %5s  %s%n", "K", "mean log-lik", "BIC", "AIC", "iter", "converged");
        int best = -1;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int k = range[0]; k <= range[1]; k++) {
            if (k > rows) {
                out.printf("%4d  skipped: more components than the %d rows%n", k, rows);
                continue;
            }
            GaussianMixture m = GaussianMixture.fit(data.x(), rows, dims, config(args, k).build());
            double score = m.score(data.x(), rows);
            double bic = m.bic(data.x(), rows);
            double aic = m.aic(data.x(), rows);
            double value = criterion.equals("bic") ? bic : aic;
            out.printf(Locale.ROOT, "%4d  %14.6f  %14.4f  %14.4f  %5d  %s%n", k, score, bic, aic, m.iterations(),
                    m.converged() ? "yes" : "no");
            if (value < bestValue) {
                bestValue = value;
                best = k;
            }
        }
        if (best < 0) {
            throw new UsageException("no component count in " + range[0] + ".." + range[1] + " fits " + rows + " rows");
        }
        out.printf(Locale.ROOT, "chosen: %d components (lowest %s, %.4f)%n", best, criterion.toUpperCase(Locale.ROOT), bestValue);
        if (args.has("json")) {
            stdout.println(JsonLine.of("command", "gmm select", "dataset", data.spec(), "criterion", criterion,
                    "components", best, criterion, bestValue));
        }
        return 0;
    }

    /** {@code A..B} or a single number. */
    static int[] range(String text) {
        String t = text.trim();
        int dots = t.indexOf("..");
        try {
            int lo = Integer.parseInt((dots < 0 ? t : t.substring(0, dots)).trim());
            int hi = dots < 0 ? lo : Integer.parseInt(t.substring(dots + 2).trim());
            if (lo < 1 || hi < lo) {
                throw new UsageException("--components range " + text + ": expected 1 <= A <= B in A..B");
            }
            return new int[] {lo, hi};
        } catch (NumberFormatException e) {
            throw new UsageException("--components expects a range such as 1..10, found '" + text + "'");
        }
    }

    private int predict(Args args, PrintStream out) throws IOException {
        GaussianMixture model = GmmFiles.load(Path.of(args.require("model"))).mixture();
        FeatureRows rows = FeatureRows.read(Path.of(args.require("input")), model.dims());
        boolean probabilities = args.has("probabilities");
        double[] scores = model.scoreSamples(rows.values(), rows.rows());
        int[] component = model.predict(rows.values(), rows.rows());
        double[] p = probabilities ? model.predictProba(rows.values(), rows.rows()) : null;
        int k = model.components();
        StringBuilder text = new StringBuilder("component,log_density");
        for (int c = 0; probabilities && c < k; c++) {
            text.append(",p_").append(c);
        }
        text.append('\n');
        for (int r = 0; r < rows.rows(); r++) {
            text.append(component[r]).append(',').append(scores[r]);
            for (int c = 0; probabilities && c < k; c++) {
                text.append(',').append(p[r * k + c]);
            }
            text.append('\n');
        }
        emit(args, out, text.toString());
        return 0;
    }

    private int sample(Args args, PrintStream out) throws IOException {
        GmmFiles.LoadedMixture loaded = GmmFiles.load(Path.of(args.require("model")));
        GaussianMixture model = loaded.mixture();
        int n = args.getInt("n", -1);
        if (!args.has("n") || n < 1) {
            throw new UsageException("'gmm sample' needs --n N with N at least 1");
        }
        GmmSample s = model.sample(n, args.getInt("seed", 0));
        StringBuilder text = new StringBuilder();
        String[] names = loaded.metadata().get("features").map(f -> f.split(",", -1)).orElse(new String[0]);
        for (int d = 0; d < model.dims(); d++) {
            String name = names.length == model.dims() ? names[d].replaceAll("[\\p{Cntrl},\"]", "_") : "x" + d;
            text.append(name).append(',');
        }
        text.append("component\n");
        for (int r = 0; r < n; r++) {
            for (int d = 0; d < model.dims(); d++) {
                text.append(s.x()[r * model.dims() + d]).append(',');
            }
            text.append(s.components()[r]).append('\n');
        }
        emit(args, out, text.toString());
        return 0;
    }

    private static void emit(Args args, PrintStream out, String text) throws IOException {
        if (args.has("output")) {
            write(Path.of(args.get("output", null)), text);
        } else {
            out.print(text);
        }
    }
}
