package io.ugmm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Singular and plural, the same name for the same figure in train and eval, and a hint for relative paths. */
class OutputWordingTest extends CliHarness {

    @Test
    void oneEpochIsSingularAndEvalSaysMeanNllLikeTrain(@TempDir Path dir) {
        Path model = dir.resolve("iris.safetensors");
        assertEquals(0, run("train", "--dataset", "iris", "--epochs", "1", "--restarts", "1", "--threads", "1",
                "--out", model.toString()), err.toString());
        assertTrue(out().contains(", 1 epoch, ") && out().contains("; 1 epoch in "), out());
        assertFalse(out().contains("1 epochs"), out());
        assertTrue(out().contains("mean nll"), out());
        assertEquals(0, run("eval", "--model", model.toString(), "--threads", "1"), err.toString());
        assertTrue(out().contains("mean nll"), out());
        assertFalse(out().contains("log-likelihood -"), out());
    }

    @Test
    void aMissingRelativeDatasetPathHintsAtDatasetFlag(@TempDir Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i % 2 * 3 + i % 7 * 0.1).append(',').append(i % 5 * 0.1).append(',').append(i % 2).append('\n');
        }
        // a model whose recorded dataset is a relative path that does not resolve from here
        Path file = dir.resolve("two.csv");
        Files.writeString(file, csv);
        Path model = dir.resolve("two.safetensors");
        assertEquals(0, run("train", "--dataset", "csv:" + file, "--layers", "2", "--epochs", "1", "--threads", "1",
                "--out", model.toString()), err.toString());
        Path moved = dir.resolve("moved.safetensors");
        var loaded = io.ugmm.model.io.ModelFiles.load(model);
        io.ugmm.model.io.ModelFiles.save(loaded.network(), moved,
                loaded.metadata().withDataset("csv:no-such-dir-here/two.csv"));
        assertEquals(1, run("eval", "--model", moved.toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.contains("no such file") && e.contains("--dataset csv:PATH overrides it"), e);
    }
}
