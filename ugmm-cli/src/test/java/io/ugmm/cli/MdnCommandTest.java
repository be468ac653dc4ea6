package io.ugmm.cli;

import io.ugmm.model.internal.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MdnCommandTest extends CliHarness {
    @TempDir
    Path dir;

    @Test
    void trainsBishopInverseSavesPlotsAndPredicts() throws Exception {
        Path model = dir.resolve("b.safetensors");
        Path plot = dir.resolve("b.svg");
        assertEquals(0, run("mdn", "train", "--dataset", "bishop-inverse", "--epochs", "40", "--threads", "2",
                "--json", "--out", model.toString(), "--plot", plot.toString()), err());
        String[] lines = out().strip().split("\n");
        assertEquals(1, lines.length, "--json prints one line on stdout: " + out());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(lines[0]);
        double nll = ((Number) json.get("test_nll")).doubleValue();
        assertTrue(nll < -0.5, "test nll " + nll);
        assertTrue(((Number) json.get("seconds")).doubleValue() > 0);
        assertTrue(((Number) json.get("samples_per_s")).doubleValue() > 0);
        assertTrue(err().contains("test nll"), err());
        String svg = Files.readString(plot);
        assertTrue(svg.startsWith("<svg") && svg.contains("data:image/png;base64,") && svg.contains("<circle"), svg);

        assertEquals(0, run("info", "--model", model.toString()), err());
        assertTrue(out().contains("mixture density network") && out().contains("1 -> 32 -> 32 (tanh) -> 5 Gaussians"),
                out());

        Path input = dir.resolve("t.csv");
        Files.writeString(input, "t\n0.1\n0.5\n0.9\n");
        assertEquals(0, run("mdn", "predict", "--model", model.toString(), "--input", input.toString(), "--mode"),
                err());
        List<String> rows = out().lines().toList();
        assertEquals("row,y_0", rows.get(0));
        assertEquals(4, rows.size());
        // t = 0.1 has one answer near x = 0.05, t = 0.9 one near x = 0.95
        assertEquals(0.05, Double.parseDouble(rows.get(1).split(",")[1]), 0.1);
        assertEquals(0.95, Double.parseDouble(rows.get(3).split(",")[1]), 0.1);
        assertEquals(0, run("mdn", "predict", "--model", model.toString(), "--input", input.toString(),
                "--samples", "5", "--temperature", "0.5", "--seed", "3"), err());
        String samples = out();
        assertEquals(1 + 15, samples.lines().count());
        assertEquals(0, run("mdn", "predict", "--model", model.toString(), "--input", input.toString(),
                "--samples", "5", "--temperature", "0.5", "--seed", "3"), err());
        assertEquals(samples, out(), "the same seed gives the same samples");
        assertEquals(0, run("mdn", "predict", "--model", model.toString(), "--input", input.toString()), err());
        assertTrue(out().startsWith("row,weight_0,mean_0_0,std_0_0,weight_1"), out());
    }

    @Test
    void csvWithTwoTargets() throws Exception {
        Path train = dir.resolve("train.csv");
        Path test = dir.resolve("test.csv");
        StringBuilder a = new StringBuilder("u,v,w\n");
        StringBuilder b = new StringBuilder("u,v,w\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        for (int r = 0; r < 400; r++) {
            double u = random.nextDouble();
            String line = u + "," + (Math.sin(3 * u) + 0.1 * random.nextGaussian()) + ","
                    + (u * u + 0.05 * random.nextGaussian()) + "\n";
            (r < 300 ? a : b).append(line);
        }
        Files.writeString(train, a);
        Files.writeString(test, b);
        assertEquals(0, run("mdn", "train", "--dataset", "csv:" + train + "?target=v,w&test=" + test, "--epochs", "5",
                "--components", "2", "--hidden", "8", "--activation", "relu", "--json"), err());
        assertTrue(out().contains("\"test_nll\":"), out());
        assertTrue(err().contains("inputs [u], targets [v, w]"), err());
        assertEquals(2, run("mdn", "train", "--dataset", "csv:" + train + "?target=v,w", "--plot",
                dir.resolve("p.svg").toString()), err());
        assertTrue(err().contains("--plot draws one input against one target"), err());
    }

    @Test
    void badDataIsRefusedClearly() throws Exception {
        Path constant = dir.resolve("c.csv");
        Files.writeString(constant, "a,b\n1,5\n2,5\n3,5\n");
        assertEquals(1, run("mdn", "train", "--dataset", "csv:" + constant, "--epochs", "1"));
        assertTrue(err().contains("target column 0 is constant"), err());
        Path nan = dir.resolve("n.csv");
        Files.writeString(nan, "a,b\n1,5\n2,NaN\n");
        assertEquals(1, run("mdn", "train", "--dataset", "csv:" + nan, "--epochs", "1"));
        assertTrue(err().contains("line 3, column 2: NaN is not a finite number"), err());
        assertEquals(1, run("mdn", "train", "--dataset", "csv:" + constant + "?target=c"));
        assertTrue(err().contains("no column named 'c'"), err());
    }

    @Test
    void usageMistakes() {
        assertEquals(2, run("mdn"));
        assertTrue(err().contains("expected 'mdn train' or 'mdn predict'"), err());
        assertEquals(2, run("mdn", "fit"));
        assertEquals(2, run("mdn", "predict", "--model", "m", "--input", "i", "--mean", "--mode"));
        assertTrue(err().contains("choose one of"), err());
        assertEquals(2, run("mdn", "train", "--dataset", "bishop-inverse", "--activation", "sigmoid"));
        assertTrue(err().contains("activation must be tanh or relu"), err());
        assertEquals(2, run("mdn", "train", "--dataset", "bishop-inverse", "--mean"));
        assertEquals(1, run("mdn", "predict", "--model", dir.resolve("missing").toString(), "--input", "x.csv"));
    }
}
