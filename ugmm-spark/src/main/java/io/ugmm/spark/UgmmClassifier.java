package io.ugmm.spark;

import io.ugmm.model.FeatureStandardization;
import io.ugmm.model.UgmmModel;
import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.io.ModelMetadata;
import io.ugmm.model.train.Loss;
import io.ugmm.model.train.Trainer;
import io.ugmm.model.train.TrainingConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import static org.apache.spark.sql.functions.col;

/**
 * Trains a uGMM classifier (cross-entropy, one root node per class) on a DataFrame, data-parallel over
 * the partitions, and returns a {@link UgmmTransformer} for it.
 *
 * <pre>{@code
 * UgmmTransformer model = new UgmmClassifier().setHiddenLayers(128, 64).setEpochs(10)
 *         .setFeaturesCol("features").setLabelCol("label").fit(train);
 * }</pre>
 *
 * <p>How: one pass measures the standardisation (mean and std per feature) and the training range. Then,
 * with {@link #strategy()} {@code gradient} (the default), every step is one global mini-batch of
 * {@code batchSize} rows, each partition contributing the same fraction of its rows: the partitions'
 * gradients are summed in a fixed order and the driver applies Adam, so training follows ugmm's
 * {@link Trainer} in one JVM (exactly so with one partition) at one Spark job per step; see
 * {@link GradientTraining}. With {@code average}, each epoch every partition starts from the same network
 * (a broadcast), runs one epoch of the {@link Trainer} on its rows, and the resulting networks are
 * averaged, weighted by rows: one job per epoch, but Adam's moments restart each epoch and it needs more
 * epochs for the same accuracy. Partitions stay cached between epochs. Labels are class indices 0, 1, 2, ...; the class count is the largest label + 1, or the number
 * of {@link #classNames()} when given.
 *
 * <p>Saved and loaded with Spark ML persistence, its parameters only (also inside an unfitted
 * {@code Pipeline}): {@code classifier.write().overwrite().save(path)}, {@link #load UgmmClassifier.load(path)}.
 */
