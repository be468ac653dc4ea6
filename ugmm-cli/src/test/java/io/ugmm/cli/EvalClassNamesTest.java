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

/** {@code ugmm eval} on another file matches its labels to the model's classes by name. */
class EvalClassNamesTest extends CliHarness {

    private static String rows(int count, String... classes) {
        StringBuilder csv = new StringBuilder("a,b,fruit\n");
        for (int i = 0; i < count; i++) {
            String name = classes[i % classes.length];
            int c = switch (name) {
                case "apple" -> 0;
                case "banana" -> 1;
                case "cherry" -> 2;
                default -> 3;
            };
            csv.append(c * 3 + (i % 7) * 0.1).append(',').append(c * 2 - (i % 5) * 0.1).append(',').append(name)
                    .append('\n');
        }
        return csv.toString();
    }

    @Test
    void aFileWithoutTheFirstClassIsScoredAgainstTheRightClasses(@TempDir Path dir) throws IOException {
        Path train = dir.resolve("fruit.csv");
        Files.writeString(train, rows(150, "apple", "banana", "cherry"));
        Path model = dir.resolve("fruit.safetensors");
        assertEquals(0, run("train", "--dataset", "csv:" + train, "--layers", "6", "--epochs", "20", "--batch", "16",
                "--threads", "1", "--out", model.toString()), err.toString());

        // no apple: sorting this file's own labels would number banana 0 and cherry 1
        Path other = dir.resolve("later.csv");
        Files.writeString(other, rows(100, "banana", "cherry"));
        assertEquals(0, run("eval", "--model", model.toString(), "--dataset", "csv:" + other, "--part", "train",
                "--json"), err.toString());
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        Matcher m = Pattern.compile("\"accuracy\":([-0-9.eE+]+)").matcher(lines[lines.length - 1]);
        assertTrue(m.find(), lines[lines.length - 1]);
        assertTrue(Double.parseDouble(m.group(1)) > 0.9, lines[lines.length - 1]);
    }

    @Test
    void aLabelTheModelDoesNotKnowIsNamed(@TempDir Path dir) throws IOException {
        Path train = dir.resolve("fruit.csv");
        Files.writeString(train, rows(60, "apple", "banana", "cherry"));
        Path model = dir.resolve("fruit.safetensors");
        assertEquals(0, run("train", "--dataset", "csv:" + train, "--layers", "4", "--epochs", "2",
                "--threads", "1", "--out", model.toString()), err.toString());
        Path other = dir.resolve("other.csv");
        Files.writeString(other, rows(60, "banana", "durian"));
        assertEquals(1, run("eval", "--model", model.toString(), "--dataset", "csv:" + other));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("'durian'") && e.contains("[apple, banana, cherry]"), e);
    }
}
