package io.ugmm.datasets;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FaithfulTest {
    @Test
    void theBuiltInOldFaithfulDataIsRsDatasetsFaithful() {
        LoadedDataset loaded = Datasets.load("faithful");
        Dataset d = loaded.train();
        assertEquals(272, d.rows());
        assertEquals(List.of("eruptions", "waiting"), d.featureNames());
        assertEquals(1, d.classes());
        // first and last rows of R's faithful, and its column means (R: mean 3.487783, 70.89706)
        assertEquals(3.6f, d.feature(0, 0));
        assertEquals(79f, d.feature(0, 1));
        assertEquals(4.467f, d.feature(271, 0));
        assertEquals(74f, d.feature(271, 1));
        double e = 0;
        double w = 0;
        for (int r = 0; r < 272; r++) {
            e += d.feature(r, 0);
            w += d.feature(r, 1);
        }
        assertEquals(3.487783, e / 272, 1e-6);
        assertEquals(70.89706, w / 272, 1e-5);
        assertEquals(Faithful.SOURCE, loaded.source());
    }
}
