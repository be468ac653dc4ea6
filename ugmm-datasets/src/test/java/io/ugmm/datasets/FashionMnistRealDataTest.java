package io.ugmm.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On the real files of Debian's dataset-fashion-mnist. Expected values were checked with Python's gzip module. */
class FashionMnistRealDataTest {

    @Test
    void loadsTheShipped60000TrainAnd10000TestImages() {
        Path dir = RealData.fashionMnist();
        long start = System.nanoTime();
        LoadedDataset fashion = FashionMnist.load(dir);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Fashion-MNIST loaded from %s in %.2f s%n", dir, seconds);

        Dataset train = fashion.train();
        Dataset test = fashion.test().orElseThrow();
        assertEquals(60_000, train.rows());
        assertEquals(10_000, test.rows());
        assertEquals(784, train.features());
        assertEquals(784, test.features());
        assertEquals(FashionMnist.CLASS_NAMES, train.classNames());
        assertEquals("Ankle boot", train.className(9));

        int[] sixThousand = new int[10];
        java.util.Arrays.fill(sixThousand, 6000);
        int[] oneThousand = new int[10];
        java.util.Arrays.fill(oneThousand, 1000);
        assertArrayEquals(sixThousand, train.labelHistogram());
        assertArrayEquals(oneThousand, test.labelHistogram());

        assertEquals(0f, train.minValue());
        assertEquals(1f, train.maxValue());
        assertEquals(0f, test.minValue());
        assertEquals(1f, test.maxValue());

        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, java.util.Arrays.copyOf(train.labels, 10));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, java.util.Arrays.copyOf(test.labels, 10));
        assertEquals(76247 / 255.0, sum(train.row(0)), 1e-3);
        assertEquals(33456 / 255.0, sum(test.row(0)), 1e-3);
    }

    @Test
    void theRegistryFindsItAndCountsRowsFromTheHeaders() {
        Path dir = RealData.fashionMnist();
        LoadedDataset viaRegistry = Datasets.load("fashion-mnist");
        assertEquals(70_000, viaRegistry.rows());
        DatasetInfo info = Datasets.available().stream().filter(i -> i.name().equals("fashion-mnist"))
                .findFirst().orElseThrow();
        assertEquals(DatasetInfo.Status.READY, info.status());
        assertEquals("60000 train + 10000 test", info.rows());
        assertEquals(dir.toString(), info.where());
    }

    @Test
    void rawAndGzippedFilesReadTheSame(@TempDir Path tmp) throws IOException {
        Path dir = RealData.fashionMnist();
        for (String name : new String[] {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve(name + ".gz")))) {
                Files.copy(in, tmp.resolve(name));
            }
        }
        IdxReader.Images raw = IdxReader.readImages(tmp.resolve("t10k-images-idx3-ubyte"));
        IdxReader.Images gzipped = IdxReader.readImages(dir.resolve("t10k-images-idx3-ubyte.gz"));
        assertEquals(10_000, raw.count());
        assertEquals(28, raw.height());
        assertEquals(28, raw.width());
        assertArrayEquals(gzipped.pixels(), raw.pixels());
        assertArrayEquals(IdxReader.readLabels(dir.resolve("t10k-labels-idx1-ubyte.gz")),
                IdxReader.readLabels(tmp.resolve("t10k-labels-idx1-ubyte")));
        assertTrue(raw.pixel(0, 400) >= 0);
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
