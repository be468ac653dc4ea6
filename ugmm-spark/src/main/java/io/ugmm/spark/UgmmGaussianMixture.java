package io.ugmm.spark;

import io.ugmm.model.gmm.CovarianceType;
import io.ugmm.model.gmm.EmListener;
import io.ugmm.model.gmm.GaussianMixture;
import io.ugmm.model.gmm.GmmConfig;
import io.ugmm.model.gmm.InitMethod;
import io.ugmm.model.gmm.SufficientStatistics;
import io.ugmm.model.io.GmmFiles;
import io.ugmm.model.io.ModelMetadata;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

import java.util.List;
import java.util.Objects;

import static org.apache.spark.sql.functions.col;

/**
 * Fits a Gaussian mixture by EM on a Spark DataFrame, with the semantics of ugmm's
 * {@link GaussianMixture#fit} (scikit-learn's {@code GaussianMixture}), and returns a
 * {@link UgmmGaussianMixtureModel}.
 *
 * <pre>{@code
 * UgmmGaussianMixtureModel model = new UgmmGaussianMixture().setK(10).setCovarianceType("diag")
 *         .setMaxIter(20).setFeaturesCol("features").fit(df);
 * model.save(Path.of("clusters.safetensors"));          // the gmm file ugmm gmm predict reads
 * }</pre>
 *
 * <p>How: the features are read once into a float block per partition (cached). Each EM iteration
 * broadcasts the current parameters (as a gmm file's bytes); every partition computes its rows' E-step and
 * the M-step's sufficient statistics ({@link SufficientStatistics}, the code the single-JVM fit runs);
 * the partitions' statistics are merged in partition order ({@link FixedOrderTreeReduce}, a tree of
 * {@link #aggregationDepth} levels); the driver runs the M-step. It stops by the single-JVM rule: the mean
 * log-likelihood per row moves by less than {@code tol}, or {@code maxIter} iterations. With
 * {@code nInit > 1} the run with the highest lower bound is kept.
 *
 * <p>Initialisation: the given {@link #setInitialModel initial model}, or else the single-JVM
 * initialisation ({@code init}: k-means++, random or random_from_data, with {@code seed}) run on the driver
 * over a sample of {@code initSampleRows} rows (Bernoulli per partition); when the data has no more rows
 * than that, the sample is all of it in order, so the fit starts exactly where {@link GaussianMixture#fit}
 * on the same rows does and differs from it only by the order of floating-point sums.
 */
