package io.ugmm.spark;

import io.ugmm.model.UgmmModel;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Scores a DataFrame with a trained {@link UgmmModel}: a Spark ML {@code Transformer} (a {@link Model}, as
 * {@link UgmmClassifier} makes it) that adds a
 * prediction (class index, as a double like Spark's classifiers), a probability vector and the class name.
 *
 * <pre>{@code
 * UgmmTransformer scorer = UgmmTransformer.load(Path.of("fashion.safetensors"))
 *         .setFeaturesCol("features");                 // an ML Vector or array<float|double> column
 * Dataset<Row> scored = scorer.transform(df);          // + prediction, probability, class
 * }</pre>
 *
 * <p>The model travels to the executors as its file's bytes in one broadcast per {@link #transform} and
 * is built once per executor JVM ({@link ExecutorModels}); each partition is scored in batches of
 * {@link #batchSize()} rows through a predictor reused by its task thread.
 *
 * <p>Bad rows (a null or wrong-width features value, a null element, NaN or infinity) fail the job with an
 * error naming the column, the expected width and the row, unless {@link #handleInvalid()} is
 * {@code keep}: then that row's outputs are null. A row for which no class has a finite score (see
 * {@link io.ugmm.model.Prediction#noFiniteScore()}) gets null outputs in either mode.
 *
 * <p>Saved and loaded with Spark ML persistence (also inside a {@code Pipeline}): the parameters as Spark's
 * metadata, the model as {@code data/model.safetensors} in the same directory.
 */
public final class UgmmTransformer extends ScoringModel<UgmmTransformer> {
    private static final long serialVersionUID = 1L;

    /** Built on first use on the driver, for the schema (class count, widths, names). */
    private transient UgmmModel model;

    private final Param<String> classCol;
    private final IntParam batchSize;

    /** A transformer for the model whose file's bytes are given (checked here). */
    public UgmmTransformer(String uid, byte[] modelBytes) {
        super(uid, modelBytes, "the model's raw inputs", "the class index (double)", "p(class | features)");
        this.model = parse(bytes());
        classCol = new Param<>(uid, "classCol", "output column of the predicted class's name; empty for none");
        batchSize = new IntParam(uid, "batchSize", "rows scored per call of the model (>= 1)",
                ParamValidators.gtEq(1));
        setDefault(classCol, "class");
        setDefault(batchSize, 256);
    }

    public static UgmmTransformer of(UgmmModel model) {
        return new UgmmTransformer(Identifiable$.MODULE$.randomUID("ugmm"), model.toBytes());
    }

    /** A transformer for a model file written by {@code ugmm train} or {@link UgmmModel#save}. */
    public static UgmmTransformer load(Path modelFile) throws IOException {
        return of(UgmmModel.load(modelFile));
    }

    /** Reads a transformer saved with {@link #write()} (Spark ML persistence, any Hadoop file system). */
    public static UgmmTransformer load(String path) {
        return read().load(path);
    }

    public static MLReader<UgmmTransformer> read() {
        return new StagePersistence.Reader<>(UgmmTransformer.class, StagePersistence.MODEL_FILE, "the ugmm model",
                (uid, bytes) -> new UgmmTransformer(uid, bytes));
    }

    @Override
    public MLWriter write() {
        return new StagePersistence.Writer(this, StagePersistence.MODEL_FILE, "the ugmm model", bytes());
    }

    /** The model this transformer applies (built from its bytes on first use). */
    public UgmmModel model() {
        if (model == null) {
            model = parse(bytes());
        }
        return model;
    }

    static UgmmModel parse(byte[] bytes) {
        try {
            return UgmmModel.fromBytes(bytes, "the ugmm model of a Spark transformer");
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- its own parameters (the others: ScoringModel)

    public Param<String> classCol() {
        return classCol;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public UgmmTransformer setClassCol(String column) {
        set(classCol, column);
        return this;
    }

    public UgmmTransformer setBatchSize(int rows) {
        set(batchSize, rows);
        return this;
    }

    public String getClassCol() {
        return getOrDefault(classCol);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    // ---------------------------------------------------------------- what ScoringModel asks

    @Override
    int width() {
        return model().inputCount();
    }

    @Override
    StructField[] outputColumns() {
        return new StructField[] {SchemaColumns.output(getPredictionCol(), DataTypes.DoubleType),
                SchemaColumns.output(getProbabilityCol(), SQLDataTypes.VectorType()),
                SchemaColumns.output(getClassCol(), DataTypes.StringType)};
    }

    @Override
    int batchRows() {
        return getBatchSize();
    }

    @Override
    PartitionScorer scorer(Broadcast<byte[]> broadcast, PartitionScorer.Plan plan) {
        return new UgmmPartitionScorer(broadcast, plan);
    }

    @Override
    UgmmTransformer withUid(String uid, byte[] bytes) {
        return new UgmmTransformer(uid, bytes);
    }

    @Override
    public String toString() {
        return "UgmmTransformer[" + uid() + ", " + model() + "]";
    }
}