public final class UgmmClassifier extends Estimator<UgmmTransformer> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    /** {@link #strategy()}: each step's gradient summed across the partitions. */
    public static final String GRADIENT = "gradient";
    /** {@link #strategy()}: per-epoch model averaging. */
    public static final String AVERAGE = "average";

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final IntArrayParam hiddenLayers;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final DoubleParam learningRate;
    private final DoubleParam minStd;
    private final LongParam seed;
    private final StringArrayParam classNames;
    private final Param<String> strategy;

    public UgmmClassifier() {
        this(Identifiable$.MODULE$.randomUID("ugmmClassifier"));
    }

    public UgmmClassifier(String uid) {
        this.uid = Objects.requireNonNull(uid, "uid");
        featuresCol = new Param<>(uid, "featuresCol", "features column: an ML Vector or array<float|double>");
        labelCol = new Param<>(uid, "labelCol", "label column: class indices 0, 1, 2, ... (any numeric type)");
        hiddenLayers = new IntArrayParam(this, "hiddenLayers", "widths of the hidden layers, e.g. [128, 64]");
        epochs = new IntParam(uid, "epochs", "passes over the data (>= 1)", ParamValidators.gtEq(1));
        batchSize = new IntParam(uid, "batchSize", "mini-batch size of each partition's trainer (>= 1)",
                ParamValidators.gtEq(1));
        learningRate = new DoubleParam(uid, "learningRate", "Adam's learning rate (> 0)", ParamValidators.gt(0));
        minStd = new DoubleParam(uid, "minStd", "floor on every Gaussian's std, 0 for none", ParamValidators.gtEq(0));
        seed = new LongParam(uid, "seed", "seed of the initialisation and of each partition's shuffling");
        classNames = new StringArrayParam(this, "classNames", "class names in label order; empty to generate them");
        strategy = new Param<>(uid, "strategy", "gradient (each step's gradient summed over the partitions, as one"
                + " JVM trains) or average (each partition trains an epoch, the networks are averaged)",
                ParamValidators.inArray(new String[] {GRADIENT, AVERAGE}));
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(hiddenLayers, new int[] {32, 16});
        setDefault(epochs, 20);
        setDefault(batchSize, 64);
        setDefault(learningRate, 0.01);
        setDefault(minStd, 0.0);
        setDefault(seed, 42L);
        setDefault(classNames, new String[0]);
        setDefault(strategy, GRADIENT);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() {
        return featuresCol;
    }

    public Param<String> labelCol() {
        return labelCol;
    }

    public IntArrayParam hiddenLayers() {
        return hiddenLayers;
    }

    public IntParam epochs() {
        return epochs;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public DoubleParam minStd() {
        return minStd;
    }

    public LongParam seed() {
        return seed;
    }

    public StringArrayParam classNames() {
        return classNames;
    }

    public Param<String> strategy() {
        return strategy;
    }

    public UgmmClassifier setFeaturesCol(String column) {
        set(featuresCol, column);
        return this;
    }

    public UgmmClassifier setLabelCol(String column) {
        set(labelCol, column);
        return this;
    }

    public UgmmClassifier setHiddenLayers(int... widths) {
        set(hiddenLayers, widths.clone());
        return this;
    }

    public UgmmClassifier setEpochs(int passes) {
        set(epochs, passes);
        return this;
    }

    public UgmmClassifier setBatchSize(int rows) {
        set(batchSize, rows);
        return this;
    }

    public UgmmClassifier setLearningRate(double rate) {
        set(learningRate, rate);
        return this;
    }

    public UgmmClassifier setMinStd(double std) {
        set(minStd, std);
        return this;
    }

    public UgmmClassifier setSeed(long value) {
        set(seed, value);
        return this;
    }

    public UgmmClassifier setClassNames(String... names) {
        set(classNames, names.clone());
        return this;
    }

    /** {@code "gradient"} (the default) or {@code "average"}; see the class comment. */
    public UgmmClassifier setStrategy(String name) {
        set(strategy, name);
        return this;
    }

    private String text(Param<String> p) {
        return getOrDefault(p);
    }

    private int number(IntParam p) {
        return (Integer) getOrDefault(p);
    }

    private double real(DoubleParam p) {
        return (Double) getOrDefault(p);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SchemaColumns.requireFeatures(schema, text(featuresCol), "");
        String label = text(labelCol);
        if (!Arrays.asList(schema.fieldNames()).contains(label)) {
            throw new IllegalArgumentException("the label column '" + label + "' is not in the input; its columns are "
                    + String.join(", ", schema.fieldNames()) + " (set it with setLabelCol)");
        }
        DataType labelType = schema.apply(label).dataType();
        if (!(labelType instanceof NumericType)) {
            throw new IllegalArgumentException("the label column '" + label + "' must hold class indices 0, 1, 2,"
                    + " ... as numbers, found " + labelType.simpleString());
        }
        return schema;
    }

    @Override
    public UgmmTransformer fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        String features = text(featuresCol);
        String label = text(labelCol);
        Dataset<Row> rows = dataset.select(col(features), col(label));
        int width = FeatureReader.firstWidth(rows, features, "train on");
        List<String> inputNames = FeatureReader.names(width);
        JavaRDD<TrainingChunk> raw = rows.toJavaRDD().mapPartitionsWithIndex((p, it) ->
                List.of(TrainingChunk.read(p, it, inputNames, features, label)).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            // merged in partition order: Spark's reduce merges in task-completion order, and the merged means
            // (so the standardisation, so the model) would differ in their last bits from run to run
            FeatureStats stats = FixedOrderTreeReduce.reduce(
                    raw.mapToPair(c -> new Tuple2<>(c.partition, FeatureStats.of(c))), FeatureStats::merge, 2);
            if (stats.rows == 0) {
                throw new IllegalArgumentException("cannot train on an empty DataFrame");
            }
            int classes = classCount(stats.maxLabel);
            FeatureStandardization standardization = stats.standardization();
            double[] mean = standardization.means();  // FeatureStandardization is not Serializable; its arrays are
            double[] std = standardization.standardDeviations();
            JavaRDD<TrainingChunk> data = raw.map(c -> c.standardised(mean, std))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            data.count();
            // the raw rows are no longer needed: free their memory for the standardised ones, which the
            // gradient strategy reads at every step (from disk, far slower, when storage memory runs out)
            raw.unpersist(false);
            try {
                UgmmNetwork network = train(data, stats.rows, width, classes);
                UgmmModel model = UgmmModel.builder(network).loss(Loss.CROSS_ENTROPY)
                        .classNames(classNameList(classes)).inputNames(inputNames).labelName(label)
                        .standardization(standardization).trainingRange(stats.rangeRows(), 2)
                        .metadata(ModelMetadata.empty().withEpochs(number(epochs)).withSeed((Long) getOrDefault(seed))
                                .withDataset("spark DataFrame (" + stats.rows + " rows)"))
                        .build();
                UgmmTransformer transformer = UgmmTransformer.of(model).setFeaturesCol(features);
                transformer.setParent(this);
                return transformer;
            } finally {
                data.unpersist(false);
            }
        } finally {
            raw.unpersist(false);
        }
    }

    private UgmmNetwork train(JavaRDD<TrainingChunk> data, long rows, int width, int classes) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(data.context());
        UgmmNetwork.Builder builder = UgmmNetwork.builder(width);
        for (int w : (int[]) getOrDefault(hiddenLayers)) {
            builder.layer(w);
        }
        long baseSeed = (Long) getOrDefault(seed);
        UgmmNetwork initial = builder.layer(classes).seed(baseSeed).build();
        int passes = number(epochs);
        int batch = number(batchSize);
        double rate = real(learningRate);
        double floor = real(minStd);
        if (GRADIENT.equals(text(strategy))) {
            return new GradientTraining(initial, floor).fit(data, passes, batch, rate, baseSeed);
        }
        NetworkParameters current = NetworkParameters.of(initial);
        for (int epoch = 0; epoch < passes; epoch++) {
            Broadcast<NetworkParameters> start = context.broadcast(current);
            long epochSeed = baseSeed + 1_000_003L * (epoch + 1);
            // summed in partition order (FixedOrderTreeReduce), so a run is reproducible for a seed and partitioning
            current = FixedOrderTreeReduce.reduce(data.filter(c -> c.rows > 0).mapToPair(c -> {
                TrainingConfig.Builder config = TrainingConfig.builder().loss(Loss.CROSS_ENTROPY).epochs(1)
                        .batchSize(batch).learningRate(rate).seed(epochSeed + c.partition).threads(1);
                if (floor > 0) {
                    config.minStd(floor);
                }
                UgmmNetwork trained = new Trainer(start.value().network(), config.build()).fit(c.trainingSet(), null);
                return new Tuple2<>(c.partition, NetworkParameters.weighted(trained, c.rows / (double) rows));
            }), NetworkParameters::plus, 2);
            start.destroy();
        }
        return current.network();
    }

    private int classCount(int maxLabel) {
        String[] names = (String[]) getOrDefault(classNames);
        if (names.length > 0 && maxLabel >= names.length) {
            throw new IllegalArgumentException("the label column holds class " + maxLabel + " but only "
                    + names.length + " class names are given");
        }
        int classes = Math.max(maxLabel + 1, names.length);
        if (classes < 2) {
            throw new IllegalArgumentException("the label column holds only class 0; a classifier needs at least 2");
        }
        return classes;
    }

    private List<String> classNameList(int classes) {
        String[] names = (String[]) getOrDefault(classNames);
        return names.length > 0 ? List.of(names) : numbered("class_", classes);
    }

    private static List<String> numbered(String prefix, int count) {
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(prefix + i);
        }
        return names;
    }

    // ---------------------------------------------------------------- persistence (write() is DefaultParamsWritable's)

    /** Reads a classifier saved with {@code write()} (its parameters; any Hadoop file system). */
    public static MLReader<UgmmClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static UgmmClassifier load(String path) {
        return read().load(path);
    }

    @Override
    public UgmmClassifier copy(ParamMap extra) {
        return copyValues(new UgmmClassifier(uid), extra);
    }
}
