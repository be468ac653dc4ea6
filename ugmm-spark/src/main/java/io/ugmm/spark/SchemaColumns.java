package io.ugmm.spark;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.Objects;

/** The schema checks the transformers and estimators share: the features column, and output columns added. */
final class SchemaColumns {
    private SchemaColumns() {
    }

    /**
     * Checks the features column is in {@code schema} and of a type {@link FeatureReader} reads;
     * {@code width} says what is expected in the message (e.g. " of 4 values", or "").
     */
    static void requireFeatures(StructType schema, String features, String width) {
        if (!Arrays.asList(schema.fieldNames()).contains(features)) {
            throw new IllegalArgumentException("the features column '" + features + "' is not in the input; its"
                    + " columns are " + String.join(", ", schema.fieldNames()) + " (set it with setFeaturesCol)");
        }
        DataType type = schema.apply(features).dataType();
        if (!FeatureReader.accepts(type)) {
            throw new IllegalArgumentException("the features column '" + features + "' must be an ML Vector or"
                    + " array<float|double>" + width + ", found " + type.simpleString());
        }
    }

    /** A nullable output column, or null when its name is empty (the column is not wanted). */
    static StructField output(String name, DataType type) {
        return name.isEmpty() ? null : DataTypes.createStructField(name, type, true);
    }

    /** {@code schema} with the wanted (non-null) output columns appended; one already there is an error. */
    static StructType withOutputs(StructType schema, StructField... outputs) {
        StructType out = schema;
        for (StructField field : Arrays.stream(outputs).filter(Objects::nonNull).toArray(StructField[]::new)) {
            if (Arrays.asList(schema.fieldNames()).contains(field.name())) {
                throw new IllegalArgumentException("the output column '" + field.name() + "' already exists in the"
                        + " input; choose another name or set it to \"\" to leave it out");
            }
            out = out.add(field);
        }
        return out;
    }
}
