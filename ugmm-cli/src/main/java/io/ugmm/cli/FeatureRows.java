package io.ugmm.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A CSV file of numeric features only (no label column): comma-separated, UTF-8, an optional header line
 * (recognised when none of its cells is a number), blank lines skipped. Every row must have
 * {@code expectedColumns} finite numbers; errors name the file, line and column.
 */
record FeatureRows(float[] values, int rows, int columns) {

    static FeatureRows read(Path file, int expectedColumns) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory; expected a CSV file");
        }
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        float[] values = new float[Math.max(16, expectedColumns * 64)];
        int rows = 0;
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file), decoder))) {
            String text;
            long line = 0;
            boolean first = true;
            while ((text = in.readLine()) != null) {
                line++;
                if (first && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                if (text.isBlank()) {
                    continue;
                }
                String[] cells = text.split(",", -1);
                if (first && isHeader(cells)) {
                    first = false;
                    continue;
                }
                first = false;
                if (cells.length != expectedColumns) {
                    throw new IOException(file + " line " + line + ": expected " + expectedColumns
                            + " columns (the model's features), found " + cells.length);
                }
                if ((long) (rows + 1) * expectedColumns > values.length) {
                    values = java.util.Arrays.copyOf(values, Math.multiplyExact(values.length, 2));
                }
                for (int c = 0; c < cells.length; c++) {
                    values[rows * expectedColumns + c] = parse(cells[c].trim(), file + " line " + line + ", column " + (c + 1));
                }
                rows++;
            }
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file", e);
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not UTF-8 text", e);
        }
        if (rows == 0) {
            throw new IOException(file + ": no data rows (the file is empty or has only a header line)");
        }
        return new FeatureRows(java.util.Arrays.copyOf(values, rows * expectedColumns), rows, expectedColumns);
    }

    private static boolean isHeader(String[] cells) {
        for (String c : cells) {
            if (isNumber(c.trim())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(String s) {
        try {
            Float.parseFloat(s);
            return !s.isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static float parse(String cell, String where) throws IOException {
        if (cell.toLowerCase(java.util.Locale.ROOT).matches("[+-]?(nan|inf|infinity)")) {
            throw new IOException(where + ": " + InfoCommand.printable(cell) + " is not a finite number");
        }
        float v;
        try {
            v = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw new IOException(where + ": '" + InfoCommand.printable(cell) + "' is not a number");
        }
        if (!Float.isFinite(v)) {
            throw new IOException(where + ": " + InfoCommand.printable(cell) + " is too large for a float");
        }
        return v;
    }
}
