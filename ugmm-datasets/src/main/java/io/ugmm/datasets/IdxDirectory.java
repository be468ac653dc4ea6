package io.ugmm.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A directory laid out like the MNIST downloads: {@code train-images-idx3-ubyte.gz},
 * {@code train-labels-idx1-ubyte.gz} and optionally the {@code t10k-} test pair, each gzip-compressed
 * or not, with {@code -idx3} or {@code .idx3} before the type (both spellings circulate).
 */
final class IdxDirectory {
    private IdxDirectory() {
    }

    /** True if {@code dir} holds at least the training images and labels. */
    static boolean looksComplete(Path dir) {
        return find(dir, "train", "images", "idx3") != null && find(dir, "train", "labels", "idx1") != null;
    }

    /**
     * Loads the training pair and, if present, the test pair.
     *
     * @param classNames class names, or null to number the classes 0..max label
     * @param howToGet   what to tell a user whose directory is missing or incomplete
     */
    static LoadedDataset load(String name, Path dir, List<String> classNames, String howToGet) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(name + ": " + (Files.exists(dir) ? dir + " is not a directory"
                    : "directory " + dir + " does not exist") + ". " + howToGet);
        }
        Path trainImages = require(name, dir, "train", "images", "idx3", howToGet);
        Path trainLabels = require(name, dir, "train", "labels", "idx1", howToGet);
        Path testImages = find(dir, "t10k", "images", "idx3");
        Path testLabels = find(dir, "t10k", "labels", "idx1");
        if ((testImages == null) != (testLabels == null)) {
            throw new DatasetException(name + ": " + dir + " has test " + (testImages == null ? "labels" : "images")
                    + " but no test " + (testImages == null ? "images" : "labels")
                    + " (t10k-" + (testImages == null ? "images-idx3" : "labels-idx1") + "-ubyte[.gz])");
        }
        boolean hasTest = testImages != null;
        List<String> classes = classNames;
        if (classes == null) {
            int maxLabel = max(IdxReader.readLabels(trainLabels));
            if (hasTest) {
                maxLabel = Math.max(maxLabel, max(IdxReader.readLabels(testLabels)));
            }
            classes = Dataset.numberedNames(maxLabel + 1);
        }
        Dataset train = IdxReader.readDataset(name + "/train", trainImages, trainLabels, classes);
        Dataset test = hasTest ? IdxReader.readDataset(name + "/test", testImages, testLabels, classes) : null;
        if (test != null && test.features() != train.features()) {
            throw new DatasetException(name + ": training images have " + train.features()
                    + " pixels but test images have " + test.features() + " (" + trainImages + ", " + testImages + ")");
        }
        return new LoadedDataset(name, train, test, dir.toString());
    }

    /** Row counts from the headers alone: {train, test} with test -1 when absent. */
    static int[] counts(Path dir) {
        int train = IdxReader.readHeader(find(dir, "train", "labels", "idx1"), IdxReader.LABELS_MAGIC).count();
        Path testLabels = find(dir, "t10k", "labels", "idx1");
        int test = testLabels == null ? -1 : IdxReader.readHeader(testLabels, IdxReader.LABELS_MAGIC).count();
        return new int[] {train, test};
    }

    /** The file for e.g. ("train", "images", "idx3"), in any of the usual spellings, or null. */
    static Path find(Path dir, String part, String kind, String idxType) {
        for (String separator : new String[] {"-", "."}) {
            for (String suffix : new String[] {".gz", ""}) {
                Path candidate = dir.resolve(part + "-" + kind + separator + idxType + "-ubyte" + suffix);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static Path require(String name, Path dir, String part, String kind, String idxType, String howToGet) {
        Path file = find(dir, part, kind, idxType);
        if (file == null) {
            throw new DatasetException(name + ": no " + part + "-" + kind + "-" + idxType + "-ubyte.gz (or "
                    + part + "-" + kind + "-" + idxType + "-ubyte) in " + dir + "; it holds " + listing(dir)
                    + ". " + howToGet);
        }
        return file;
    }

    private static String listing(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            if (names.isEmpty()) {
                return "nothing";
            }
            return names.size() <= 8 ? String.join(", ", names)
                    : String.join(", ", names.subList(0, 8)) + " and " + (names.size() - 8) + " more";
        } catch (IOException e) {
            return "files that cannot be listed (" + e.getMessage() + ")";
        }
    }

    private static int max(int[] values) {
        int max = 0;
        for (int v : values) {
            max = Math.max(max, v);
        }
        return max;
    }
}
