package io.ugmm.spark;

import io.ugmm.model.gmm.GaussianMixture;
import io.ugmm.model.io.GmmFiles;
import io.ugmm.model.io.ModelFileException;
import io.ugmm.model.io.ModelMetadata;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A fitted {@link GaussianMixture} as a Spark ML {@code Transformer} (what {@link UgmmGaussianMixture} returns,
 * or any gmm file written by {@code ugmm gmm fit --out}): adds each row's most probable component
 * ({@code prediction}, an integer as in Spark's clustering models), the posterior probability of every
 * component ({@code probability}, an ML Vector) and, when {@link #setLogDensityCol named}, its log-density
 * (natural log). The values are those of {@link GaussianMixture#predict}, {@code predictProba} and
 * {@code scoreSamples}, bit for bit.
 *
 * <pre>{@code
 * UgmmGaussianMixtureModel clusters = UgmmGaussianMixtureModel.load(Path.of("faithful.safetensors"));
 * Dataset<Row> scored = clusters.setLogDensityCol("logDensity").transform(df);
 * }</pre>
 *
 * <p>The mixture travels to the executors as its gmm file's bytes in one broadcast and is parsed once per
 * executor JVM. A bad row (null, wrong width, a null element, NaN or infinity) fails the job naming the
 * column, row and expected width, or with {@code handleInvalid = keep} gets null outputs. Saved and loaded
 * with Spark ML persistence (also in a {@code Pipeline}): Spark's metadata, and the mixture as
 * {@code data/gmm.safetensors}, a gmm file that {@code ugmm gmm predict --model} reads as it is.
 */
public final class UgmmGaussianMixtureModel extends Model<UgmmGaussianMixtureModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    private static final int BATCH_ROWS = 256;

    private final String uid;
    private final byte[] gmmBytes;
    private transient GaussianMixture mixture;

    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> logDensityCol;
    private final Param<String> handleInvalid;

    /** A model for the mixture whose gmm file's bytes are given (checked here). */
    public UgmmGaussianMixtureModel(String uid, byte[] gmmBytes) {
        this.uid = Objects.requireNonNull(uid, "uid");
        this.gmmBytes = gmmBytes.clone();
        this.mixture = GmmBroadcasts.parse(this.gmmBytes, "the Gaussian mixture of a Spark model");
        featuresCol = new Param<>(uid, "featuresCol",
                "features column: an ML Vector or array<float|double> of the mixture's features");
        predictionCol = new Param<>(uid, "predictionCol", "output column of the most probable component (integer);"
                + " empty for none");
        probabilityCol = new Param<>(uid, "probabilityCol", "output column of each component's posterior probability"
                + " (ML Vector); empty for none");
        logDensityCol = new Param<>(uid, "logDensityCol", "output column of the row's log-density (natural log,"
                + " double); empty for none");
        handleInvalid = new Param<>(uid, "handleInvalid", "what a row that cannot be scored does: 'error' fails the"
                + " job naming the row, 'keep' gives it null outputs",
                ParamValidators.inArray(List.of(UgmmTransformer.ERROR, UgmmTransformer.KEEP)));
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(logDensityCol, "");
        setDefault(handleInvalid, UgmmTransformer.ERROR);
    }

    public static UgmmGaussianMixtureModel of(GaussianMixture mixture, ModelMetadata metadata) {
        return new UgmmGaussianMixtureModel(Identifiable$.MODULE$.randomUID("ugmmGmm"),
                GmmFiles.toBytes(mixture, metadata));
    }

    /** A model for a gmm file written by {@code ugmm gmm fit --out} or {@link GmmFiles#save}. */
    public static UgmmGaussianMixtureModel load(Path gmmFile) throws IOException {
        GmmFiles.LoadedMixture loaded = GmmFiles.load(gmmFile);
        return of(loaded.mixture(), loaded.metadata());
    }

    /** Reads a model saved with {@link #write()} (Spark ML persistence, any Hadoop file system). */
    public static UgmmGaussianMixtureModel load(String path) {
        return read().load(path);
    }

    public static MLReader<UgmmGaussianMixtureModel> read() {
        return new GmmPersistence.ModelReader();
    }

    @Override
    public MLWriter write() {
        return new GmmPersistence.ModelWriter(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The fitted mixture (an immutable value: weights, means, covariances, EM's outcome). */
    public GaussianMixture mixture() {
        if (mixture == null) {
            mixture = GmmBroadcasts.parse(gmmBytes, "the Gaussian mixture of a Spark model");
        }
        return mixture;
    }

    /** The metadata of its gmm file (dataset, seed, ...). */
    public ModelMetadata metadata() {
        try {
            return GmmFiles.fromBytes(gmmBytes, "the Gaussian mixture of a Spark model").metadata();
        } catch (ModelFileException e) {
            throw new IllegalStateException(e.getMessage(), e); // checked when made
        }
    }

    /** Writes the mixture as a gmm file (atomically), the file {@code ugmm gmm predict --model} reads. */
    public void save(Path gmmFile) throws IOException {
        io.ugmm.model.io.AtomicFileWriter.write(gmmFile, out -> out.write(gmmBytes));
    }

    byte[] gmmBytes() {
        return gmmBytes;
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

    public Param<String> handleInvalid() {
        return handleInvalid;
    }

    public UgmmGaussianMixtureModel setFeaturesCol(String column) {
        set(featuresCol, column);
        return this;
    }

    public UgmmGaussianMixtureModel setPredictionCol(String column) {
        set(predictionCol, column);
        return this;
    }

    public UgmmGaussianMixtureModel setProbabilityCol(String column) {
        set(probabilityCol, column);
        return this;
    }

    public UgmmGaussianMixtureModel setLogDensityCol(String column) {
        set(logDensityCol, column);
        return this;
    }

    /** {@code error} (default) or {@code keep} (null outputs for a row that cannot be scored). */
    public UgmmGaussianMixtureModel setHandleInvalid(String mode) {
        set(handleInvalid, mode);
        return this;
    }

    public String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    public String getLogDensityCol() {
        return getOrDefault(logDensityCol);
    }

    public String getHandleInvalid() {
        return getOrDefault(handleInvalid);
    }

    // ---------------------------------------------------------------- the transformation

    @Override
    public StructType transformSchema(StructType schema) {
        SchemaColumns.requireFeatures(schema, getFeaturesCol(), " of " + mixture().dims() + " values");
        return SchemaColumns.withOutputs(schema,
                SchemaColumns.output(getPredictionCol(), DataTypes.IntegerType),
                SchemaColumns.output(getProbabilityCol(), SQLDataTypes.VectorType()),
                SchemaColumns.output(getLogDensityCol(), DataTypes.DoubleType));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType inSchema = dataset.schema();
        StructType outSchema = transformSchema(inSchema);
        Dataset<Row> frame = dataset.toDF();
        JavaSparkContext context = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
        Broadcast<byte[]> bytes = context.broadcast(gmmBytes);
        GmmPartitionScorer scorer = new GmmPartitionScorer(bytes, inSchema.fieldIndex(getFeaturesCol()),
                getFeaturesCol(), BATCH_ROWS, UgmmTransformer.KEEP.equals(getHandleInvalid()),
                !getPredictionCol().isEmpty(), !getProbabilityCol().isEmpty(), !getLogDensityCol().isEmpty());
        return frame.mapPartitions(scorer, Encoders.row(outSchema));
    }

    @Override
    public UgmmGaussianMixtureModel copy(ParamMap extra) {
        UgmmGaussianMixtureModel copy = copyValues(new UgmmGaussianMixtureModel(uid, gmmBytes), extra);
        return copy.setParent(parent());
    }

    @Override
    public String toString() {
        return "UgmmGaussianMixtureModel[" + uid + ", " + mixture() + "]";
    }
}
