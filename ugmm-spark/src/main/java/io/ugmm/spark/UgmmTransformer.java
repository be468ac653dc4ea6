package io.ugmm.spark;

import io.ugmm.model.UgmmModel;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReadable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

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
public final class UgmmTransformer extends Model<UgmmTransformer> implements MLWritable {
    private static final long serialVersionUID = 1L;

    static final String ERROR = "error";
    static final String KEEP = "keep";

    private final String uid;
    private final byte[] modelBytes;
    /** Built on first use on the driver, for the schema (class count, widths, names). */
    private transient UgmmModel model;

    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> classCol;
    private final Param<String> handleInvalid;
    private final IntParam batchSize;

    /** A transformer for the model whose file's bytes are given (checked here). */
    public UgmmTransformer(String uid, byte[] modelBytes) {
        this.uid = Objects.requireNonNull(uid, "uid");
        this.modelBytes = modelBytes.clone();
        this.model = parse(this.modelBytes);
        // made here, after the uid: a parameter records its owner's uid when created
        featuresCol = new Param<>(uid, "featuresCol",
                "features column: an ML Vector or array<float|double> of the model's raw inputs");
        predictionCol = new Param<>(uid, "predictionCol", "output column of the class index (double); empty for none");
        probabilityCol = new Param<>(uid, "probabilityCol",
                "output column of p(class | features) as an ML Vector; empty for none");
        classCol = new Param<>(uid, "classCol", "output column of the predicted class's name; empty for none");
        handleInvalid = new Param<>(uid, "handleInvalid", "what a row the model cannot score does: 'error' fails"
                + " the job naming the row, 'keep' gives it null outputs", ParamValidators.inArray(List.of(ERROR, KEEP)));
        batchSize = new IntParam(uid, "batchSize", "rows scored per call of the model (>= 1)",
                ParamValidators.gtEq(1));
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(classCol, "class");
        setDefault(handleInvalid, ERROR);
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
        return new UgmmTransformerPersistence.Reader();
    }

    @Override
    public MLWriter write() {
        return new UgmmTransformerPersistence.Writer(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The model this transformer applies (built from its bytes on first use). */
    public UgmmModel model() {
        if (model == null) {
            model = parse(modelBytes);
        }
        return model;
    }

    byte[] modelBytes() {
        return modelBytes;
    }

    static UgmmModel parse(byte[] bytes) {
        try {
            return UgmmModel.fromBytes(bytes, "the ugmm model of a Spark transformer");
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
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

    public Param<String> classCol() {
        return classCol;
    }

    public Param<String> handleInvalid() {
        return handleInvalid;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public UgmmTransformer setFeaturesCol(String column) {
        set(featuresCol, column);
        return this;
    }

    public UgmmTransformer setPredictionCol(String column) {
        set(predictionCol, column);
        return this;
    }

    public UgmmTransformer setProbabilityCol(String column) {
        set(probabilityCol, column);
        return this;
    }

    public UgmmTransformer setClassCol(String column) {
        set(classCol, column);
        return this;
    }

    /** {@code error} (default) or {@code keep} (null outputs for a row the model cannot score). */
    public UgmmTransformer setHandleInvalid(String mode) {
        set(handleInvalid, mode);
        return this;
    }

    public UgmmTransformer setBatchSize(int rows) {
        set(batchSize, rows);
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

    public String getClassCol() {
        return getOrDefault(classCol);
    }

    public String getHandleInvalid() {
        return getOrDefault(handleInvalid);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    // ---------------------------------------------------------------- the transformation

    @Override
    public StructType transformSchema(StructType schema) {
        SchemaColumns.requireFeatures(schema, getFeaturesCol(), " of " + model().inputCount() + " values");
        return SchemaColumns.withOutputs(schema,
                SchemaColumns.output(getPredictionCol(), DataTypes.DoubleType),
                SchemaColumns.output(getProbabilityCol(), SQLDataTypes.VectorType()),
                SchemaColumns.output(getClassCol(), DataTypes.StringType));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType inSchema = dataset.schema();
        StructType outSchema = transformSchema(inSchema);
        Dataset<Row> frame = dataset.toDF();
        JavaSparkContext context = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
        Broadcast<byte[]> bytes = context.broadcast(modelBytes);
        PartitionScorer scorer = new PartitionScorer(bytes, inSchema.fieldIndex(getFeaturesCol()), getFeaturesCol(),
                getBatchSize(), KEEP.equals(getHandleInvalid()),
                !getPredictionCol().isEmpty(), !getProbabilityCol().isEmpty(), !getClassCol().isEmpty());
        return frame.mapPartitions(scorer, Encoders.row(outSchema));
    }

    @Override
    public UgmmTransformer copy(ParamMap extra) {
        return copyValues(new UgmmTransformer(uid, modelBytes), extra);
    }

    @Override
    public String toString() {
        return "UgmmTransformer[" + uid + ", " + model() + "]";
    }
}
