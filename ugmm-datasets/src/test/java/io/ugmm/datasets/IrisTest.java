package io.ugmm.datasets;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class IrisTest {
    private final Dataset iris = Iris.load();

    @Test
    void has150RowsOf4FeaturesAnd50PerClass() {
        assertEquals(150, iris.rows());
        assertEquals(4, iris.features());
        assertEquals(List.of("setosa", "versicolor", "virginica"), iris.classNames());
        assertArrayEquals(new int[] {50, 50, 50}, iris.labelHistogram());
        assertEquals(List.of("sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"),
                iris.featureNames());
    }

    @Test
    void valuesAreFishersIncludingTheTwoRowsUciGotWrong() {
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 0.2f}, iris.row(0));
        assertArrayEquals(new float[] {4.9f, 3.1f, 1.5f, 0.2f}, iris.row(34)); // UCI: petal width 0.1
        assertArrayEquals(new float[] {4.9f, 3.6f, 1.4f, 0.1f}, iris.row(37)); // UCI: 4.9, 3.1, 1.5, 0.1
        assertArrayEquals(new float[] {5.9f, 3.0f, 5.1f, 1.8f}, iris.row(149));
        assertEquals(0, iris.label(0));
        assertEquals(1, iris.label(50));
        assertEquals(2, iris.label(149));
        assertEquals(0.1f, iris.minValue());
        assertEquals(7.9f, iris.maxValue());
    }

    @Test
    void sumsMatchTheFile() {
        // Column sums of the resource, computed independently: awk -F, 'NR>1{a+=$1;b+=$2;c+=$3;d+=$4} END{print a,b,c,d}'
        double[] sums = new double[4];
        for (int r = 0; r < iris.rows(); r++) {
            for (int f = 0; f < 4; f++) {
                sums[f] += iris.feature(r, f);
            }
        }
        assertArrayEquals(new double[] {876.5, 458.6, 563.7, 179.9}, sums, 1e-3);
    }

    @Test
    void theRegistryServesItWithoutATestPart() {
        LoadedDataset loaded = Datasets.load("iris");
        assertEquals(150, loaded.train().rows());
        assertEquals(false, loaded.hasTest());
        Split split = loaded.trainTest(0.2, 7);
        assertArrayEquals(new int[] {40, 40, 40}, split.train().labelHistogram());
        assertArrayEquals(new int[] {10, 10, 10}, split.test().labelHistogram());
    }
}
