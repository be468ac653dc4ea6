package io.ugmm.spark;

import io.ugmm.model.Prediction;
import io.ugmm.model.UgmmModel;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.ugmm.spark.IrisModels.IRIS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkScoreTest {
    private static SparkSession spark;
    private static UgmmModel model;
    private static final int COPIES = 8;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session();
        model = IrisModels.classifier();
    }

    /** Iris as ugmm train reads it (features then the species), repeated, so the file spans many partitions. */
    private static Path irisCsv(Path dir, List<String> header) throws IOException {
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (int copy = 0; copy < COPIES; copy++) {
            for (int r = 0; r < IRIS.rows(); r++) {
                float[] x = IRIS.row(r);
                csv.append(x[0]).append(',').append(x[1]).append(',').append(x[2]).append(',').append(x[3]).append(',')
                        .append(IRIS.className(IRIS.label(r))).append('\n');
            }
        }
        Path file = dir.resolve("iris.csv");
        Files.writeString(file, csv);
        return file;
    }

    /** The data lines of the part files, in part-file order. */
    private static List<String> outputLines(Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> parts = Files.list(out)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                List<String> all = Files.readAllLines(part);
                assertEquals("prediction,class,probability_setosa,probability_versicolor,probability_virginica",
                        all.get(0));
                lines.addAll(all.subList(1, all.size()));
            }
        }
        return lines;
    }

    @Test
    void scoresACsvFileIntoPartFilesInTheInputsOrder(@TempDir Path dir) throws IOException {
        List<String> header = new ArrayList<>(model.inputNames());
        header.add("species");
        Path csv = irisCsv(dir, header);
        Path out = dir.resolve("scored");
        spark.conf().set("spark.sql.files.maxPartitionBytes", "4096"); // ~5 partitions for this 25 kB file
        try {
            SparkScore.run(spark, Map.of("model", save(dir).toString(), "input", csv.toString(), "output",
                    out.toString()));
        } finally {
            spark.conf().unset("spark.sql.files.maxPartitionBytes");
        }
        List<String> lines = outputLines(out);
        long parts;
        try (Stream<Path> files = Files.list(out)) {
            parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).count();
        }
        assertTrue(parts >= 3, parts + " part files; the test needs several to check the order");
        assertEquals(COPIES * IRIS.rows(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            Prediction expected = model.predict(IRIS.row(i % IRIS.rows()));
            String[] cells = lines.get(i).split(",");
            assertEquals(String.valueOf(expected.classIndex()), cells[0], "line " + (i + 2));
            assertEquals(expected.className(), cells[1], "line " + (i + 2));
            for (int c = 0; c < 3; c++) {
                assertEquals(expected.probability(c), Double.parseDouble(cells[2 + c]), 1e-6, "line " + (i + 2));
            }
        }
    }

    @Test
    void aFileWhoseColumnsDoNotFitTheModelIsRefusedClearly(@TempDir Path dir) throws IOException {
        Path csv = irisCsv(dir, List.of("a", "b", "c", "d", "e"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkScore.run(spark,
                Map.of("model", save(dir).toString(), "input", csv.toString(), "output", dir.resolve("o").toString())));
        assertEquals("the input has 5 feature columns (a, b, c, d, e) but the model takes 4 (sepal_length_cm,"
                + " sepal_width_cm, petal_length_cm, petal_width_cm) besides its label column 'species'", e.getMessage());
    }

    @Test
    void optionsAreCheckedBeforeSparkStarts() {
        assertEquals("--output is required", assertThrows(IllegalArgumentException.class,
                () -> SparkScore.parse(new String[] {"--model", "m", "--input", "i"})).getMessage());
        assertEquals("unknown argument '--out'", assertThrows(IllegalArgumentException.class,
                () -> SparkScore.parse(new String[] {"--out", "o"})).getMessage());
        assertEquals("--model needs a value", assertThrows(IllegalArgumentException.class,
                () -> SparkScore.parse(new String[] {"--model"})).getMessage());
    }

    private static Path save(Path dir) throws IOException {
        Path file = dir.resolve("iris.safetensors");
        model.save(file);
        return file;
    }
}
