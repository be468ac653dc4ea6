package io.ugmm.spark;

import io.ugmm.model.UgmmModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;

/**
 * Scores a CSV or Parquet file with a model and writes CSV part files: {@code prediction} (class index),
 * {@code class} (its name) and {@code probability_<class>} per class, in the input's row order
 * (part-00000 first). The main class of {@code scripts/spark-score.sh} and of {@code spark-submit}.
 *
 * <p>The features are the columns named after the model's recorded inputs, or, when the model records no
 * names (or the file lacks them), every column except the model's label column, which must then be exactly
 * as many as the model's inputs. A Parquet file may instead hold one {@code features} column (an ML
 * Vector or array of numbers).
 */
public final class SparkScore {
    static final String USAGE = "usage: spark-score --model FILE --input CSV|PARQUET --output DIR [--master URL]"
            + " [--format csv|parquet] [--handle-invalid error|keep]";
    private static final Set<String> OPTIONS = Set.of("model", "input", "output", "master", "format",
            "handle-invalid");

    private SparkScore() {
    }

    public static void main(String[] argv) throws IOException {
        Map<String, String> options;
        try {
            options = parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        SparkSession.Builder builder = SparkSession.builder().appName("ugmm spark-score");
        if (options.containsKey("master")) {
            builder.master(options.get("master"));
        }
        SparkSession spark = builder.getOrCreate();
        try {
            run(spark, options);
            System.err.println("spark-score: wrote " + options.get("output"));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            spark.stop();
            System.exit(1);
        }
        spark.stop();
    }

    static Map<String, String> parse(String[] argv) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i += 2) {
            String key = argv[i].startsWith("--") ? argv[i].substring(2) : null;
            if (key == null || !OPTIONS.contains(key)) {
                throw new IllegalArgumentException("unknown argument '" + argv[i] + "'");
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
            if (options.put(key, argv[i + 1]) != null) {
                throw new IllegalArgumentException("--" + key + " is given twice");
            }
        }
        for (String required : List.of("model", "input", "output")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required");
            }
        }
        return options;
    }

    /** Scores and writes the part files. */
    static void run(SparkSession spark, Map<String, String> options) throws IOException {
        Path modelFile = Path.of(options.get("model"));
        if (!Files.isRegularFile(modelFile)) {
            throw new IllegalArgumentException("--model " + modelFile + ": no such file");
        }
        UgmmModel model = UgmmModel.load(modelFile);
        String input = options.get("input");
        String format = options.getOrDefault("format",
                input.toLowerCase(Locale.ROOT).endsWith(".parquet") ? "parquet" : "csv");
        Dataset<Row> data = switch (format) {
            case "csv" -> spark.read().option("header", "true").csv(input);
            case "parquet" -> spark.read().parquet(input);
            default -> throw new IllegalArgumentException("--format is '" + format + "'; expected csv or parquet");
        };
        UgmmTransformer scorer = UgmmTransformer.of(model).setFeaturesCol("features")
                .setHandleInvalid(options.getOrDefault("handle-invalid", UgmmTransformer.ERROR));
        Dataset<Row> scored = scorer.transform(data.select(features(data, model).as("features")));
        List<Column> out = new ArrayList<>();
        out.add(col("prediction").cast("int").as("prediction"));
        out.add(col("class"));
        Column p = org.apache.spark.ml.functions.vector_to_array(col("probability"), "float32");
        for (int c = 0; c < model.classCount(); c++) {
            out.add(p.getItem(c).as("probability_" + model.className(c)));
        }
        // no shuffle anywhere: part files hold the input's partitions in order
        scored.select(out.toArray(new Column[0])).write().option("header", "true").csv(options.get("output"));
    }

    /** The features column: the file's {@code features} column, or its feature columns as array<double>. */
    static Column features(Dataset<Row> data, UgmmModel model) {
        List<String> columns = Arrays.asList(data.columns());
        if (columns.contains("features") && !columns.containsAll(model.inputNames())) {
            StructField f = data.schema().apply("features");
            if (FeatureReader.accepts(f.dataType())) {
                return col("features");
            }
        }
        List<String> chosen;
        if (columns.containsAll(model.inputNames())) {
            chosen = model.inputNames();
        } else {
            Optional<String> label = model.labelName();
            chosen = columns.stream().filter(c -> label.isEmpty() || !c.equals(label.get())).toList();
            if (chosen.size() != model.inputCount()) {
                throw new IllegalArgumentException("the input has " + chosen.size() + " feature columns ("
                        + shown(chosen) + ") but the model takes " + model.inputCount() + " (" + shown(model.inputNames())
                        + ")" + (label.isPresent() ? " besides its label column '" + label.get() + "'" : ""));
            }
        }
        return array(chosen.stream().map(c -> col("`" + c + "`").cast("double")).toArray(Column[]::new));
    }

    private static String shown(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(5, names.size()))) + (names.size() > 5 ? ", ..." : "");
    }
}
