package io.ugmm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsCommandTest extends CliHarness {

    @Test
    void listsEveryNamedDatasetWithItsStatus() {
        assertEquals(0, run("datasets"));
        String text = out();
        assertTrue(text.contains("iris           ready    150 rows"), text);
        assertTrue(text.contains("fashion-mnist"), text);
        assertTrue(text.contains("mnist-digits"), text);
        assertTrue(text.contains("csv:PATH"), text);
    }

    @Test
    void summarisesOneDataset() {
        assertEquals(0, run("datasets", "iris"));
        assertTrue(out().contains("150 rows x 4 features, values from 0.1 to 7.9"), out());
        assertTrue(out().contains("3 classes: setosa 50, versicolor 50, virginica 50"), out());
    }

    @Test
    void aBrokenCsvIsOneErrorLineNamingLineAndColumn(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("mine.csv"), "a,b,label\n1,2,x\n1,oops,y\n");
        assertEquals(1, run("datasets", "csv:" + file));
        assertEquals("error: " + file + " line 3, column 2: expected a number, found 'oops'",
                err.toString(StandardCharsets.UTF_8).trim());
    }
}
