package io.ugmm.cli;

import io.ugmm.model.UgmmNetwork;
import io.ugmm.model.io.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mistakes on the command line: one clear line, a non-zero exit, and nothing destroyed. */
class CommandLineSafetyTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    private static Result run(PrintStream stdout, String... argv) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(argv, stdout, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, "", err.toString(StandardCharsets.UTF_8));
    }

    private static Result run(String... argv) {
        return run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), argv);
    }

    private static void assertOneLine(Result r, int code, String expected) {
        assertEquals(code, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(expected),
                () -> "expected '" + expected + "' in: " + r.err());
    }

    private Path model() throws Exception {
        Path model = dir.resolve("m.safetensors");
        ModelFiles.save(UgmmNetwork.builder(2).layer(3).seed(1).build(), model);
        return model;
    }

    @Test
    void anOptionIsNotTakenAsAnotherOptionsValue() throws Exception {
        Result r = run("info", "--model", "--debug-not-an-option");
        assertOneLine(r, 2, "--model needs a value");
    }

    @Test
    void strayWordsAreRefused() throws Exception {
        assertOneLine(run("info", model().toString()), 2, "'info' takes only --options, found '");
    }

    @Test
    void predictRefusesToOverwriteItsInput() throws Exception {
        Path input = dir.resolve("in.csv");
        Files.writeString(input, "1,2\n3,4\n");
        Result r = run("predict", "--model", model().toString(), "--input", input.toString(),
                "--output", input.toString());
        assertOneLine(r, 2, "is the --input file");
        assertEquals("1,2\n3,4\n", Files.readString(input), "the input survives");
    }

    @Test
    void outputInAMissingDirectoryFailsBeforeAnyWork() throws Exception {
        Path input = dir.resolve("in.csv");
        Files.writeString(input, "1,2\n");
        Result r = run("predict", "--model", model().toString(), "--input", input.toString(),
                "--output", dir.resolve("no/such/dir/out.csv").toString());
        assertOneLine(r, 1, "does not exist");
        r = run("predict", "--model", model().toString(), "--input", input.toString(), "--output", dir.toString());
        assertOneLine(r, 1, "is a directory");
    }

    @Test
    void aDirectoryGivenAsInputIsNamed() throws Exception {
        Result r = run("predict", "--model", model().toString(), "--input", dir.toString());
        assertOneLine(r, 1, dir + ": is a directory; expected a CSV file");
    }

    @Test
    void failedWritesToStandardOutputAreReported() throws Exception {
        Path input = dir.resolve("in.csv");
        Files.writeString(input, "1,2\n");
        PrintStream broken = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("No space left on device");
            }
        }, true, StandardCharsets.UTF_8);
        Result r = run(broken, "predict", "--model", model().toString(), "--input", input.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("could not write"), r.err());
    }

    @Test
    void anOptionGivenTwiceIsRefused() throws Exception {
        Path model = model();
        assertOneLine(run("info", "--model", model.toString(), "--model", model.toString()), 2,
                "--model is given twice");
    }

    @Test
    void aTextFileGivenAsAModelSaysItIsNotSafetensors() throws Exception {
        Path csv = dir.resolve("rows.csv");
        Files.writeString(csv, "5.1,3.5,1.4,0.2\n");
        assertOneLine(run("info", "--model", csv.toString()), 1, "not a safetensors file?");
    }

    @Test
    void evalScoresEveryRowOfANewFileWithPartAll() throws Exception {
        Path data = dir.resolve("blobs.csv");
        StringBuilder csv = new StringBuilder("a,b,label\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int r = 0; r < 40; r++) {
            int label = r % 2;
            csv.append(random.nextGaussian() + 4 * label).append(',').append(random.nextGaussian())
                    .append(',').append(label == 0 ? "left" : "right").append('\n');
        }
        Files.writeString(data, csv);
        Path model = dir.resolve("blobs.safetensors");
        assertEquals(0, run("train", "--dataset", "csv:" + data, "--epochs", "3", "--out", model.toString()).code());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Result r = run(new PrintStream(out, true, StandardCharsets.UTF_8),
                "eval", "--model", model.toString(), "--part", "all");
        assertEquals(0, r.code(), r.err());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("(all part, 40 rows)"), out.toString());
    }
}
