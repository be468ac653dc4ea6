package io.ugmm.spark;

import io.ugmm.model.gmm.GaussianMixture;
import io.ugmm.model.io.GmmFiles;
import io.ugmm.model.io.ModelFileException;
import io.ugmm.model.io.ModelMetadata;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import java.io.IOException;
import java.nio.file.Path;

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
public final class UgmmGaussianMixtureModel extends ScoringModel<UgmmGaussianMixtureModel> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH_ROWS = 256;

    private transient GaussianMixture mixture;

    private final Param<String> logDensityCol;

    /** A model for the mixture whose gmm file's bytes are given (checked here). */
    public UgmmGaussianMixtureModel(String uid, byte[] gmmBytes) {
        super(uid, gmmBytes, "the mixture's features", "the most probable component (integer)",
                "each component's posterior probability");
        this.mixture = GmmBroadcasts.parse(bytes(), "the Gaussian mixture of a Spark model");
        logDensityCol = new Param<>(uid, "logDensityCol", "output column of the row's log-density (natural log,"
                + " double); empty for none");
        setDefault(logDensityCol, "");
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
        return new StagePersistence.Reader<>(UgmmGaussianMixtureModel.class, StagePersistence.GMM_FILE,
                "the Gaussian mixture", (uid, bytes) -> new UgmmGaussianMixtureModel(uid, bytes));
    }

    @Override
    public MLWriter write() {
        return new StagePersistence.Writer(this, StagePersistence.GMM_FILE, "the Gaussian mixture", bytes());
    }

    /** The fitted mixture (an immutable value: weights, means, covariances, EM's outcome). */
    public GaussianMixture mixture() {
        if (mixture == null) {
            mixture = GmmBroadcasts.parse(bytes(), "the Gaussian mixture of a Spark model");
        }
        return mixture;
    }

    /** The metadata of its gmm file (dataset, seed, ...). */
    public ModelMetadata metadata() {
        try {
            return GmmFiles.fromBytes(bytes(), "the Gaussian mixture of a Spark model").metadata();
        } catch (ModelFileException e) {
            throw new IllegalStateException(e.getMessage(), e); // checked when made
        }
    }

    /** Writes the mixture as a gmm file (atomically), the file {@code ugmm gmm predict --model} reads. */
    public void save(Path gmmFile) throws IOException {
        io.ugmm.model.internal.AtomicFileWriter.write(gmmFile, out -> out.write(bytes()));
    }

    // ---------------------------------------------------------------- its own parameter (the others: ScoringModel)

    public Param<String> logDensityCol() {
        return logDensityCol;
    }

    public UgmmGaussianMixtureModel setLogDensityCol(String column) {
        set(logDensityCol, column);
        return this;
    }

    public String getLogDensityCol() {
        return getOrDefault(logDensityCol);
    }

    // ---------------------------------------------------------------- what ScoringModel asks

    @Override
    int width() {
        return mixture().dims();
    }

    @Override
    StructField[] outputColumns() {
        return outputColumns(getPredictionCol(), getProbabilityCol(), getLogDensityCol());
    }

    /** A mixture model's output columns with these names (also the schema its estimator promises). */
    static StructField[] outputColumns(String prediction, String probability, String logDensity) {
        return new StructField[] {SchemaColumns.output(prediction, DataTypes.IntegerType),
                SchemaColumns.output(probability, SQLDataTypes.VectorType()),
                SchemaColumns.output(logDensity, DataTypes.DoubleType)};
    }

    @Override
    int batchRows() {
        return BATCH_ROWS;
    }

    @Override
    PartitionScorer scorer(Broadcast<byte[]> broadcast, PartitionScorer.Plan plan) {
        return new GmmPartitionScorer(broadcast, plan);
    }

    @Override
    UgmmGaussianMixtureModel withUid(String uid, byte[] bytes) {
        return new UgmmGaussianMixtureModel(uid, bytes);
    }

    @Override
    public String toString() {
        return "UgmmGaussianMixtureModel[" + uid() + ", " + mixture() + "]";
    }
}
