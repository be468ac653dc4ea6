package io.ugmm.datasets;

import java.util.List;

/**
 * Rows of numeric inputs and numeric targets, e.g. for a mixture density network. Arrays are row-major and
 * not copied; read-only by convention.
 *
 * @param name        for messages
 * @param x           {@code rows x inputNames.size()}
 * @param y           {@code rows x targetNames.size()}
 * @param inputNames  one per input column
 * @param targetNames one per target column
 */
public record RegressionData(String name, float[] x, float[] y, List<String> inputNames, List<String> targetNames) {
    public RegressionData {
        inputNames = List.copyOf(inputNames);
        targetNames = List.copyOf(targetNames);
        if (inputNames.isEmpty() || targetNames.isEmpty()) {
            throw new DatasetException(name + ": needs at least one input and one target column, found "
                    + inputNames.size() + " and " + targetNames.size());
        }
        if (x.length % inputNames.size() != 0 || y.length % targetNames.size() != 0
                || x.length / inputNames.size() != y.length / targetNames.size()) {
            throw new DatasetException(name + ": inputs and targets have different row counts");
        }
    }

    public int rows() {
        return x.length / inputNames.size();
    }

    public int inputs() {
        return inputNames.size();
    }

    public int targets() {
        return targetNames.size();
    }
}
