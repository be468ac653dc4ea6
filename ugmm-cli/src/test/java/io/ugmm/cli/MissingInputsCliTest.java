package io.ugmm.cli;

import io.ugmm.datasets.Dataset;
import io.ugmm.datasets.Iris;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** predict --missing / --log-density and impute on a generative Iris model, as a user runs them. */
class MissingInputsCliTest extends CliHarness {
    static final String HEADER = "sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm";
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void trainGenerativeIris() {
        model = dir.resolve("iris.safetensors");
        CliHarness cli = new CliHarness() { };
        assertEquals(0, cli.run("train", "--dataset", "iris", "--epochs", "150", "--restarts", "1", "--threads", "1",
                "--out", model.toString()), cli.err());
    }

    private static Path csv(String name, String... rows) throws IOException {
        return Files.writeString(dir.resolve(name), HEADER + "\n" + String.join("\n", rows) + "\n");
    }

    @Test
    void missingCellsAreAnErrorUnlessAskedToMarginalise() throws IOException {
        Path input = csv("gaps.csv", "5.1,3.5,1.4,0.2", "6.7,?,5.2,2.3", "5.9,3.0,,1.5", "6.3,NaN,4.9,1.5");
        assertEquals(1, run("predict", "--model", model.toString(), "--input", input.toString()));
        assertTrue(err().contains("line 3, column 2: '?' is a missing value; give --missing marginalize"), err());
        assertEquals(0, run("predict", "--model", model.toString(), "--input", input.toString(), "--missing",
                "marginalize", "--probabilities"), err());
        List<String> lines = out().lines().toList();
        assertEquals(5, lines.size(), out());
        for (String line : lines.subList(1, 5)) {
            String[] cells = line.split(",");
            double sum = Double.parseDouble(cells[0]) + Double.parseDouble(cells[1]) + Double.parseDouble(cells[2]);
            assertEquals(1, sum, 1e-5, line);
        }
        // the complete row scores as without --missing
        String marginal = lines.get(1);
        assertEquals(0, run("predict", "--model", model.toString(), "--input", csv("one.csv", "5.1,3.5,1.4,0.2")
                .toString(), "--probabilities"));
        assertEquals(out().lines().toList().get(1), marginal);
    }

    @Test
    void logDensityIsLowForARowUnlikeTheTrainingData() throws IOException {
        Path input = csv("odd.csv", "5.1,3.5,1.4,0.2", "8.5,1.5,0.5,3.0");
        assertEquals(0, run("predict", "--model", model.toString(), "--input", input.toString(), "--log-density"),
                err());
        List<String> lines = out().lines().toList();
        assertTrue(lines.get(0).endsWith(",log_density"), lines.get(0));
        double usual = Double.parseDouble(lines.get(1).substring(lines.get(1).lastIndexOf(',') + 1));
        double odd = Double.parseDouble(lines.get(2).substring(lines.get(2).lastIndexOf(',') + 1));
        assertTrue(odd < usual - 2, "usual " + usual + ", odd " + odd);
        String[] cells = lines.get(1).split(",");
        double lse = Math.log(Math.exp(Double.parseDouble(cells[0])) + Math.exp(Double.parseDouble(cells[1]))
                + Math.exp(Double.parseDouble(cells[2])));
        assertEquals(lse, usual, 1e-5);
    }

    @Test
    void logDensityOfAClassifierIsAUsageError() throws IOException {
        Path classifier = dir.resolve("ce.safetensors");
        assertEquals(0, run("train", "--dataset", "iris", "--loss", "ce", "--epochs", "2", "--restarts", "1",
                "--out", classifier.toString()), err());
        assertEquals(2, run("predict", "--model", classifier.toString(), "--input", csv("c.csv", "5,3,1,0").toString(),
                "--log-density"));
        assertTrue(err().contains("--log-density needs a generative model"), err());
    }

    @Test
    void imputeFillsEveryMissingCellAndKeepsTheOthers() throws IOException {
        Dataset iris = Iris.load();
        Path input = csv("holes.csv", "5.1,3.5,?,0.2", ",3.0,5.2,2.3", "5.9,3.0,4.2,NaN");
        Path output = dir.resolve("filled.csv");
        assertEquals(0, run("impute", "--model", model.toString(), "--input", input.toString(), "--output",
                output.toString(), "--restarts", "2"), err());
        assertTrue(err().contains("filled 3 cells in 3 rows"), err());
        List<String> lines = Files.readAllLines(output);
        assertEquals(HEADER + ",class", lines.get(0));
        String[] first = lines.get(1).split(",");
        assertEquals("5.1", first[0]);
        assertEquals("0.2", first[3]);
        float petalLength = Float.parseFloat(first[2]);
        assertTrue(petalLength > 0.5 && petalLength < 3, "a setosa's petal length, found " + petalLength);
        assertEquals(iris.className(0), first[4]);
        for (String line : lines.subList(1, 4)) {
            assertFalse(line.contains("?") || line.contains("NaN") || line.contains(",,"), line);
        }
    }

    @Test
    void imputeRefusesAnUnknownColumnAndARowWithNothingKnown() throws IOException {
        Path unknown = Files.writeString(dir.resolve("unknown.csv"), "sepal_length_cm,sepal_width_cm,petal_length_cm,"
                + "colour\n5.1,3.5,?,1\n");
        assertEquals(1, run("impute", "--model", model.toString(), "--input", unknown.toString()));
        assertTrue(err().contains("unknown column 'colour'; the model's inputs are " + HEADER.replace(",", ", ")),
                err());
        Path empty = csv("nothing.csv", "5.1,3.5,1.4,0.2", "?,?,,NaN");
        assertEquals(1, run("impute", "--model", model.toString(), "--input", empty.toString()));
        assertTrue(err().contains("line 3: every feature of the row is missing"), err());
        assertEquals(2, run("predict", "--model", model.toString(), "--input", empty.toString(), "--missing", "guess"));
        assertTrue(err().contains("--missing must be error, marginalize, mean"), err());
    }
}
