package io.ugmm.datasets;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetTest {

    /** Row r has features (r, -r) and label r mod classes, so a row's origin is readable from its values. */
    static Dataset numbered(int rows, int classes) {
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            x[2 * r] = r;
            x[2 * r + 1] = -r;
            y[r] = r % classes;
        }
        return new Dataset("numbered", x, y, 2, List.of("id", "minus id"), Dataset.numberedNames(classes));
    }

    private static int[] ids(Dataset d) {
        int[] ids = new int[d.rows()];
        for (int r = 0; r < d.rows(); r++) {
            ids[r] = (int) d.feature(r, 0);
            assertEquals(-ids[r], d.feature(r, 1));
            assertEquals(ids[r] % d.classes(), d.label(r), "label travels with its row");
        }
        return ids;
    }

    @Test
    void accessorsAndHistogram() {
        Dataset d = numbered(7, 3);
        assertEquals(7, d.rows());
        assertEquals(2, d.features());
        assertEquals(3, d.classes());
        assertArrayEquals(new float[] {4, -4}, d.row(4));
        assertArrayEquals(new int[] {3, 2, 2}, d.labelHistogram());
        assertEquals("0 3, 1 2, 2 2", d.labelHistogramText());
        assertEquals("numbered: 7 rows x 2 features, 3 classes", d.toString());
    }

    @Test
    void shuffleIsASeededPermutation() {
        Dataset d = numbered(1000, 4);
        int[] a = ids(d.shuffled(42));
        assertArrayEquals(a, ids(d.shuffled(42)), "same seed, same order");
        assertFalse(Arrays.equals(a, ids(d.shuffled(43))), "another seed, another order");
        assertFalse(Arrays.equals(a, ids(d)), "actually shuffled");
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(ids(d), sorted, "a permutation: every row once");
    }

    @Test
    void splitIsStratifiedDisjointCompleteAndDeterministic() {
        // classes of 300, 200, 100 rows (labels 0,0,0,1,1,2 repeating)
        int rows = 600;
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        int[] pattern = {0, 0, 0, 1, 1, 2};
        for (int r = 0; r < rows; r++) {
            x[2 * r] = r;
            x[2 * r + 1] = -r;
            y[r] = pattern[r % 6];
        }
        Dataset d = new Dataset("skewed", x, y, 2, List.of("id", "minus id"), List.of("a", "b", "c"));
        Split split = d.split(0.25, 7);
        assertArrayEquals(new int[] {225, 150, 75}, split.train().labelHistogram());
        assertArrayEquals(new int[] {75, 50, 25}, split.test().labelHistogram());
        assertEquals("skewed/train", split.train().name());
        assertEquals("skewed/test", split.test().name());

        Set<Integer> seen = new HashSet<>();
        for (Dataset part : List.of(split.train(), split.test())) {
            for (int r = 0; r < part.rows(); r++) {
                int id = (int) part.feature(r, 0);
                assertTrue(seen.add(id), "row " + id + " in both parts");
                assertEquals(y[id], part.label(r));
            }
        }
        assertEquals(rows, seen.size());

        Split again = d.split(0.25, 7);
        assertArrayEquals(split.train().features, again.train().features);
        assertArrayEquals(split.test().labels, again.test().labels);
        assertFalse(Arrays.equals(split.test().features, d.split(0.25, 8).test().features));
    }

    @Test
    void splitKeepsEveryClassOnBothSidesAndRejectsBadFractions() {
        Dataset d = numbered(9, 3); // 3 rows per class; 0.01 would round to 0
        Split split = d.split(0.01, 1);
        assertArrayEquals(new int[] {1, 1, 1}, split.test().labelHistogram());
        assertArrayEquals(new int[] {2, 2, 2}, split.train().labelHistogram());
        assertArrayEquals(new int[] {1, 1, 1}, d.split(0.99, 1).train().labelHistogram());
        assertThrows(IllegalArgumentException.class, () -> d.split(0, 1));
        assertThrows(IllegalArgumentException.class, () -> d.split(1, 1));
        assertThrows(IllegalArgumentException.class, () -> d.split(Double.NaN, 1));
    }

    @Test
    void subsetsCopyRows() {
        Dataset d = numbered(10, 2);
        assertArrayEquals(new int[] {3, 3, 0}, ids(d.subset(new int[] {3, 3, 0})));
        assertArrayEquals(new int[] {2, 3, 4}, ids(d.subset(2, 5)));
        assertEquals(0, d.subset(4, 4).rows());
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(new int[] {10}));
        assertThrows(IndexOutOfBoundsException.class, () -> d.subset(5, 11));
    }

    @Test
    void pixelScalingChecksTheRange() {
        Dataset pixels = new Dataset("p", new float[] {0, 51, 255, 102}, new int[] {0, 1}, 2,
                List.of("p0", "p1"), List.of("x", "y"));
        assertArrayEquals(new float[] {0, 0.2f, 1, 0.4f}, pixels.pixelsScaledToUnitRange().features, 1e-7f);
        Dataset notPixels = numbered(3, 1); // holds negative values
        assertTrue(assertThrows(DatasetException.class, notPixels::pixelsScaledToUnitRange).getMessage()
                .contains("row 2, feature 2 (counting from 1) is -1.0; pixel scaling expects values from 0 to 255"));
    }

    @Test
    void labelCanBecomeOneMoreFeature() {
        Dataset d = numbered(4, 3).withLabelAsFeature();
        assertEquals(3, d.features());
        assertEquals(List.of("id", "minus id", "label"), d.featureNames());
        assertArrayEquals(new float[] {0, 0, 0, 1, -1, 1, 2, -2, 2, 3, -3, 0}, d.features);
        assertArrayEquals(new int[] {0, 1, 2, 0}, d.labels);
    }

    @Test
    void originalIsNeverModified() {
        Dataset d = numbered(50, 5);
        float[] before = d.features.clone();
        d.shuffled(1);
        d.split(0.3, 1);
        d.scaled(2);
        d.withLabelAsFeature();
        Standardizer.fit(d).apply(d);
        assertArrayEquals(before, d.features);
    }

    @Test
    void constructorRejectsInconsistentShapes() {
        List<String> two = List.of("a", "b");
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new float[5], new int[2], 2, two, two));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new float[4], new int[2], 2, List.of("a"), two));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new float[4], new int[] {0, 2}, 2, two, two));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", new float[0], new int[0], 0, List.of(), two));
        assertNotEquals(0, new Dataset("x", new float[0], new int[0], 2, two, two).features());
    }
}
