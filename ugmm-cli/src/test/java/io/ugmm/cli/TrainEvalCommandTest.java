package io.ugmm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainEvalCommandTest extends CliHarness {

    private String lastLine() {
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        return lines[lines.length - 1];
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([-0-9.eE+]+)").matcher(json);
        assertTrue(m.find(), key + " missing in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainsIrisSavesTheModelAndEvalReproducesTheFigures(@TempDir Path dir) {
        Path model = dir.resolve("iris.safetensors");
        assertEquals(0, run("train", "--dataset", "iris", "--epochs", "30", "--log-every", "10", "--threads", "1",
                "--out", model.toString(), "--json"), err.toString());
        // with --json the human-readable lines go to stderr and stdout is the JSON line alone
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("network 5 -> 10 -> 5 -> 1"), text);
        assertTrue(text.contains("epoch 10/30"), text);
        String train = lastLine();
        assertEquals(train, out.toString(StandardCharsets.UTF_8).strip(), "stdout is one JSON line");
        assertTrue(train.startsWith("{\"command\":\"train\""), train);
        assertEquals(30, number(train, "epochs"));
        assertTrue(number(train, "samples_per_s") > 0);
        assertTrue(Files.isRegularFile(model));

        assertEquals(0, run("eval", "--model", model.toString(), "--json"), err.toString());
        String eval = lastLine();
        assertEquals(eval, out.toString(StandardCharsets.UTF_8).strip(), "stdout is one JSON line");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("accuracy"), err.toString());
        assertEquals(number(train, "accuracy"), number(eval, "accuracy"), 1e-9, eval);
        assertEquals(number(train, "nll"), number(eval, "nll"), 1e-5, eval);
        assertEquals(30, number(eval, "rows"));
    }

    @Test
    void aClassifierOnACsvFileTrainsAndEvaluates(@TempDir Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 120; i++) {
            int c = i % 2;
            csv.append(c * 3 + (i % 7) * 0.1).append(',').append(-c * 2 + (i % 5) * 0.1).append(',')
                    .append(c == 0 ? "left" : "right").append('\n');
        }
        Path file = dir.resolve("two.csv");
        Files.writeString(file, csv);
        Path model = dir.resolve("two.safetensors");
        assertEquals(0, run("train", "--dataset", "csv:" + file, "--layers", "4", "--epochs", "15", "--batch", "16",
                "--threads", "2", "--out", model.toString(), "--json"), err.toString());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("network 2 -> 4 -> 2"), err.toString());
        assertTrue(number(lastLine(), "accuracy") > 0.9, lastLine());
        assertEquals(0, run("eval", "--model", model.toString(), "--json"), err.toString());
        assertTrue(number(lastLine(), "accuracy") > 0.9, lastLine());
    }

    @Test
    void badFlagsSayWhatWasExpectedAndWhatWasFound() {
        assertEquals(2, run("train", "--dataset", "iris", "--layers", "10,x"));
        assertTrue(err.toString().contains("'x' is not a whole number"), err.toString());
        assertEquals(2, run("train", "--dataset", "iris", "--dropout", "1.5"));
        assertTrue(err.toString().contains("[0, 1), found 1.5"), err.toString());
        assertEquals(2, run("train", "--dataset", "iris", "--loss", "mse"));
        assertTrue(err.toString().contains("expected ce or nll"), err.toString());
        assertEquals(2, run("train", "--dataset", "iris", "--epochs", "0"));
        assertTrue(err.toString().contains("--epochs must be at least 1, found 0"), err.toString());
        assertEquals(2, run("train", "--dataset", "iris", "--lr-steps", "1"));
        assertTrue(err.toString().contains("at least 2"), err.toString());
        assertEquals(2, run("train"));
        assertTrue(err.toString().contains("needs --dataset"), err.toString());
        assertEquals(1, run("eval", "--model", "/nonexistent/model.safetensors"));
        assertEquals(1, run("train", "--dataset", "iris", "--out", "/nonexistent-dir/x.safetensors"));
        assertTrue(err.toString().contains("does not exist"), err.toString());
    }

    @Test
    void divergedTrainingIsOneErrorLineNamingEpochBatchAndRow(@TempDir Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 40; i++) {
            // every fourth row is finite but so extreme that every Gaussian term underflows: the loss is
            // not finite (several such rows, so that the 80/20 split leaves some in the training part)
            String v = i % 4 == 1 ? "3e38" : Double.toString(i % 3 * 0.5);
            csv.append(v).append(',').append(v).append(',').append(i % 2).append('\n');
        }
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, csv);
        assertEquals(1, run("train", "--dataset", "csv:" + file, "--standardize", "no", "--layers", "3",
                "--epochs", "2", "--batch", "8", "--out", dir.resolve("m.safetensors").toString()));
        String e = err.toString();
        assertTrue(e.startsWith("error: training stopped: epoch 1, batch "), e);
        assertTrue(e.contains("training row "), e);
        assertTrue(!Files.exists(dir.resolve("m.safetensors")), "nothing may be saved");
    }
}
