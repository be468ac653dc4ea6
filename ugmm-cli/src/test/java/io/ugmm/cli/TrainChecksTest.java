package io.ugmm.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ugmm train} refuses bad settings before it trains. */
class TrainChecksTest extends CliHarness {

    private static Path twoClassCsv(Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 40; i++) {
            csv.append(i % 2 * 3 + i % 7 * 0.1).append(',').append(i % 5 * 0.1).append(',').append(i % 2).append('\n');
        }
        Path file = dir.resolve("two.csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void anOutputInAMissingDirectoryIsRefusedBeforeTraining(@TempDir Path dir) {
        assertEquals(1, run("train", "--dataset", "iris", "--epochs", "100000", "--out",
                dir.resolve("no/such/dir/iris.safetensors").toString()));
        assertTrue(err().contains("does not exist"), err());
        assertEquals("", out(), "nothing trained");
    }

    @Test
    void anOutputThatIsADirectoryIsRefusedBeforeTraining(@TempDir Path dir) {
        assertEquals(1, run("train", "--dataset", "iris", "--epochs", "100000", "--out", dir.toString()));
        assertTrue(err().contains("is a directory"), err());
        assertEquals("", out(), "nothing trained");
    }

    @Test
    void theDatasetFileIsNotAnOutput(@TempDir Path dir) throws IOException {
        Path file = twoClassCsv(dir);
        String before = Files.readString(file);
        assertEquals(2, run("train", "--dataset", "csv:" + file, "--epochs", "1", "--out", file.toString()));
        assertTrue(err().contains("is the dataset file"), err());
        assertEquals(before, Files.readString(file));

        Path test = dir.resolve("test.csv");
        Files.writeString(test, before);
        assertEquals(2, run("train", "--dataset", "csv:" + file + "?test=" + test, "--epochs", "1",
                "--out", test.toString()));
        assertTrue(err().contains("is the dataset file"), err());
        assertEquals(before, Files.readString(test));
    }

    private void assertUsageError(String expected, String... argv) {
        assertEquals(2, run(argv), err());
        assertTrue(err().contains(expected), () -> "expected '" + expected + "' in: " + err());
        assertEquals("", out(), "nothing trained");
    }

    @Test
    void anUnknownObjectiveOrOneForAClassifierIsRefused(@TempDir Path dir) {
        String outFile = dir.resolve("m.safetensors").toString();
        assertUsageError("--objective got 'contrastive'; expected joint, conditional or pseudo", "train", "--dataset",
                "iris", "--objective", "contrastive", "--out", outFile);
        assertUsageError("--objective is for the nll loss", "train", "--dataset", "iris", "--loss", "ce",
                "--objective", "pseudo", "--out", outFile);
    }

    @Test
    void theObjectiveTrainedWithIsRecordedInTheModelFile(@TempDir Path dir) throws IOException {
        for (String objective : new String[] {"joint", "conditional", "pseudo"}) {
            Path file = dir.resolve(objective + ".safetensors");
            assertEquals(0, run("train", "--dataset", "iris", "--objective", objective, "--epochs", "2", "--threads",
                    "1", "--out", file.toString()), err());
            assertTrue(out().contains("loss nll (" + objective + ")"), out());
            assertEquals(objective, io.ugmm.model.UgmmModel.load(file).generativeObjective().orElseThrow().shortName());
        }
        // the Iris default
        Path file = dir.resolve("default.safetensors");
        assertEquals(0, run("train", "--dataset", "iris", "--epochs", "2", "--threads", "1", "--out", file.toString()));
        assertEquals("pseudo", io.ugmm.model.UgmmModel.load(file).metadata().get("generative_objective").orElseThrow());
    }

    @Test
    void threadsFarBeyondTheCoresAreRefused() {
        int tooMany = Args.THREADS_PER_CORE * Runtime.getRuntime().availableProcessors() + 1;
        assertUsageError("--threads " + tooMany + " is more than", "train", "--dataset", "iris",
                "--threads", Integer.toString(tooMany));
        assertUsageError("--threads " + tooMany + " is more than", "eval", "--model", "x.safetensors",
                "--threads", Integer.toString(tooMany));
    }

    @Test
    void aSingleClassDatasetIsRefused(@TempDir Path dir) throws IOException {
        StringBuilder csv = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 20; i++) {
            csv.append(i).append(',').append(i % 3).append(",only\n");
        }
        Path file = dir.resolve("one.csv");
        Files.writeString(file, csv);
        assertEquals(1, run("train", "--dataset", "csv:" + file, "--out", dir.resolve("m.safetensors").toString()));
        assertTrue(err().contains("only 1 class") && err().contains("at least 2"), err());
    }

    @Test
    void dropoutWithoutAHiddenLayerIsRefused() {
        assertUsageError("--dropout applies to hidden layers", "train", "--dataset", "iris", "--layers", "",
                "--dropout", "0.3");
    }

    @Test
    void anEpochCountBeyondAnIntSaysTooLarge() {
        assertUsageError("--epochs 99999999999 is too large", "train", "--dataset", "iris", "--epochs", "99999999999");
    }

    @Test
    void badMinStdClipAndTestFractionNameTheirFlag(@TempDir Path dir) {
        String outFile = dir.resolve("m.safetensors").toString();
        assertUsageError("--min-std", "train", "--dataset", "iris", "--min-std", "-1", "--out", outFile);
        assertUsageError("--clip", "train", "--dataset", "iris", "--clip", "-1", "--out", outFile);
        assertUsageError("--clip", "train", "--dataset", "iris", "--clip", "Infinity", "--out", outFile);
        assertUsageError("--test-fraction", "train", "--dataset", "iris", "--test-fraction", "1", "--out", outFile);
        assertUsageError("--test-fraction", "train", "--dataset", "iris", "--test-fraction", "half", "--out",
                outFile);
    }

    @Test
    void aDirectoryAsCsvFileSaysSo(@TempDir Path dir) throws IOException {
        Path folder = Files.createDirectory(dir.resolve("data"));
        assertEquals(1, run("train", "--dataset", "csv:" + folder, "--out", dir.resolve("m.safetensors").toString()));
        assertEquals("error: " + folder + ": is a directory; expected a CSV file", err().strip());

        Path file = twoClassCsv(dir);
        assertEquals(1, run("train", "--dataset", "csv:" + file + "?test=" + folder, "--out",
                dir.resolve("m.safetensors").toString()));
        assertEquals("error: " + folder + ": is a directory; expected a CSV file", err().strip());
    }
}
