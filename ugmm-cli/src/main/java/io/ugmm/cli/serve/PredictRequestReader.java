package io.ugmm.cli.serve;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a {@code POST /v1/predict} body, {@code {"rows": [[f, f, ...], ...]}}, straight from its UTF-8 bytes
 * into one {@code float[]}, strictly (RFC 8259: no NaN, no trailing commas, no leading zeros, nothing after
 * the object). Every refusal is a {@link RequestException} naming the row and value ({@code rows[3][5]}), what
 * was expected and what was found.
 *
 * <p>Why not {@code io.ugmm.model.internal.Json}: that parser builds a {@code List} of boxed {@code Double}s per row,
 * about 50,000 objects for a 64-row Fashion-MNIST request, and parses each number through
 * {@link Double#parseDouble}. This reader accepts exactly one shape (so its depth is at most 3 by
 * construction), allocates one array per request and converts most numbers with an exact fast path; its
 * size is bounded by the body limit the server checks before reading.
 */
final class PredictRequestReader {
    private static final float[] FLOAT_POWERS = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
    private static final double[] DOUBLE_POWERS = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22};
    private static final int SHOWN_CHARS = 24;

    private final byte[] body;
    private final int end;
    private final int width;
    private int pos;
    private float[] values;
    private int count;

    private PredictRequestReader(byte[] body, int length, int width) {
        this.body = body;
        this.end = length;
        this.width = width;
    }

    /**
     * Reads the first {@code length} bytes of {@code body}.
     *
     * @param width the number of features each row must have
     */
    static PredictRequest read(byte[] body, int length, int width) throws RequestException {
        return new PredictRequestReader(body, length, width).readBody();
    }

    private PredictRequest readBody() throws RequestException {
        skipWhitespace();
        if (peek() != '{') {
            throw malformed("the body must be a JSON object {\"rows\": [[...], ...]}, found " + describeHere());
        }
        pos++;
        boolean sawRows = false;
        skipWhitespace();
        if (peek() == '}') {
            throw malformed("the body has no \"rows\" field; send {\"rows\": [[...], ...]}");
        }
        while (true) {
            skipWhitespace();
            String key = readKey();
            if (!key.equals("rows")) {
                throw malformed("unknown field " + shown(key) + "; the body is {\"rows\": [[...], ...]} and nothing else");
            }
            if (sawRows) {
                throw malformed("\"rows\" is given twice");
            }
            sawRows = true;
            skipWhitespace();
            expect(':', "after \"rows\"");
            skipWhitespace();
            readRows();
            skipWhitespace();
            byte c = peek();
            if (c == '}') {
                pos++;
                break;
            }
            if (c != ',') {
                throw malformed("expected ',' or '}' after the rows, found " + describeHere());
            }
            pos++;
        }
        skipWhitespace();
        if (pos != end) {
            throw malformed("unexpected " + describeHere() + " after the JSON object");
        }
        return new PredictRequest(values, count / width, width);
    }

    private String readKey() throws RequestException {
        if (peek() != '"') {
            throw malformed("expected a field name in quotes, found " + describeHere());
        }
        int start = ++pos;
        while (pos < end && body[pos] != '"') {
            if (body[pos] == '\\' || (body[pos] & 0xFF) < 0x20) {
                throw malformed("unknown field starting " + shown(text(start - 1, Math.min(end, start + SHOWN_CHARS)))
                        + "; the body is {\"rows\": [[...], ...]}");
            }
            pos++;
        }
        if (pos >= end) {
            throw malformed("unterminated field name");
        }
        return text(start, pos++);
    }

    private void readRows() throws RequestException {
        if (peek() != '[') {
            throw malformed("\"rows\" must be an array of rows, found " + describeHere());
        }
        pos++;
        // a guess of the row count at 8 bytes a value; grown as needed, never past 2 bytes a value ("0,")
        values = new float[(int) Math.min((long) width * ((end - pos) / (8L * width) + 1), (end - pos) / 2 + width)];
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return;
        }
        for (int row = 0; ; row++) {
            skipWhitespace();
            readRow(row);
            skipWhitespace();
            byte c = peek();
            pos++;
            if (c == ']') {
                return;
            }
            if (c != ',') {
                pos--;
                throw malformed("expected ',' or ']' after rows[" + row + "], found " + describeHere());
            }
        }
    }

    private void readRow(int row) throws RequestException {
        if (peek() != '[') {
            throw RequestException.badRequest(ErrorKind.WRONG_SHAPE, "rows[" + row + "] is " + describeValueHere()
                    + ", expected an array of " + width + " numbers (one row of features)");
        }
        pos++;
        int rowStart = count;
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            throw wrongWidth(row, 0);
        }
        for (int column = 0; ; column++) {
            skipWhitespace();
            if (column >= width) {
                throw RequestException.badRequest(ErrorKind.WRONG_SHAPE, "rows[" + row + "] has more than " + width
                        + " values, expected " + width + " (the model's inputs)");
            }
            if (count == values.length) {
                values = Arrays.copyOf(values, (int) Math.min((long) values.length * 3 / 2 + width, (end - pos) / 2 + count + width));
            }
            values[count++] = readNumber(row, column);
            skipWhitespace();
            byte c = peek();
            pos++;
            if (c == ']') {
                if (count - rowStart != width) {
                    throw wrongWidth(row, count - rowStart);
                }
                return;
            }
            if (c != ',') {
                pos--;
                throw malformed("expected ',' or ']' after rows[" + row + "][" + column + "], found " + describeHere());
            }
        }
    }

    private RequestException wrongWidth(int row, int found) {
        return RequestException.badRequest(ErrorKind.WRONG_SHAPE, "rows[" + row + "] has " + found + " value"
                + (found == 1 ? "" : "s") + ", expected " + width + " (the model's inputs)");
    }

    /** One JSON number, converted to the nearest float exactly as {@link Float#parseFloat} would. */
    private float readNumber(int row, int column) throws RequestException {
        float value = commonNumber();
        return value == value ? value : checkedNumber(row, column);
    }

    /**
     * The common case, on locals only: a JSON number of at most 18 significant digits and a short exponent
     * whose float the fast paths give. NaN (pos unchanged) for anything else, which
     * {@link #checkedNumber} then reads, or refuses with a message.
     */
    private float commonNumber() {
        final byte[] b = body;
        final int e = end;
        int p = pos;
        boolean negative = p < e && b[p] == '-';
        if (negative) {
            p++;
        }
        int d;
        if (p >= e || (d = b[p] - '0') < 0 || d > 9) {
            return Float.NaN;
        }
        p++;
        long mantissa = d;
        int digits = d == 0 ? 0 : 1;
        if (d != 0) {
            while (p < e && (d = b[p] - '0') >= 0 && d <= 9) {
                mantissa = mantissa * 10 + d;
                digits++;
                p++;
            }
        } else if (p < e && b[p] >= '0' && b[p] <= '9') {
            return Float.NaN; // a leading zero: refused by the careful path
        }
        int exponent = 0;
        if (p < e && b[p] == '.') {
            int first = ++p;
            while (p < e && (d = b[p] - '0') >= 0 && d <= 9) {
                if (mantissa != 0 || d != 0) {
                    digits++;
                }
                mantissa = mantissa * 10 + d;
                exponent--;
                p++;
            }
            if (p == first) {
                return Float.NaN;
            }
        }
        if (digits > 18) {
            return Float.NaN; // the mantissa may have overflowed
        }
        if (p < e && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            boolean negativeExponent = p < e && b[p] == '-';
            if (p < e && (b[p] == '-' || b[p] == '+')) {
                p++;
            }
            int first = p;
            int x = 0;
            while (p < e && (d = b[p] - '0') >= 0 && d <= 9 && p - first < 4) {
                x = x * 10 + d;
                p++;
            }
            if (p == first || (p < e && b[p] >= '0' && b[p] <= '9')) {
                return Float.NaN;
            }
            exponent += negativeExponent ? -x : x;
        }
        if (p < e && b[p] != ',' && b[p] != ']' && !isWhitespace(b[p])) {
            return Float.NaN;
        }
        float value = fastFloat(mantissa, digits, exponent, negative);
        if (value == value && !Float.isInfinite(value)) {
            pos = p;
        }
        return value == value && !Float.isInfinite(value) ? value : Float.NaN;
    }

    /** Any number, with its grammar checked and every refusal explained; parses the text when it must. */
    private float checkedNumber(int row, int column) throws RequestException {
        int start = pos;
        boolean negative = false;
        if (peek() == '-') {
            negative = true;
            pos++;
        }
        if (!isDigit(peek())) {
            pos = start;
            throw notANumber(row, column);
        }
        long mantissa = 0;
        int digits = 0; // significant digits in mantissa
        boolean exact = true; // false when digits were dropped from the mantissa
        int exponent = 0;
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw malformed("rows[" + row + "][" + column + "] has a leading zero (" + token(start) + ")");
            }
        } else {
            while (isDigit(peek())) {
                if (digits < 18) {
                    mantissa = mantissa * 10 + (body[pos] - '0');
                    digits++;
                } else {
                    exponent++;
                    exact &= body[pos] == '0';
                }
                pos++;
            }
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw malformed("rows[" + row + "][" + column + "] has no digit after the decimal point (" + token(start) + ")");
            }
            while (isDigit(peek())) {
                if (digits < 18) {
                    if (mantissa != 0 || body[pos] != '0') {
                        digits++;
                    }
                    mantissa = mantissa * 10 + (body[pos] - '0');
                    exponent--;
                } else {
                    exact &= body[pos] == '0';
                }
                pos++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            boolean negativeExponent = peek() == '-';
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw malformed("rows[" + row + "][" + column + "] has no digit in its exponent (" + token(start) + ")");
            }
            int e = 0;
            while (isDigit(peek())) {
                e = Math.min(100_000, e * 10 + (body[pos] - '0'));
                pos++;
            }
            exponent += negativeExponent ? -e : e;
        }
        if (pos < end && !isWhitespace(body[pos]) && body[pos] != ',' && body[pos] != ']') {
            while (pos < end && !isWhitespace(body[pos]) && body[pos] != ',' && body[pos] != ']') {
                pos++;
            }
            throw malformed("rows[" + row + "][" + column + "] is not a JSON number: " + shown(text(start, pos)));
        }
        float value = exact ? fastFloat(mantissa, digits, exponent, negative) : Float.NaN;
        if (Float.isNaN(value)) {
            value = Float.parseFloat(text(start, pos)); // the grammar is checked, so this cannot throw
        }
        if (Float.isInfinite(value)) {
            throw RequestException.badRequest(ErrorKind.NOT_FINITE, "rows[" + row + "][" + column + "] is "
                    + text(start, pos) + ", beyond the float range (about ±3.4e38); features must be finite");
        }
        return value;
    }

    /**
     * The correctly rounded float of {@code ±mantissa × 10^exponent}, or NaN when the fast paths cannot
     * promise that (the caller then parses the text). Float path: mantissa and the power of ten are exact
     * floats, so one division or product rounds once. Double path: exact operands give the correctly rounded
     * double; narrowing it to float rounds correctly unless the double lies exactly halfway between two floats.
     */
    private static float fastFloat(long mantissa, int digits, int exponent, boolean negative) {
        if (mantissa == 0) {
            return negative ? -0f : 0f;
        }
        float result = Float.NaN;
        if (digits <= 7 && exponent >= -10 && exponent <= 10) {
            result = exponent < 0 ? mantissa / FLOAT_POWERS[-exponent] : mantissa * FLOAT_POWERS[exponent];
        } else if (mantissa < (1L << 53) && exponent >= -22 && exponent <= 22) {
            double d = exponent < 0 ? mantissa / DOUBLE_POWERS[-exponent] : mantissa * DOUBLE_POWERS[exponent];
            long lowBits = Double.doubleToRawLongBits(d) & ((1L << 29) - 1);
            if (d >= Float.MIN_NORMAL && lowBits != (1L << 28)) {
                result = (float) d;
            }
        }
        return negative ? -result : result;
    }

    private RequestException notANumber(int row, int column) {
        String found = describeValueHere();
        String where = "rows[" + row + "][" + column + "]";
        String word = tokenWord();
        if (word.equals("NaN") || word.equals("Infinity") || word.equals("-Infinity") || word.equals("nan")
                || word.equals("inf") || word.equals("-inf")) {
            return RequestException.badRequest(ErrorKind.NOT_FINITE, where + " is " + word
                    + "; features must be finite numbers (JSON has no NaN or Infinity)");
        }
        return RequestException.badRequest(ErrorKind.NOT_A_NUMBER, where + " is " + found + ", expected a number");
    }

    /** The letters (and a leading '-') at the current position, for naming NaN and Infinity. */
    private String tokenWord() {
        int p = pos;
        if (p < end && body[p] == '-') {
            p++;
        }
        while (p < end && p - pos < SHOWN_CHARS && Character.isLetter(body[p])) {
            p++;
        }
        return text(pos, p);
    }

    /** What starts here, in words: "a string ("abc")", "null", "an array", "the end of the body". */
    private String describeValueHere() {
        if (pos >= end) {
            return "missing (the body ends here)";
        }
        return switch (body[pos]) {
            case '"' -> "a string " + shown(text(pos, Math.min(end, pos + SHOWN_CHARS)).replaceAll("^(\"[^\"]*\").*$", "$1"));
            case '[' -> "an array";
            case '{' -> "an object";
            case 'n' -> tokenWord().equals("null") ? "null" : describeHere();
            case 't', 'f' -> tokenWord().equals("true") || tokenWord().equals("false") ? tokenWord() : describeHere();
            default -> describeHere();
        };
    }

    private String describeHere() {
        if (pos >= end) {
            return "the end of the body";
        }
        int stop = pos;
        while (stop < end && stop - pos < SHOWN_CHARS && !isWhitespace(body[stop]) && body[stop] != ','
                && (stop == pos || (body[stop] != ']' && body[stop] != '}'))) {
            stop++;
        }
        return shown(text(pos, stop)) + " at byte " + pos;
    }

    private String token(int start) {
        int stop = pos;
        while (stop < end && isDigit(body[stop])) {
            stop++;
        }
        return text(start, stop);
    }

    private void expect(char c, String where) throws RequestException {
        if (peek() != c) {
            throw malformed("expected '" + c + "' " + where + ", found " + describeHere());
        }
        pos++;
    }

    private RequestException malformed(String message) {
        return RequestException.badRequest(ErrorKind.MALFORMED_JSON, message);
    }

    private byte peek() {
        return pos < end ? body[pos] : 0;
    }

    private void skipWhitespace() {
        while (pos < end && isWhitespace(body[pos])) {
            pos++;
        }
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private String text(int from, int to) {
        return new String(body, from, to - from, StandardCharsets.UTF_8);
    }

    private static String shown(String s) {
        String cut = s.length() > SHOWN_CHARS ? s.substring(0, SHOWN_CHARS) + "..." : s;
        return "'" + cut + "'";
    }
}
