package io.ugmm.datasets;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StandardizerTest {
    private static final List<String> THREE = List.of("a", "b", "constant");
    private static final List<String> ONE_CLASS = List.of("c");

    private static Dataset rows(float... values) {
        return new Dataset("d", values, new int[values.length / 3], 3, THREE, ONE_CLASS);
    }

    @Test
    void trainingPartBecomesZeroMeanUnitVariance() {
        Dataset train = rows(1, 10, 5, 2, 20, 5, 3, 30, 5, 6, 40, 5);
        Standardizer s = Standardizer.fit(train);
        assertArrayEquals(new double[] {3, 25, 5}, s.means(), 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(3.5), Math.sqrt(125), 0}, s.standardDeviations(), 1e-12);
        Dataset z = s.apply(train);
        for (int f = 0; f < 2; f++) {
            double mean = 0;
            double square = 0;
            for (int r = 0; r < z.rows(); r++) {
                mean += z.feature(r, f);
                square += z.feature(r, f) * z.feature(r, f);
            }
            assertEquals(0, mean / z.rows(), 1e-6);
            assertEquals(1, square / z.rows(), 1e-6);
        }
    }

    @Test
    void testPartUsesTheTrainingStatisticsOnly() {
        Dataset train = rows(0, 0, 7, 2, 4, 7);      // means 1, 2, 7; stds 1, 2, 0
        Dataset test = rows(10, 100, 8, 12, 200, 6); // very different statistics of its own
        Dataset z = Standardizer.fit(train).apply(test);
        assertArrayEquals(new float[] {9, 49, 1, 11, 99, -1}, z.features, 1e-6f);
        // refitting on the test part would have given something else entirely
        assertArrayEquals(new float[] {-1, -1, 1, 1, 1, -1}, Standardizer.fit(test).apply(test).features, 1e-6f);
    }

    @Test
    void constantFeaturesAreCentredNotDividedByZero() {
        Standardizer s = Standardizer.fit(rows(1, 2, 0.3f, 3, 4, 0.3f, 5, 6, 0.3f));
        assertEquals(1, s.constantFeatures());
        float[] z = s.apply(new float[] {1, 2, 0.3f, 1, 2, 1.3f});
        for (float v : z) {
            assertTrue(Float.isFinite(v));
        }
        assertEquals(0, z[2], 1e-6f);
        assertEquals(1, z[5], 1e-6f);
    }

    @Test
    void inPlaceAndArrayFormsAgreeWithTheDatasetForm() {
        Dataset train = rows(1, 10, 5, 2, 20, 5, 3, 30, 4);
        Standardizer s = Standardizer.fit(train);
        float[] copy = train.features.clone();
        s.applyInPlace(copy);
        assertArrayEquals(s.apply(train).features, copy);
        assertArrayEquals(copy, s.apply(train.features));
    }

    @Test
    void mismatchesAreErrors() {
        Standardizer s = Standardizer.fit(rows(1, 2, 3));
        Dataset two = new Dataset("two", new float[] {1, 2}, new int[1], 2, List.of("a", "b"), ONE_CLASS);
        assertTrue(assertThrows(DatasetException.class, () -> s.apply(two)).getMessage()
                .contains("two has 2 features; this standardizer was fitted on 3"));
        assertThrows(IllegalArgumentException.class, () -> s.apply(new float[4]));
        assertThrows(DatasetException.class, () -> Standardizer.fit(rows()));
    }
}
