package io.ugmm.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Datasets with numeric targets, e.g. for mixture density networks:
 * <ul>
 *   <li>{@code bishop-inverse}: built in, generated ({@link BishopInverse}), 2000 train + 2000 test rows;</li>
 *   <li>{@code csv:PATH?target=COL[,COL...]}: a numeric CSV; the target columns by header name or 1-based
 *       number (default: the last column), every other column is an input. Further options joined by
 *       {@code &}: {@code test=PATH} (a test file with the same columns), {@code header=auto|yes|no},
 *       {@code delimiter=comma|semicolon|tab|CHAR}.</li>
 * </ul>
 */
public final class RegressionDatasets {
    public static final List<String> SPEC_FORMS = List.of(
            BishopInverse.NAME + "  (built in: t = x + 0.3 sin(2 pi x) + noise; predict x from t)",
            "csv:PATH[?target=COL[,COL...]&test=PATH&header=auto|yes|no&delimiter=comma|semicolon|tab]");

    private RegressionDatasets() {
    }

    /** A training part, an optional test part ({@code null} when none), and where they came from. */
    public record Loaded(RegressionData train, RegressionData test, String source) {
    }

    public static Loaded load(String spec) {
        String trimmed = spec.trim();
        if (trimmed.equals(BishopInverse.NAME)) {
            RegressionData[] parts = BishopInverse.trainAndTest();
            return new Loaded(parts[0], parts[1], "generated (seeds " + BishopInverse.TRAIN_SEED + " and "
                    + BishopInverse.TEST_SEED + ")");
        }
        if (!trimmed.startsWith("csv:") || trimmed.length() == 4) {
            throw new DatasetException("unknown regression dataset '" + spec + "'; expected " + BishopInverse.NAME
                    + " or csv:PATH?target=COL[,COL...]");
        }
        String argument = trimmed.substring(4);
        String[] testPath = {null};
        String[] targets = {null};
        CsvOptions[] options = {CsvOptions.defaults().withoutLabel()};
        String path = Datasets.splitOptions(argument, (key, value) -> {
            switch (key) {
                case "target" -> targets[0] = value;
                case "test" -> testPath[0] = value;
                case "header" -> options[0] = options[0].header(Datasets.header(value));
                case "delimiter" -> options[0] = options[0].delimiter(Datasets.delimiter(value));
                default -> throw new DatasetException("unknown csv option '" + key
                        + "'; known: target, test, header, delimiter");
            }
        });
        Dataset train = CsvReader.read(Path.of(path), options[0]);
        List<Integer> targetColumns = targetColumns(train, targets[0], path);
        RegressionData trainPart = split(train, targetColumns);
        RegressionData testPart = null;
        if (testPath[0] != null) {
            Dataset test = CsvReader.read(Path.of(testPath[0]), options[0]);
            if (test.features() != train.features()) {
                throw new DatasetException(testPath[0] + ": has " + test.features() + " columns, the training file "
                        + train.features());
            }
            testPart = split(test, targetColumns);
        }
        return new Loaded(trainPart, testPart, path + (testPath[0] == null ? "" : " + " + testPath[0]));
    }

    private static List<Integer> targetColumns(Dataset data, String spec, String path) {
        List<String> names = data.featureNames();
        List<Integer> columns = new ArrayList<>();
        if (spec == null) {
            columns.add(names.size() - 1);
        } else {
            for (String part : spec.split(",", -1)) {
                String s = part.trim();
                int column;
                if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                    column = Integer.parseInt(s) - 1;
                    if (column < 0 || column >= names.size()) {
                        throw new DatasetException(path + ": target column " + s + " does not exist: the file has "
                                + names.size() + " columns");
                    }
                } else {
                    column = names.indexOf(s);
                    if (column < 0) {
                        throw new DatasetException(path + ": no column named '" + s + "'; the columns are "
                                + String.join(", ", names));
                    }
                }
                if (columns.contains(column)) {
                    throw new DatasetException(path + ": target column '" + s + "' is named twice");
                }
                columns.add(column);
            }
        }
        if (columns.size() >= names.size()) {
            throw new DatasetException(path + ": every column is a target; at least one input column must remain");
        }
        return columns;
    }

    private static RegressionData split(Dataset data, List<Integer> targetColumns) {
        int columns = data.features();
        int rows = data.rows();
        int targets = targetColumns.size();
        int inputs = columns - targets;
        float[] x = new float[rows * inputs];
        float[] y = new float[rows * targets];
        List<String> inputNames = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            if (!targetColumns.contains(c)) {
                inputNames.add(data.featureNames().get(c));
            }
        }
        List<String> targetNames = new ArrayList<>();
        for (int c : targetColumns) {
            targetNames.add(data.featureNames().get(c));
        }
        for (int r = 0; r < rows; r++) {
            int xi = 0;
            for (int c = 0; c < columns; c++) {
                int t = targetColumns.indexOf(c);
                if (t >= 0) {
                    y[r * targets + t] = data.feature(r, c);
                } else {
                    x[r * inputs + xi++] = data.feature(r, c);
                }
            }
        }
        return new RegressionData(data.name(), x, y, inputNames, targetNames);
    }
}
