package io.ugmm.cli;

import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.io.ModelFiles;
import io.ugmm.model.io.ModelMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ugmm info} and {@code ugmm predict} through {@link Main#run}, on a saved model and temp CSVs. */
class ModelCommandsTest {
    private static final UgmmNetwork NET = UgmmNetwork.builder(3).layer(4).layer(2).seed(11).build();

    @TempDir
    Path dir;
    private Path model;

    /** Exit code, stdout and stderr of one command line. */
    record Result(int code, String out, String err) {
    }

    @BeforeEach
    void saveModel() throws Exception {
        model = dir.resolve("model.safetensors");
        ModelFiles.save(NET, model, ModelMetadata.empty().withDataset("toy").withEpochs(3).with("note", "a\u001b[31mb"));
    }

    private static Result run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path csv(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static void assertFails(Result r, String expected) {
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(expected), () -> "expected '" + expected + "' in: " + r.err());
    }

    @Test
    void infoDescribesTheModel() {
        Result r = run("info", "--model", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("architecture  3-4-2 (3 inputs, 2 outputs)"), r.out());
        assertTrue(r.out().contains("parameters    " + NET.parameterCount()), r.out());
        assertTrue(r.out().contains("format        ugmm model file, format_version 1"), r.out());
        assertTrue(r.out().contains("layers.1.{mu,std,k}"), r.out());
        assertTrue(r.out().contains("[4, 3]") && r.out().contains("[2, 4]"), r.out());
        assertTrue(r.out().contains("dataset") && r.out().contains("toy"), r.out());
        assertTrue(r.out().contains("a\\u001b[31mb"), "control characters escaped: " + r.out());
        assertTrue(!r.out().contains("\u001b"), "no raw escape sequence reaches the terminal");
    }

    @Test
    void predictWritesLogDensitiesAndArgmaxThatRoundTrip() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder in = new StringBuilder("a,b,c\n");
        int rows = 600; // more than two batches of 256
        float[] x = new float[rows * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 6 - 3);
            in.append(x[i]).append(i % 3 == 2 ? "\n" : ",");
        }
        Path input = csv("in.csv", in.toString());
        Path output = dir.resolve("out.csv");
        Result r = run("predict", "--model", model.toString(), "--input", input.toString(), "--output", output.toString());
        assertEquals(0, r.code(), r.err());

        List<String> lines = Files.readAllLines(output);
        assertEquals("out_0,out_1,argmax", lines.get(0));
        assertEquals(rows + 1, lines.size());
        for (int i = 0; i < rows; i++) {
            float[] expected = NET.forward(Arrays.copyOfRange(x, i * 3, i * 3 + 3));
            String[] cells = lines.get(i + 1).split(",");
            float[] actual = {Float.parseFloat(cells[0]), Float.parseFloat(cells[1])};
            assertArrayEquals(expected, actual, "row " + i + " exactly");
            assertEquals(UgmmNetwork.argmax(expected, 0, 2), Integer.parseInt(cells[2]));
        }

        Result stdout = run("predict", "--model", model.toString(), "--input", input.toString());
        assertEquals(0, stdout.code(), stdout.err());
        assertEquals(String.join("\n", lines) + "\n", stdout.out(), "stdout and --output agree");
    }

    @Test
    void predictInDoublePrecisionMatchesTheDoubleEvaluatorAndTheFloatPath() throws Exception {
        Path input = csv("in.csv", "1,2,3\n-0.5,0.25,2\n");
        Result r = run("predict", "--model", model.toString(), "--input", input.toString(), "--precision", "double");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("out_0,out_1,argmax", lines.get(0));
        double[] exact = new io.ugmm.model.DoublePrecisionEvaluator(NET).forward(new double[] {1, 2, 3, -0.5, 0.25, 2}, 2);
        float[] fast = NET.forwardBatch(new float[] {1, 2, 3, -0.5f, 0.25f, 2}, 2);
        for (int row = 0; row < 2; row++) {
            String[] cells = lines.get(row + 1).split(",");
            for (int j = 0; j < 2; j++) {
                assertEquals(exact[row * 2 + j], Double.parseDouble(cells[j]), 0.0, "printed in full double precision");
                assertEquals(fast[row * 2 + j], Double.parseDouble(cells[j]), 1e-5, "close to the float path");
            }
            assertEquals(exact[row * 2] >= exact[row * 2 + 1] ? "0" : "1", cells[2]);
        }
        assertEquals(2, run("predict", "--model", model.toString(), "--input", input.toString(),
                "--precision", "half").code());
    }

    @Test
    void predictAcceptsInputWithoutAHeaderAndSkipsBlankLines() throws Exception {
        Path input = csv("in.csv", "1,2,3\n\n-0.5, 1e-3 ,+2\n");
        Result r = run("predict", "--model", model.toString(), "--input", input.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.out().lines().count(), r.out());
    }

    @Test
    void predictExplainsBadInput() throws Exception {
        String m = model.toString();
        assertFails(run("predict", "--model", m, "--input", csv("a.csv", "x,y,z\n1,2,3\n1,2\n").toString()),
                "a.csv line 3: expected 3 columns (the model's inputs), found 2");
        assertFails(run("predict", "--model", m, "--input", csv("b.csv", "1,2,3\n1,abc,3\n").toString()),
                "b.csv line 2, column 2: expected a number, found 'abc'");
        assertFails(run("predict", "--model", m, "--input", csv("c.csv", "1,2,NaN\n").toString()),
                "c.csv line 1, column 3: 'NaN' is a missing value; give --missing marginalize (or mean) to predict"
                        + " without it");
        assertFails(run("predict", "--model", m, "--input", csv("d.csv", "1,-Infinity,2\n").toString()),
                "d.csv line 1, column 2: -Infinity is not a finite number");
        assertFails(run("predict", "--model", m, "--input", csv("e.csv", "1,1e39,2\n").toString()),
                "e.csv line 1, column 2: 1e39 is beyond the range of a float");
        assertFails(run("predict", "--model", m, "--input", csv("f.csv", "").toString()),
                "f.csv: no data rows (the file is empty or has only a header line)");
        assertFails(run("predict", "--model", m, "--input", csv("g.csv", "x,y,z\n").toString()), "no data rows");
        assertFails(run("predict", "--model", m, "--input", csv("h.csv", "x,y\n1,2\n").toString()),
                "h.csv line 1: the header has 2 columns but the model takes 3 inputs");
        assertFails(run("predict", "--model", m, "--input", dir.resolve("missing.csv").toString()),
                "missing.csv: no such file");
    }

    @Test
    void aFailedPredictionKeepsTheOldOutputFile() throws Exception {
        Path output = dir.resolve("out.csv");
        Files.writeString(output, "previous results\n");
        Path input = csv("bad.csv", "1,2,3\n".repeat(1000) + "1,2\n");
        assertFails(run("predict", "--model", model.toString(), "--input", input.toString(), "--output",
                output.toString()), "bad.csv line 1001");
        assertEquals("previous results\n", Files.readString(output));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary file removed");
        }
    }

    @Test
    void badModelFilesGiveOneLineErrors() throws Exception {
        byte[] good = Files.readAllBytes(model);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(good, good.length - 3));
        assertFails(run("info", "--model", truncated.toString()),
                truncated + ": tensor 'layers.2.std': data_offsets [208, 240] reach past the end of the 237-byte data section");
        Path input = csv("in.csv", "1,2,3\n");
        assertFails(run("predict", "--model", truncated.toString(), "--input", input.toString()), truncated.toString());
        Path garbage = dir.resolve("garbage.safetensors");
        Files.write(garbage, "hello, I am not a model".getBytes(StandardCharsets.UTF_8));
        assertFails(run("info", "--model", garbage.toString()), "header length");
        assertFails(run("info", "--model", dir.resolve("nope.safetensors").toString()), "nope.safetensors: no such file");
    }

    @Test
    void missingOptionsAreUsageErrors() {
        Result r = run("predict", "--model", model.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'predict' needs --input"), r.err());
    }
}
