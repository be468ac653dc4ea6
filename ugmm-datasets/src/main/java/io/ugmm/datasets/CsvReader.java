package io.ugmm.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a CSV file of numeric features and one label column into a {@link Dataset}.
 *
 * <p>Labels may be whole numbers (then label {@code k} is class {@code k} and the classes are named
 * "0" to the largest label) or any text (then the distinct labels, sorted, become the class names, so
 * the mapping does not depend on the order of the rows). Fields may be double-quoted, with {@code ""}
 * for a quote inside; a quoted field cannot span lines. Blank lines are skipped. Every error names the
 * file, the line and the column (both counted from 1).
 */
public final class CsvReader {
    // Plain decimal numbers only: Float.parseFloat would also take "NaN", "Infinity", "0x1p3" and "1f".
    private static final Pattern NUMBER = Pattern.compile("[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern NON_FINITE = Pattern.compile("[+-]?(nan|inf|infinity)");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

    private final String source;
    private final CsvOptions options;

    private int columns = -1;
    private int firstDataLine;
    private int labelColumn;
    private List<String> headerNames;
    private float[] values = new float[1024];
    private int valueCount;
    private final List<String> labelTexts = new ArrayList<>();
    private int[] rowLines = new int[256];

    private CsvReader(String source, CsvOptions options) {
        this.source = source;
        this.options = options;
    }

    /** Reads {@code file} (UTF-8) with the default options. */
    public static Dataset read(Path file) {
        return read(file, CsvOptions.defaults());
    }

    /** Reads {@code file} (UTF-8); the dataset is named after the file, without its extension. */
    public static Dataset read(Path file, CsvOptions options) {
        if (Files.isDirectory(file)) {
            throw new DatasetException(file + ": is a directory; expected a CSV file");
        }
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new CsvReader(file.toString(), options).read(reader);
        } catch (NoSuchFileException e) {
            throw new DatasetException(file + ": no such file", e);
        } catch (CharacterCodingException e) {
            throw new DatasetException(file + ": not UTF-8 text (" + e + ")", e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read: " + e, e);
        }
    }

    /** Reads CSV text; {@code source} names it in messages and, without directory and extension, names the dataset. */
    public static Dataset read(String source, Reader text, CsvOptions options) {
        try (BufferedReader reader = new BufferedReader(text)) {
            return new CsvReader(source, options).read(reader);
        } catch (IOException e) {
            throw new DatasetException(source + ": cannot read: " + e, e);
        }
    }

    private Dataset read(BufferedReader reader) throws IOException {
        int lineNumber = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // byte-order mark some spreadsheet programs write
            }
            if (line.isBlank()) {
                continue;
            }
            List<String> fields = split(line, lineNumber);
            if (columns < 0 && firstLine(fields, lineNumber)) {
                continue; // it was the header
            }
            row(fields, lineNumber);
        }
        if (columns < 0) {
            throw new DatasetException(source + ": file is empty (no header and no data rows)");
        }
        if (labelTexts.isEmpty()) {
            throw new DatasetException(source + ": has a header but no data rows");
        }
        return build();
    }

    /** Fixes the column count and label column from the first line; returns true if it is a header. */
    private boolean firstLine(List<String> fields, int lineNumber) {
        columns = fields.size();
        if (columns < 2) {
            throw new DatasetException(source + " line " + lineNumber + ": found 1 field, but a dataset needs at least"
                    + " one feature column and a label column (is the delimiter '" + options.delimiter() + "' right?)");
        }
        boolean header = isHeader(fields);
        labelColumn = labelColumnIndex(header ? fields : null, lineNumber);
        if (header) {
            headerNames = fields;
            return true;
        }
        firstDataLine = lineNumber;
        return false;
    }

    private boolean isHeader(List<String> fields) {
        switch (options.header()) {
            case PRESENT:
                return true;
            case ABSENT:
                return false;
            default:
                if (options.labelColumnName() != null) {
                    return true;
                }
                int label = options.labelColumnNumber() > 0 ? options.labelColumnNumber() - 1 : fields.size() - 1;
                for (int c = 0; c < fields.size(); c++) {
                    // an empty field is a data error to report, not a sign of a header
                    if (c != label && !fields.get(c).isEmpty() && !NUMBER.matcher(fields.get(c)).matches()) {
                        return true;
                    }
                }
                return false;
        }
    }

    private int labelColumnIndex(List<String> header, int lineNumber) {
        if (options.labelColumnName() != null) {
            String wanted = options.labelColumnName();
            if (header == null) {
                throw new DatasetException(source + ": the label column is named '" + wanted
                        + "' but the file is read without a header; give its number instead");
            }
            int exact = header.indexOf(wanted);
            if (exact >= 0) {
                return exact;
            }
            for (int c = 0; c < header.size(); c++) {
                if (header.get(c).equalsIgnoreCase(wanted)) {
                    return c;
                }
            }
            throw new DatasetException(source + " line " + lineNumber + ": no column named '" + wanted
                    + "'; the header has " + String.join(", ", header));
        }
        int number = options.labelColumnNumber();
        if (number > columns) {
            throw new DatasetException(source + " line " + lineNumber + ": label column " + number
                    + " does not exist: the line has " + columns + " fields");
        }
        return number > 0 ? number - 1 : columns - 1;
    }

    private void row(List<String> fields, int lineNumber) {
        if (fields.size() != columns) {
            String reference = headerNames != null ? "the header" : "line " + firstDataLine;
            throw new DatasetException(source + " line " + lineNumber + ": expected " + columns + " fields (as in "
                    + reference + "), found " + fields.size());
        }
        if (valueCount + columns > values.length) {
            values = Arrays.copyOf(values, Math.max(values.length * 2, valueCount + columns));
        }
        for (int c = 0; c < columns; c++) {
            if (c != labelColumn) {
                values[valueCount++] = number(fields.get(c), lineNumber, c);
            }
        }
        String label = fields.get(labelColumn);
        if (label.isEmpty()) {
            throw new DatasetException(where(lineNumber, labelColumn) + ": the label is empty");
        }
        if (labelTexts.size() == rowLines.length) {
            rowLines = Arrays.copyOf(rowLines, rowLines.length * 2);
        }
        rowLines[labelTexts.size()] = lineNumber;
        labelTexts.add(label);
    }

    private float number(String field, int lineNumber, int column) {
        return parseNumber(field, where(lineNumber, column));
    }

    /**
     * Whether {@code field} is a number in the grammar of ugmm's CSV files: a plain decimal such as
     * {@code -1.5e3} or {@code .5} (not NaN, Infinity, hex or a trailing f/d, which Float.parseFloat takes).
     */
    public static boolean isNumber(String field) {
        return NUMBER.matcher(field).matches();
    }

    /** Whether {@code field} is a number or a word for a non-finite one (NaN, inf, -Infinity): not header text. */
    public static boolean looksLikeNumber(String field) {
        return isNumber(field) || NON_FINITE.matcher(field.toLowerCase(java.util.Locale.ROOT)).matches();
    }

    /**
     * {@code field} as a float in the grammar of {@link #isNumber}; {@code where} (e.g. "data.csv line 3,
     * column 2") starts the message of the {@link DatasetException} for an empty field, a non-number, a
     * non-finite word or a value beyond the float range.
     */
    public static float parseNumber(String field, String where) {
        if (field.isEmpty()) {
            throw new DatasetException(where + ": expected a number, found an empty field");
        }
        if (!NUMBER.matcher(field).matches()) {
            if (NON_FINITE.matcher(field.toLowerCase(java.util.Locale.ROOT)).matches()) {
                throw new DatasetException(where + ": " + field + " is not a finite number");
            }
            throw new DatasetException(where + ": expected a number, found '" + field + "'");
        }
        float value = Float.parseFloat(field);
        if (Float.isInfinite(value)) {
            throw new DatasetException(where + ": " + field + " is beyond the range of a float");
        }
        return value;
    }

    private Dataset build() {
        int rows = labelTexts.size();
        int[] labels = new int[rows];
        List<String> classNames = options.classNames() != null ? fixedClasses(labels) : classesFromData(labels);
        List<String> featureNames = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            if (c != labelColumn) {
                featureNames.add(headerNames != null && !headerNames.get(c).isEmpty()
                        ? headerNames.get(c) : "column " + (c + 1));
            }
        }
        return new Dataset(datasetName(), Arrays.copyOf(values, valueCount), labels, columns - 1, featureNames,
                classNames);
    }

    private List<String> fixedClasses(int[] labels) {
        List<String> names = options.classNames();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.putIfAbsent(names.get(i), i);
        }
        for (int r = 0; r < labels.length; r++) {
            String text = labelTexts.get(r);
            Integer known = index.get(text);
            if (known == null && WHOLE_NUMBER.matcher(text).matches() && Integer.parseInt(text) < names.size()) {
                known = Integer.parseInt(text);
            }
            if (known == null) {
                throw new DatasetException(where(rowLines[r], labelColumn) + ": unknown class '" + text
                        + "'; expected one of " + names + " or a number from 0 to " + (names.size() - 1));
            }
            labels[r] = known;
        }
        return names;
    }

    private List<String> classesFromData(int[] labels) {
        if (labelTexts.stream().allMatch(t -> WHOLE_NUMBER.matcher(t).matches())) {
            int max = 0;
            for (int r = 0; r < labels.length; r++) {
                labels[r] = Integer.parseInt(labelTexts.get(r));
                max = Math.max(max, labels[r]);
            }
            if (max >= Dataset.MAX_CLASSES) {
                throw tooManyClasses("whole numbers up to " + max);
            }
            return Dataset.numberedNames(max + 1);
        }
        // Numeric-looking labels ("1.0", "10.0", "2.0") sort by value, anything else alphabetically.
        boolean numeric = labelTexts.stream().allMatch(t -> NUMBER.matcher(t).matches());
        Comparator<String> order = numeric
                ? Comparator.<String>comparingDouble(Double::parseDouble).thenComparing(Comparator.naturalOrder())
                : Comparator.naturalOrder();
        TreeSet<String> distinct = new TreeSet<>(order);
        distinct.addAll(labelTexts);
        if (distinct.size() > Dataset.MAX_CLASSES) {
            throw tooManyClasses(distinct.size() + " distinct values");
        }
        List<String> names = new ArrayList<>(distinct);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        for (int r = 0; r < labels.length; r++) {
            labels[r] = index.get(labelTexts.get(r));
        }
        return names;
    }

    private DatasetException tooManyClasses(String found) {
        return new DatasetException(source + ": label column " + (labelColumn + 1) + " holds " + found
                + ", more than " + Dataset.MAX_CLASSES + " classes; is it really the label column? Name it with"
                + " a label column option");
    }

    private List<String> split(String line, int lineNumber) {
        return splitLine(line, options.delimiter(), source + " line " + lineNumber);
    }

    /**
     * Splits one line into trimmed fields at {@code delimiter}, honouring double quotes ({@code ""} for a
     * quote inside; a quoted field cannot span lines). {@code where} (e.g. "data.csv line 3") starts the
     * message of the {@link DatasetException} for a malformed quote.
     */
    public static List<String> splitLine(String line, char delimiter, String where) {
        List<String> fields = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && line.charAt(i) == ' ' && delimiter != ' ') {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder field = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new DatasetException(where + ", column " + (fields.size() + 1) + ": a quoted field has no closing"
                                + " quote (fields cannot span lines)");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                while (i < n && line.charAt(i) != delimiter) {
                    if (!Character.isWhitespace(line.charAt(i))) {
                        throw new DatasetException(where + ", column " + (fields.size() + 1) + ": unexpected '"
                                + line.charAt(i) + "' after a closing quote");
                    }
                    i++;
                }
                fields.add(field.toString());
            } else {
                int end = line.indexOf(delimiter, i);
                if (end < 0) {
                    end = n;
                }
                fields.add(line.substring(i, end).trim());
                i = end;
            }
            if (i >= n) {
                return fields;
            }
            i++; // the delimiter
        }
    }

    private String where(int lineNumber, int columnIndex) {
        return source + " line " + lineNumber + ", column " + (columnIndex + 1);
    }

    private String datasetName() {
        String name = source.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
