package io.ugmm.cli;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.Iris;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** predict's input options, label column, warnings and what a failed run leaves on standard output. */
class PredictOptionsTest extends CliHarness {
    static final String HEADER = "sepal_length,sepal_width,petal_length,petal_width";
    @TempDir
    static Path dir;
    static Path model;
    static Path trainingCsv;

    /** Iris as a user's CSV file: a header and the species as text in the last column. */
    @BeforeAll
    static void trainOnACsvWithATextLabel() throws IOException {
        Dataset iris = Iris.load();
        StringBuilder csv = new StringBuilder(HEADER + ",species\n");
        for (int r = 0; r < iris.rows(); r++) {
            csv.append(row(iris, r, ',', 1)).append(',').append(iris.className(iris.labels[r])).append('\n');
        }
        trainingCsv = dir.resolve("flowers.csv");
        Files.writeString(trainingCsv, csv);
        model = dir.resolve("flowers.safetensors");
        CliHarness cli = new CliHarness() { };
        assertEquals(0, cli.run("train", "--dataset", "csv:" + trainingCsv, "--layers", "8", "--epochs", "10",
                "--threads", "1", "--out", model.toString()), cli.err());
    }

    static String row(Dataset iris, int r, char delimiter, float scale) {
        StringBuilder sb = new StringBuilder();
        for (int f = 0; f < 4; f++) {
            sb.append(f == 0 ? "" : String.valueOf(delimiter)).append(iris.feature(r, f) * scale);
        }
        return sb.toString();
    }

    private Path features(String name, char delimiter, float scale) throws IOException {
        Dataset iris = Iris.load();
        StringBuilder csv = new StringBuilder(HEADER.replace(',', delimiter) + "\n");
        for (int r = 0; r < iris.rows(); r++) {
            csv.append(row(iris, r, delimiter, scale)).append('\n');
        }
        return Files.writeString(dir.resolve(name), csv);
    }

    @Test
    void theTrainingCsvItselfCanBePredictedItsTextLabelColumnIsSkippedByName() throws IOException {
        assertEquals(0, run("predict", "--model", model.toString(), "--input", trainingCsv.toString()), err());
        List<String> withLabel = out().lines().toList();
        assertEquals(151, withLabel.size());
        assertEquals(0, run("predict", "--model", model.toString(), "--input",
                features("plain.csv", ',', 1).toString()), err());
        assertEquals(withLabel, out().lines().toList(), "the same predictions with or without the label column");

        Files.writeString(dir.resolve("two-extra.csv"), "a,b,c,d,e\n1,2,3,4,x\n");
        assertEquals(1, run("predict", "--model", model.toString(), "--input",
                dir.resolve("two-extra.csv").toString()));
        assertTrue(err().contains("the header has 5 columns but the model takes 4 inputs (sepal_length, sepal_width,"
                + " petal_length, petal_width); an extra label column is skipped only when a header names it"), err());
    }

    @Test
    void probabilitiesAreOneColumnPerClassNamedAfterIt() throws IOException {
        assertEquals(0, run("predict", "--model", model.toString(), "--input", trainingCsv.toString(),
                "--probabilities"), err());
        List<String> lines = out().lines().toList();
        assertEquals("setosa,versicolor,virginica,argmax,class", lines.get(0));
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            double sum = Double.parseDouble(cells[0]) + Double.parseDouble(cells[1]) + Double.parseDouble(cells[2]);
            assertEquals(1, sum, 1e-5, line);
            int best = Integer.parseInt(cells[3]);
            for (int c = 0; c < 3; c++) {
                assertTrue(Double.parseDouble(cells[best]) >= Double.parseDouble(cells[c]), line);
            }
        }
    }

    @Test
    void standardInputAndAnotherDelimiter() throws IOException {
        assertEquals(0, run("predict", "--model", model.toString(), "--input", trainingCsv.toString()), err());
        String expected = out();
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(features("semi.csv", ';', 1))));
            assertEquals(0, run("predict", "--model", model.toString(), "--input", "-", "--delimiter", ";"), err());
        } finally {
            System.setIn(original);
        }
        assertEquals(expected, out());

        assertEquals(1, run("predict", "--model", model.toString(), "--input", dir.resolve("semi.csv").toString()));
        assertTrue(err().contains("semi.csv line 1: the header has 1 columns but the model takes 4 inputs; the"
                + " delimiter looks wrong: the line has no ',' but has ';' (--delimiter ';')"), err());
        assertEquals(0, run("predict", "--model", model.toString(), "--input",
                features("tabs.csv", '\t', 1).toString(), "--delimiter", "tab"), err());
        assertEquals(expected, out());
    }

    @Test
    void rowsFarOutsideTheTrainingRangeAreCountedInOneWarning() throws IOException {
        assertEquals(0, run("predict", "--model", model.toString(), "--input",
                features("plain.csv", ',', 1).toString()), err());
        assertFalse(err().contains("warning"), err());
        assertEquals(0, run("predict", "--model", model.toString(), "--input",
                features("millimetres.csv", ',', 100).toString()), err());
        assertEquals("warning: 150 of 150 rows have a feature far outside the range the model was trained on (first:"
                + " line 2); their predictions are unreliable (scaled differently?)\n", err());
    }

    @Test
    void aValueThatOverflowsStandardisationNamesTheLineAndTheValueAsWritten() throws IOException {
        Files.writeString(dir.resolve("huge.csv"), HEADER + "\n5.1,3.5,1.4,0.2\n5.1,3e38,1.4,0.2\n");
        assertEquals(1, run("predict", "--model", model.toString(), "--input", dir.resolve("huge.csv").toString()));
        assertTrue(err().startsWith("error: " + dir.resolve("huge.csv") + " line 3, column 2: 3e38 cannot be used:"
                + " standardised with the training mean "), err());
        assertTrue(err().strip().endsWith("it is beyond the float range"), err());
    }

    @Test
    void aBadLineAfterThousandsOfRowsLeavesOnlyWholeRecordsOnStandardOutput() throws IOException {
        StringBuilder csv = new StringBuilder(HEADER + "\n");
        Dataset iris = Iris.load();
        for (int i = 0; i < 6000; i++) {
            csv.append(row(iris, i % 150, ',', 1)).append('\n');
        }
        csv.append("5.1,oops,1.4,0.2\n");
        Path input = Files.writeString(dir.resolve("long.csv"), csv);
        assertEquals(1, run("predict", "--model", model.toString(), "--input", input.toString()));
        assertTrue(err().contains("long.csv line 6002, column 2: expected a number, found 'oops'"), err());
        String printed = out();
        assertTrue(printed.endsWith("\n"));
        List<String> lines = printed.lines().toList();
        assertEquals(1 + 23 * PredictCommand.BATCH, lines.size(), "the whole batches before the bad one");
        for (String line : lines) {
            assertEquals(5, line.split(",").length, line);
        }
        assertTrue(new String(Files.readAllBytes(input), StandardCharsets.UTF_8).length() > 0);
    }
}
