package io.ugmm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small things a new user met: each fixed, each checked here. */
class PapercutsTest extends CliHarness {

    @Test
    void aMisspeltOptionSuggestsTheNearestAndListsTheOptionsSorted() {
        assertEquals(2, run("predict", "--modle", "m.safetensors"));
        assertEquals("error: 'predict' has no option --modle (did you mean --model?); options: --delimiter VALUE,"
                + " --input VALUE, --model VALUE, --output VALUE, --precision VALUE, --probabilities (see 'ugmm help"
                + " predict')\n", err());
        assertEquals(2, run("train", "--epoch", "3"));
        assertTrue(err().contains("(did you mean --epochs?)"), err());
        assertEquals(2, run("train", "--zzzzzz", "3"));
        assertFalse(err().contains("did you mean"), err());
    }

    @Test
    void infoShowsClassNamesAsNames(@TempDir Path dir) {
        Path model = dir.resolve("iris.safetensors");
        assertEquals(0, run("train", "--dataset", "iris", "--epochs", "2", "--restarts", "1", "--out",
                model.toString()), err());
        assertEquals(0, run("info", "--model", model.toString()), err());
        assertTrue(out().contains("setosa, versicolor, virginica (3)"), out());
        assertFalse(out().contains("\\u000a"), out());
    }

    @Test
    void benchJsonRefusesAMissingDirectoryBeforeRunning(@TempDir Path dir) {
        Path missing = dir.resolve("no/such/dir/bench.json");
        assertEquals(1, run("bench", "--json", missing.toString()));
        assertTrue(err().contains("does not exist"), err());
        assertFalse(err().contains("bench: warming up"), "refused before the benchmark: " + err());
        assertFalse(Files.exists(dir.resolve("no")), "the directory is not created");
    }

    @Test
    void aClosedPipeEndsQuietly() {
        OutputStream closedPipe = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"help"}, PipeOutput.over(closedPipe, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        assertEquals(PipeOutput.CLOSED_PIPE_EXIT, code);
        assertEquals("", errBytes.toString(StandardCharsets.UTF_8));
        // any other write failure (a full disk) is still an error
        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        code = Main.run(new String[]{"help"}, PipeOutput.over(full, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        assertEquals(1, code);
        assertTrue(errBytes.toString(StandardCharsets.UTF_8).contains("could not write"));
    }

    @Test
    void tooFewRowsPerClassToHoldOutSaySo(@TempDir Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int c = 0; c < 40; c++) {
            csv.append(c).append(',').append(c * 2).append(",class").append(c).append('\n');
        }
        Path file = Files.writeString(dir.resolve("one-each.csv"), csv);
        assertEquals(2, run("train", "--dataset", "csv:" + file, "--out", dir.resolve("m.safetensors").toString()));
        assertTrue(err().contains("its 40 rows fall into 40 classes (1.0 per class), too few to hold out a share of"
                + " each"), err());
        assertFalse(err().contains("nearer 0.2"), err());
    }

    @Test
    void trainingThatEndsAtChanceIsWarnedAbout(@TempDir Path dir) {
        Path model = dir.resolve("lazy.safetensors");
        assertEquals(0, run("train", "--dataset", "iris", "--lr", "1e-12", "--epochs", "2", "--restarts", "1",
                "--out", model.toString()), err());
        assertTrue(err().contains("warning: training accuracy"), err());
        assertTrue(err().contains("is at chance (always answering the most frequent class gives 33.3"), err());
        assertTrue(Files.exists(model), "still saved");
        assertEquals(0, run("train", "--dataset", "iris", "--epochs", "300", "--restarts", "1",
                "--out", model.toString()), err());
        assertFalse(err().contains("at chance"), err());
    }

    @Test
    void stoppingTrainSaysNothingWasSaved(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("never.safetensors");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.ugmm.cli.Main",
                "train", "--dataset", "iris", "--epochs", "1000000", "--restarts", "1", "--out", model.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("epoch ")) {
                // wait until training has started
            }
            p.toHandle().destroy(); // SIGTERM, as Ctrl-C's SIGINT, ends the JVM through its shutdown hooks
            StringBuilder rest = new StringBuilder();
            while ((line = lines.readLine()) != null) {
                rest.append(line).append('\n');
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertTrue(rest.toString().contains("interrupted; nothing saved (" + model + " is as it was)"),
                    rest.toString());
        } finally {
            p.destroyForcibly();
        }
        assertFalse(Files.exists(model));
    }
}
