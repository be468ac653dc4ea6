package io.ugmm.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static io.ugmm.datasets.IdxFiles.gzip;
import static io.ugmm.datasets.IdxFiles.images;
import static io.ugmm.datasets.IdxFiles.labels;
import static io.ugmm.datasets.IdxFiles.write;
import static io.ugmm.datasets.IdxReaderTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void availableListsTheNamedDatasets() {
        List<DatasetInfo> all = Datasets.available();
        assertEquals(List.of("iris", "faithful", "fashion-mnist", "mnist-digits"),
                all.stream().map(DatasetInfo::name).collect(Collectors.toList()));
        DatasetInfo iris = all.get(0);
        assertEquals(DatasetInfo.Status.READY, iris.status());
        assertEquals("150 rows", iris.rows());
        for (DatasetInfo info : all) {
            assertFalse(info.howToGet().isEmpty());
            assertFalse(info.where().isEmpty());
        }
    }

    @Test
    void idxDirectoryWithTrainAndTestParts() {
        write(dir, "train-images-idx3-ubyte.gz", gzip(images(4, 2, 2, 0)));
        write(dir, "train-labels-idx1-ubyte.gz", gzip(labels(0, 1, 2, 1)));
        write(dir, "t10k-images.idx3-ubyte", images(2, 2, 2, 9)); // raw, and the dotted spelling
        write(dir, "t10k-labels.idx1-ubyte", labels(3, 0));
        LoadedDataset loaded = Datasets.load("idx:" + dir);
        assertEquals(4, loaded.train().rows());
        assertEquals(2, loaded.test().orElseThrow().rows());
        assertEquals(4, loaded.train().features());
        assertEquals(List.of("0", "1", "2", "3"), loaded.train().classNames(), "classes numbered up to the largest label of either part");
        assertEquals(dir.toString(), loaded.source());
        Split split = loaded.trainTest(0.5, 1);
        assertEquals(2, split.test().rows(), "the shipped test part, not a new split");
    }

    @Test
    void idxDirectoryWhoseCountsDisagree() {
        write(dir, "train-images-idx3-ubyte", images(3, 2, 2, 0));
        write(dir, "train-labels-idx1-ubyte", labels(0, 1));
        assertContains(assertThrows(DatasetException.class, () -> Datasets.load("idx:" + dir)),
                "image and label counts disagree");
    }

    @Test
    void idxDirectoryWithHalfATestPair() {
        write(dir, "train-images-idx3-ubyte", images(2, 2, 2, 0));
        write(dir, "train-labels-idx1-ubyte", labels(0, 1));
        write(dir, "t10k-labels-idx1-ubyte", labels(0));
        assertContains(assertThrows(DatasetException.class, () -> Datasets.load("idx:" + dir)),
                "has test labels but no test images");
    }

    @Test
    void fashionMnistInAUserDirectoryIsNamedByItsClasses() {
        write(dir, "train-images-idx3-ubyte.gz", gzip(images(2, 28, 28, 0)));
        write(dir, "train-labels-idx1-ubyte.gz", gzip(labels(9, 0)));
        LoadedDataset loaded = Datasets.load("fashion-mnist:" + dir);
        assertEquals("Ankle boot", loaded.train().className(loaded.train().label(0)));
        assertFalse(loaded.hasTest());
    }

    @Test
    void missingDirectoriesSayWhereWeLookedAndHowToInstall() {
        Path nowhere = dir.resolve("nowhere");
        DatasetException fashion = assertThrows(DatasetException.class, () -> Datasets.load("fashion-mnist:" + nowhere));
        assertContains(fashion, "directory " + nowhere + " does not exist");
        assertContains(fashion, "apt-get install dataset-fashion-mnist");

        DatasetException digits = assertThrows(DatasetException.class, () -> Datasets.load("mnist-digits:" + nowhere));
        assertContains(digits, "directory " + nowhere + " does not exist");
        assertContains(digits, "scripts/fetch-mnist-digits.sh");

        assertContains(assertThrows(DatasetException.class, () -> Datasets.load("idx:" + nowhere)), "does not exist");
    }

    @Test
    void notFoundOnTheSearchPathListsEveryPlace() {
        List<Path> places = List.of(dir.resolve("a"), dir.resolve("b"), dir.resolve("c"));
        DatasetException fashion = assertThrows(DatasetException.class, () -> FashionMnist.load(places));
        assertContains(fashion, "Fashion-MNIST not found: looked in " + places.get(0) + ", " + places.get(1) + " and "
                + places.get(2) + ". Install it with 'apt-get install dataset-fashion-mnist'");
        DatasetException digits = assertThrows(DatasetException.class, () -> MnistDigits.load(places));
        assertContains(digits, "MNIST digits not found: looked in " + places.get(0));
        assertContains(digits, "scripts/fetch-mnist-digits.sh");
    }

    @Test
    void anExistingDirectoryWithoutTheFilesListsWhatItHolds() throws IOException {
        Files.writeString(dir.resolve("readme.txt"), "hi");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.load("fashion-mnist:" + dir));
        assertContains(e, "no train-images-idx3-ubyte.gz (or train-images-idx3-ubyte) in " + dir + "; it holds readme.txt");
        assertContains(assertThrows(DatasetException.class, () -> Datasets.load("mnist-digits:" + dir)),
                "found no 0.json ... 9.json in " + dir);
    }

    @Test
    void csvSpecWithOptionsAndATestFile() throws IOException {
        Path train = Files.writeString(dir.resolve("train.csv"), "species;x;y\nb;1;2\na;3;4\nb;5;6\n");
        Path test = Files.writeString(dir.resolve("test.csv"), "species;x;y\na;7;8\n");
        LoadedDataset loaded = Datasets.load("csv:" + train + "?label=species&delimiter=semicolon&header=yes&test=" + test);
        assertEquals("train", loaded.name());
        assertEquals(List.of("a", "b"), loaded.train().classNames());
        assertArrayEquals(new int[] {1, 0, 1}, loaded.train().labels);
        assertArrayEquals(new int[] {0}, loaded.test().orElseThrow().labels);
        assertArrayEquals(new float[] {7, 8}, loaded.test().orElseThrow().features);
        assertEquals(3, Datasets.load("csv:" + train + "?label=1&delimiter=;").train().rows());
    }

    @Test
    void badSpecs() {
        assertContains(assertThrows(DatasetException.class, () -> Datasets.load("cifar-10")),
                "unknown dataset 'cifar-10'; known: iris, faithful, fashion-mnist, mnist-digits, csv:PATH, idx:DIR");
        assertContains(assertThrows(DatasetException.class, () -> Datasets.load("faithful:/x.csv")), "built in");
        assertContains(assertThrows(DatasetException.class, () -> Datasets.load("csv")), "needs a path");
        assertContains(assertThrows(DatasetException.class, () -> Datasets.load("idx:")), "names no path");
        assertContains(assertThrows(DatasetException.class, () -> Datasets.load("iris:/x.csv")), "built in");
        assertContains(assertThrows(DatasetException.class, () -> Datasets.load("csv:a.csv?colour=red")),
                "unknown csv option 'colour'");
        assertContains(assertThrows(DatasetException.class, () -> Datasets.load("csv:a.csv?header=maybe")),
                "expected auto, yes or no");
        assertTrue(Datasets.SPEC_FORMS.size() >= 5);
    }
}
