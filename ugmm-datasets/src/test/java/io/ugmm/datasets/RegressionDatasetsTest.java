package io.ugmm.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegressionDatasetsTest {
    @Test
    void bishopInverseFollowsItsDefinition() {
        RegressionDatasets.Loaded data = RegressionDatasets.load("bishop-inverse");
        assertEquals(2000, data.train().rows());
        assertEquals(2000, data.test().rows());
        assertEquals(List.of("t"), data.train().inputNames());
        assertEquals(List.of("x"), data.train().targetNames());
        for (RegressionData part : List.of(data.train(), data.test())) {
            for (int r = 0; r < part.rows(); r++) {
                double x = part.y()[r];
                double t = part.x()[r];
                assertTrue(x >= 0 && x < 1);
                double noise = t - (x + 0.3 * Math.sin(2 * Math.PI * x));
                assertTrue(Math.abs(noise) <= 0.1 + 1e-6, "noise " + noise);
            }
        }
        assertArrayEquals(data.train().x(), BishopInverse.generate(2000, 1).x(), "generated from a seed");
        assertTrue(data.train().x()[0] != data.test().x()[0], "train and test differ");
    }

    @Test
    void csvTargetsByNameOrNumber(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("d.csv");
        Files.writeString(file, "a,b,c\n1,2,3\n4,5,6\n");
        RegressionData byName = RegressionDatasets.load("csv:" + file + "?target=c,a").train();
        assertEquals(List.of("b"), byName.inputNames());
        assertEquals(List.of("c", "a"), byName.targetNames());
        assertArrayEquals(new float[]{2, 5}, byName.x());
        assertArrayEquals(new float[]{3, 1, 6, 4}, byName.y());
        RegressionData byDefault = RegressionDatasets.load("csv:" + file).train();
        assertEquals(List.of("c"), byDefault.targetNames());
        RegressionData byNumber = RegressionDatasets.load("csv:" + file + "?target=2").train();
        assertEquals(List.of("b"), byNumber.targetNames());
        assertTrue(assertThrows(DatasetException.class, () -> RegressionDatasets.load("csv:" + file
                + "?target=a,b,c")).getMessage().contains("every column is a target"));
        assertTrue(assertThrows(DatasetException.class, () -> RegressionDatasets.load("csv:" + file
                + "?target=4")).getMessage().contains("target column 4 does not exist"));
        assertTrue(assertThrows(DatasetException.class, () -> RegressionDatasets.load("iris"))
                .getMessage().contains("unknown regression dataset"));
    }

    @Test
    void unlabelledCsvKeepsEveryColumnAndLabelledReadingIsUnchanged(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("e.csv");
        Files.writeString(file, "1,2\n3,4\n");
        Dataset all = CsvReader.read(file, CsvOptions.defaults().withoutLabel());
        assertEquals(2, all.features());
        assertEquals(1, all.classes());
        Dataset labelled = CsvReader.read(file);
        assertEquals(1, labelled.features());
        assertEquals(5, labelled.classes(), "whole-number labels 2 and 4 number the classes 0..4 as before");
    }
}
