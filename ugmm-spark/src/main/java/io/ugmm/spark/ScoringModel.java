package io.ugmm.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;
import java.util.Objects;

/**
 * What {@link UgmmTransformer} and {@link UgmmGaussianMixtureModel} share: a Spark ML {@link Model} made from a
 * model file's bytes, which it broadcasts to score a DataFrame partition by partition
 * ({@link PartitionScorer}); the features column; the {@code prediction} and {@code probability} outputs plus
 * one of its own; and what a bad row does ({@code handleInvalid}). Subclassed only in this package.
 *
 * @param <M> the model itself, which the setters return
 */
public abstract class ScoringModel<M extends ScoringModel<M>> extends Model<M> implements MLWritable {
    private static final long serialVersionUID = 1L;

    static final String ERROR = "error";
    static final String KEEP = "keep";

    private final String uid;
    private final byte[] bytes;

    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> handleInvalid;

    /** The parameters' documentation says what this model's features, prediction and probability are. */
    ScoringModel(String uid, byte[] bytes, String featuresDoc, String predictionDoc, String probabilityDoc) {
        this.uid = Objects.requireNonNull(uid, "uid");
        this.bytes = bytes.clone();
        // made here, after the uid: a parameter records its owner's uid when created
        featuresCol = new Param<>(uid, "featuresCol", "features column: an ML Vector or array<float|double> of "
                + featuresDoc);
        predictionCol = new Param<>(uid, "predictionCol", "output column of " + predictionDoc + "; empty for none");
        probabilityCol = new Param<>(uid, "probabilityCol", "output column of " + probabilityDoc
                + " as an ML Vector; empty for none");
        handleInvalid = new Param<>(uid, "handleInvalid", "what a row that cannot be scored does: 'error' fails the"
                + " job naming the row, 'keep' gives it null outputs", ParamValidators.inArray(List.of(ERROR, KEEP)));
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(handleInvalid, ERROR);
    }

    @Override
    public final String uid() {
        return uid;
    }

    /** The model file's bytes (not a copy: never changed). */
    final byte[] bytes() {
        return bytes;
    }

    @SuppressWarnings("unchecked")
    private M self() {
        return (M) this;
    }

    // ---------------------------------------------------------------- what a subclass says

    /** How many features a row must have. */
    abstract int width();

    /**
     * The output columns as they are appended: prediction, probability and the model's own; null for one
     * whose name is empty (not wanted).
     */
    abstract StructField[] outputColumns();

    /** Rows scored together. */
    abstract int batchRows();

    abstract PartitionScorer scorer(Broadcast<byte[]> broadcast, PartitionScorer.Plan plan);

    /** A model of these bytes with this uid and the default parameters. */
    abstract M withUid(String uid, byte[] bytes);

    // ---------------------------------------------------------------- parameters (Spark finds them by reflection)

    public final Param<String> featuresCol() {
        return featuresCol;
    }

    public final Param<String> predictionCol() {
        return predictionCol;
    }

    public final Param<String> probabilityCol() {
        return probabilityCol;
    }

    public final Param<String> handleInvalid() {
        return handleInvalid;
    }

    public final M setFeaturesCol(String column) {
        set(featuresCol, column);
        return self();
    }

    public final M setPredictionCol(String column) {
        set(predictionCol, column);
        return self();
    }

    public final M setProbabilityCol(String column) {
        set(probabilityCol, column);
        return self();
    }

    /** {@code error} (default) or {@code keep} (null outputs for a row that cannot be scored). */
    public final M setHandleInvalid(String mode) {
        set(handleInvalid, mode);
        return self();
    }

    public final String getFeaturesCol() {
        return getOrDefault(featuresCol);
    }

    public final String getPredictionCol() {
        return getOrDefault(predictionCol);
    }

    public final String getProbabilityCol() {
        return getOrDefault(probabilityCol);
    }

    public final String getHandleInvalid() {
        return getOrDefault(handleInvalid);
    }

    // ---------------------------------------------------------------- the transformation

    @Override
    public final StructType transformSchema(StructType schema) {
        SchemaColumns.requireFeatures(schema, getFeaturesCol(), " of " + width() + " values");
        return SchemaColumns.withOutputs(schema, outputColumns());
    }

    /** Broadcasts the model file's bytes once and scores each partition in batches. */
    @Override
    public final Dataset<Row> transform(Dataset<?> dataset) {
        StructType inSchema = dataset.schema();
        StructType outSchema = transformSchema(inSchema);
        Dataset<Row> frame = dataset.toDF();
        JavaSparkContext context = JavaSparkContext.fromSparkContext(frame.sparkSession().sparkContext());
        Broadcast<byte[]> broadcast = context.broadcast(bytes);
        StructField[] outputs = outputColumns();
        boolean[] wanted = new boolean[outputs.length];
        for (int o = 0; o < outputs.length; o++) {
            wanted[o] = outputs[o] != null;
        }
        PartitionScorer.Plan plan = new PartitionScorer.Plan(inSchema.fieldIndex(getFeaturesCol()), getFeaturesCol(),
                batchRows(), KEEP.equals(getHandleInvalid()), wanted);
        return frame.mapPartitions(scorer(broadcast, plan), Encoders.row(outSchema));
    }

    @Override
    public final M copy(ParamMap extra) {
        return copyValues(withUid(uid, bytes), extra).setParent(parent());
    }
}