public final class UgmmGaussianMixture extends Estimator<UgmmGaussianMixtureModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    /** Rows per E-step call within a partition: bounds the rows x K scratch, not the result. */
    private static final int CHUNK_ROWS = 4096;
    /** INFO: the time of the read, the initialisation and every iteration, with its lower bound. */
    private static final Logger LOG = LoggerFactory.getLogger(UgmmGaussianMixture.class);

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> logDensityCol;
    private final IntParam k;
    private final Param<String> covarianceType;
    private final IntParam maxIter;
    private final DoubleParam tol;
    private final DoubleParam regCovar;
    private final LongParam seed;
    private final IntParam nInit;
    private final Param<String> init;
    private final IntParam initSampleRows;
    private final IntParam aggregationDepth;
    /** A gmm file's bytes: where EM starts instead of {@code init}; null for none. */
    private byte[] initialModel;
    private transient EmListener listener = EmListener.NONE;

    public UgmmGaussianMixture() {
        this(Identifiable$.MODULE$.randomUID("ugmmGaussianMixture"));
    }

    public UgmmGaussianMixture(String uid) {
        this.uid = Objects.requireNonNull(uid, "uid");
        featuresCol = new Param<>(uid, "featuresCol", "features column: an ML Vector or array<float|double>");
        predictionCol = new Param<>(uid, "predictionCol", "the model's output column of the most probable component");
        probabilityCol = new Param<>(uid, "probabilityCol", "the model's output column of the posterior probabilities");
        logDensityCol = new Param<>(uid, "logDensityCol", "the model's output column of the log-density; empty for none");
        k = new IntParam(uid, "k", "number of components (>= 1)", ParamValidators.gtEq(1));
        covarianceType = new Param<>(uid, "covarianceType", "full, diag, spherical or tied",
                ParamValidators.inArray(List.of("full", "diag", "spherical", "tied")));
        maxIter = new IntParam(uid, "maxIter", "at most this many EM iterations per run (>= 1)", ParamValidators.gtEq(1));
        tol = new DoubleParam(uid, "tol", "stop when the mean log-likelihood per row changes by less (>= 0)",
                ParamValidators.gtEq(0));
        regCovar = new DoubleParam(uid, "regCovar", "added to every variance (>= 0)", ParamValidators.gtEq(0));
        seed = new LongParam(uid, "seed", "seed of the initialisation");
        nInit = new IntParam(uid, "nInit", "initialisations; the highest lower bound is kept (>= 1)",
                ParamValidators.gtEq(1));
        init = new Param<>(uid, "init", "kmeans++, random or random_from_data",
                ParamValidators.inArray(List.of("kmeans++", "random", "random_from_data")));
        initSampleRows = new IntParam(uid, "initSampleRows", "rows sampled to the driver for the initialisation"
                + " (>= 1; all rows, in order, when there are no more)", ParamValidators.gtEq(1));
        aggregationDepth = new IntParam(uid, "aggregationDepth", "depth of the tree merging the partitions'"
                + " statistics (>= 1)", ParamValidators.gtEq(1));
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(logDensityCol, "");
        setDefault(k, 2);
        setDefault(covarianceType, "full");
        setDefault(maxIter, 100);
        setDefault(tol, 1e-3);
        setDefault(regCovar, 1e-6);
        setDefault(seed, 0L);
        setDefault(nInit, 1);
        setDefault(init, "kmeans++");
        setDefault(initSampleRows, 10_000);
        setDefault(aggregationDepth, 2);
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---------------------------------------------------------------- parameters (Spark finds them by reflection)

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> predictionCol() {
        return predictionCol;
    }

    public Param<String> probabilityCol() {
        return probabilityCol;
    }

    public Param<String> logDensityCol() {
        return logDensityCol;
    }

    public IntParam k() {
        return k;
    }

    public Param<String> covarianceType() {
        return covarianceType;
    }

    public IntParam maxIter() {
        return maxIter;
    }

    public DoubleParam tol() {
        return tol;
    }

    public DoubleParam regCovar() {
        return regCovar;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam nInit() {
        return nInit;
    }

    public Param<String> init() {
        return init;
    }

    public IntParam initSampleRows() {
        return initSampleRows;
    }

    public IntParam aggregationDepth() {
        return aggregationDepth;
    }

    public UgmmGaussianMixture setFeaturesCol(String column) {
        set(featuresCol, column);
        return this;
    }

    public UgmmGaussianMixture setPredictionCol(String column) {
        set(predictionCol, column);
        return this;
    }

    public UgmmGaussianMixture setProbabilityCol(String column) {
        set(probabilityCol, column);
        return this;
    }

    public UgmmGaussianMixture setLogDensityCol(String column) {
        set(logDensityCol, column);
        return this;
    }

    public UgmmGaussianMixture setK(int components) {
        set(k, components);
        return this;
    }

    /** {@code full} (default), {@code diag}, {@code spherical} or {@code tied}. */
    public UgmmGaussianMixture setCovarianceType(String type) {
        set(covarianceType, CovarianceType.parse(type).label());
        return this;
    }

    public UgmmGaussianMixture setMaxIter(int iterations) {
        set(maxIter, iterations);
        return this;
    }

    public UgmmGaussianMixture setTol(double value) {
        set(tol, value);
        return this;
    }

    public UgmmGaussianMixture setRegCovar(double value) {
        set(regCovar, value);
        return this;
    }

    public UgmmGaussianMixture setSeed(long value) {
        set(seed, value);
        return this;
    }

    public UgmmGaussianMixture setNInit(int runs) {
        set(nInit, runs);
        return this;
    }

    /** {@code kmeans++} (default), {@code random} or {@code random_from_data}. */
    public UgmmGaussianMixture setInit(String method) {
        set(init, InitMethod.parse(method).label());
        return this;
    }

    public UgmmGaussianMixture setInitSampleRows(int rows) {
        set(initSampleRows, rows);
        return this;
    }

    public UgmmGaussianMixture setAggregationDepth(int depth) {
        set(aggregationDepth, depth);
        return this;
    }

    /**
     * Starts EM from these parameters (given ones, or a warm start from an earlier fit) instead of
     * {@code init}; its component count and covariance type become {@code k} and {@code covarianceType}.
     * Saved with the estimator. Null removes it.
     */
    public UgmmGaussianMixture setInitialModel(GaussianMixture model) {
        if (model == null) {
            initialModel = null;
            return this;
        }
        initialModel = GmmFiles.toBytes(model, ModelMetadata.empty());
        setK(model.components());
        return setCovarianceType(model.covarianceType().label());
    }

    /** Told on the driver after every EM iteration, as {@link GaussianMixture#fit(float[], int, int, GmmConfig, EmListener)} tells it. */
    public UgmmGaussianMixture setListener(EmListener value) {
        listener = Objects.requireNonNull(value, "listener");
        return this;
    }

    byte[] initialModelBytes() {
        return initialModel;
    }

    private int number(IntParam p) {
        return (Integer) getOrDefault(p);
    }

    private double real(DoubleParam p) {
        return (Double) getOrDefault(p);
    }

    private String text(Param<String> p) {
        return getOrDefault(p);
    }

    /** The single-JVM config these parameters mean (the initial model, if any, included). */
    GmmConfig config() {
        GmmConfig.Builder b = GmmConfig.builder(number(k))
                .covarianceType(CovarianceType.parse(text(covarianceType)))
                .init(InitMethod.parse(text(init)))
                .nInit(number(nInit)).maxIter(number(maxIter)).tol(real(tol)).regCovar(real(regCovar))
                .seed((Long) getOrDefault(seed));
        if (initialModel != null) {
            b.initialModel(GmmBroadcasts.parse(initialModel, "the initial model"));
        }
        return b.build();
    }

    // ---------------------------------------------------------------- fitting

    /** The fitted model's output schema (so a Pipeline checks the stages after this one). */
    @Override
    public StructType transformSchema(StructType schema) {
        SchemaColumns.requireFeatures(schema, text(featuresCol), "");
        return SchemaColumns.withOutputs(schema, UgmmGaussianMixtureModel.outputColumns(text(predictionCol),
                text(probabilityCol), text(logDensityCol)));
    }

    @Override
    public UgmmGaussianMixtureModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        GmmConfig config = config();
        String features = text(featuresCol);
        Dataset<Row> rows = dataset.select(col(features));
        int dims = FeatureReader.firstWidth(rows, features, "fit a mixture to");
        List<String> names = FeatureReader.names(dims);
        JavaRDD<GmmRows> blocks = rows.toJavaRDD()
                .mapPartitionsWithIndex((p, it) -> List.of(GmmRows.read(p, it, names, features)).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long started = System.nanoTime();
            long count = blocks.map(b -> (long) b.rows).reduce(Long::sum); // reads and checks every row once
            LOG.info("read {} rows x {} features from column '{}' in {} partitions in {} s", count, dims, features,
                    blocks.getNumPartitions(), seconds(started));
            if (count < config.components()) {
                throw new IllegalArgumentException("the features column '" + features + "' has " + count
                        + " rows; " + config.components() + " components need at least " + config.components());
            }
            if (config.initialModel().isPresent() && config.initialModel().get().dims() != dims) {
                throw new IllegalArgumentException("the initial model has " + config.initialModel().get().dims()
                        + " features, the features column '" + features + "' " + dims);
            }
            GaussianMixture best = null;
            int runs = config.initialModel().isPresent() ? 1 : config.nInit();
            started = System.nanoTime();
            InitSample sample = config.initialModel().isEmpty() ? sample(blocks, count, dims) : null;
            if (sample != null) {
                LOG.info("sampled {} rows to the driver for the initialisation in {} s", sample.rows, seconds(started));
            }
            for (int run = 0; run < runs; run++) {
                started = System.nanoTime();
                GaussianMixture start = sample == null ? config.initialModel().get()
                        : GaussianMixture.initialize(sample.x, sample.rows, dims, config, run);
                LOG.info("run {}: initialised ({}) in {} s", run, sample == null ? "given parameters"
                        : config.init().label(), seconds(started));
                GaussianMixture fitted = em(blocks, start, config, run);
                if (best == null || fitted.lowerBound() > best.lowerBound()) {
                    best = fitted;
                }
            }
            ModelMetadata meta = ModelMetadata.empty().withSeed(config.seed())
                    .withDataset("spark DataFrame (" + count + " rows)")
                    .with("features", String.join(",", names));
            UgmmGaussianMixtureModel model = UgmmGaussianMixtureModel.of(best, meta).setFeaturesCol(features)
                    .setPredictionCol(text(predictionCol)).setProbabilityCol(text(probabilityCol))
                    .setLogDensityCol(text(logDensityCol));
            return model.setParent(this);
        } finally {
            blocks.unpersist(false);
        }
    }

    /** One EM run from {@code start} on the cluster, stopping by the single-JVM rule. */
    private GaussianMixture em(JavaRDD<GmmRows> blocks, GaussianMixture start, GmmConfig config, int run) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(blocks.context());
        int depth = number(aggregationDepth);
        GaussianMixture model = start;
        double lowerBound = Double.NEGATIVE_INFINITY;
        boolean converged = false;
        int iteration = 0;
        while (iteration < config.maxIter() && !converged) {
            iteration++;
            long started = System.nanoTime();
            Broadcast<byte[]> current = context.broadcast(GmmFiles.toBytes(model, ModelMetadata.empty()));
            SufficientStatistics total;
            try {
                JavaPairRDD<Integer, SufficientStatistics> parts = blocks.mapToPair(b -> {
                    GaussianMixture m = GmmBroadcasts.get(current);
                    SufficientStatistics s = SufficientStatistics.of(m);
                    for (int from = 0; from < b.rows; from += CHUNK_ROWS) {
                        s.addExpectation(m, b.x, from, Math.min(CHUNK_ROWS, b.rows - from));
                    }
                    return new Tuple2<>(b.partition, s);
                });
                total = FixedOrderTreeReduce.reduce(parts, (a, b) -> {
                    a.addAll(b);
                    return a;
                }, depth);
            } finally {
                current.destroy();
            }
            double previous = lowerBound;
            lowerBound = total.logLikelihood() / total.rows();
            converged = config.converged(previous, lowerBound);
            model = total.maximize(model, config.regCovar());
            LOG.info("run {} iteration {}: lower bound {} in {} s", run, iteration, lowerBound, seconds(started));
            if (listener != null) { // null only in a deserialised copy
                listener.iteration(run, iteration, model, lowerBound);
            }
        }
        return model.withFitInfo(converged, iteration, lowerBound);
    }

    private static String seconds(long startNanos) {
        return String.format(java.util.Locale.ROOT, "%.3f", (System.nanoTime() - startNanos) / 1e9);
    }

    /** Rows for the driver-side initialisation: all of them in order, or a Bernoulli sample. */
    private record InitSample(float[] x, int rows) {
    }

    private InitSample sample(JavaRDD<GmmRows> blocks, long count, int dims) {
        int wanted = number(initSampleRows);
        if (wanted < number(k)) {
            throw new IllegalArgumentException("initSampleRows " + wanted + " is below k = " + number(k));
        }
        // a little over the share wanted, so the sample rarely falls short; trimmed below
        double fraction = count <= wanted ? 1 : Math.min(1, 1.1 * wanted / count);
        long sampleSeed = (Long) getOrDefault(seed);
        List<float[]> parts = blocks.map(b -> b.sample(fraction, sampleSeed)).collect();
        long total = 0;
        for (float[] p : parts) {
            total += p.length / dims;
        }
        int rows = (int) Math.min(total, wanted);
        float[] x = new float[Math.multiplyExact(rows, dims)];
        int at = 0;
        for (float[] p : parts) {
            int n = Math.min(p.length, x.length - at);
            System.arraycopy(p, 0, x, at, n);
            at += n;
        }
        return new InitSample(x, rows);
    }

    // ---------------------------------------------------------------- persistence

    /** Reads an estimator saved with {@link #write()}: its parameters, and its initial model if it has one. */
    public static MLReader<UgmmGaussianMixture> read() {
        return new StagePersistence.Reader<>(UgmmGaussianMixture.class, StagePersistence.GMM_FILE,
                "the initial model", false, UgmmGaussianMixture::restore);
    }

    /** The estimator saved with this uid and initial model (a gmm file's bytes, or null), before its parameters. */
    private static UgmmGaussianMixture restore(String uid, byte[] initialModel) {
        UgmmGaussianMixture estimator = new UgmmGaussianMixture(uid);
        if (initialModel != null) {
            GmmBroadcasts.parse(initialModel, "the initial model of a saved UgmmGaussianMixture"); // checked here
            estimator.initialModel = initialModel; // k and covarianceType come with the saved parameters
        }
        return estimator;
    }

    public static UgmmGaussianMixture load(String path) {
        return read().load(path);
    }

    @Override
    public MLWriter write() {
        return new StagePersistence.Writer(this, StagePersistence.GMM_FILE, "the initial model", initialModel);
    }

    @Override
    public UgmmGaussianMixture copy(ParamMap extra) {
        UgmmGaussianMixture copy = copyValues(new UgmmGaussianMixture(uid), extra);
        copy.initialModel = initialModel;
        copy.listener = listener;
        return copy;
    }
}
