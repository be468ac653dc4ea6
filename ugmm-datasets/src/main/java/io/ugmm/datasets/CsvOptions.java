package io.ugmm.datasets;

import java.util.List;

/**
 * How to read a CSV file: whether the first line is a header, which column holds the label, the field
 * delimiter, and optionally a fixed list of class names. Immutable; each setter returns a new copy.
 * The defaults: header detected, label in the last column, comma-separated, classes taken from the data.
 */
public final class CsvOptions {
    /** Whether the first non-blank line names the columns. */
    public enum Header {
        /** A header if any of its feature fields is neither empty nor a number. */
        AUTO,
        PRESENT,
        ABSENT
    }

    private final Header header;
    private final String labelColumnName;
    private final int labelColumnNumber;
    private final char delimiter;
    private final List<String> classNames;
    /** No label column: every column is a feature (e.g. for regression, where the caller picks targets). */
    private final boolean unlabelled;

    private CsvOptions(Header header, String labelColumnName, int labelColumnNumber, char delimiter,
                       List<String> classNames) {
        this(header, labelColumnName, labelColumnNumber, delimiter, classNames, false);
    }

    private CsvOptions(Header header, String labelColumnName, int labelColumnNumber, char delimiter,
                       List<String> classNames, boolean unlabelled) {
        this.header = header;
        this.labelColumnName = labelColumnName;
        this.labelColumnNumber = labelColumnNumber;
        this.delimiter = delimiter;
        this.classNames = classNames;
        this.unlabelled = unlabelled;
    }

    /**
     * Every column is a numeric feature and there is no label (every row gets class 0 of one class named
     * {@code "-"}); e.g. for regression, where the caller picks the target columns by name.
     */
    public CsvOptions withoutLabel() {
        return new CsvOptions(header, null, 0, delimiter, null, true);
    }

    /** Whether {@link #withoutLabel()} was chosen. */
    public boolean unlabelled() {
        return unlabelled;
    }

    public static CsvOptions defaults() {
        return new CsvOptions(Header.AUTO, null, 0, ',', null);
    }

    public CsvOptions header(Header newHeader) {
        return new CsvOptions(newHeader, labelColumnName, labelColumnNumber, delimiter, classNames, unlabelled);
    }

    /** The label is in the column with this header name (implies a header). */
    public CsvOptions labelColumnName(String name) {
        return new CsvOptions(header, name, 0, delimiter, classNames);
    }

    /** The label is in this column, counting from 1. */
    public CsvOptions labelColumnNumber(int oneBased) {
        if (oneBased < 1) {
            throw new DatasetException("label column numbers count from 1, found " + oneBased);
        }
        return new CsvOptions(header, null, oneBased, delimiter, classNames);
    }

    /** A column number if {@code nameOrNumber} is all digits, otherwise a header name. */
    public CsvOptions labelColumn(String nameOrNumber) {
        String s = nameOrNumber.trim();
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit)
                ? labelColumnNumber(Integer.parseInt(s)) : labelColumnName(s);
    }

    /** The label is in the last column (the default). */
    public CsvOptions lastColumnIsLabel() {
        return new CsvOptions(header, null, 0, delimiter, classNames);
    }

    public CsvOptions delimiter(char newDelimiter) {
        if (newDelimiter == '"' || newDelimiter == '\n' || newDelimiter == '\r') {
            throw new DatasetException("a CSV delimiter cannot be a quote or a line break");
        }
        return new CsvOptions(header, labelColumnName, labelColumnNumber, newDelimiter, classNames, unlabelled);
    }

    /**
     * Fixes the classes and their order, e.g. to read a test file with the training file's classes. Each
     * label must then be one of these names, or a whole number below their count.
     */
    public CsvOptions classNames(List<String> names) {
        return new CsvOptions(header, labelColumnName, labelColumnNumber, delimiter, List.copyOf(names));
    }

    public Header header() {
        return header;
    }

    /** The label column's header name, or null. */
    public String labelColumnName() {
        return labelColumnName;
    }

    /** The label column's 1-based number, or 0 when given by name or when it is the last column. */
    public int labelColumnNumber() {
        return labelColumnNumber;
    }

    public char delimiter() {
        return delimiter;
    }

    /** The fixed class names, or null to take them from the data. */
    public List<String> classNames() {
        return classNames;
    }
}
